/**
 * --out-dir (issue 22): one output per input, restartable. A run killed (SIGKILL) at random
 * points of its progress and started again until it ends gives the same bytes as a run never
 * interrupted, --latest included (what each input decided comes back from its done mark). The
 * kill points are counted in files the run has begun, not in milliseconds: the same on a
 * machine three times slower or busy.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cli-helpers.js';
import { ROOT, SHARED } from '../helpers.js';
import { KeptWorkers } from '../../src/engine/parallel.js';
// @ts-expect-error a plain ES module of the bench, without types
import { makeSnapshotInput } from '../../bench/make-snapshot-input.mjs';

const BIN = join(ROOT, 'bin', 'medline.js');
const source = readdirSync(SHARED).includes('corpus-xml') ? join(SHARED, 'corpus-xml') : join(ROOT, 'fixtures', 'xml');
const medline = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });

/** Every file of a folder (the done marks too) and its bytes. */
const contents = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((n) => [n, readFileSync(join(dir, n), 'utf8')]));

/** Files a run has begun in `dir`: its temporary files and its done marks. */
function begun(dir: string): number {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.tmp') || n.endsWith('.done')).length;
  } catch {
    return 0;
  }
}

/**
 * A run killed once it has begun `more` files beyond those done before it started (a
 * temporary output being written, or a done mark just made), or ended: its exit status
 * (null when killed). `more` = Infinity lets it end.
 */
function runUntil(args: string[], cwd: string, out: string, more: number): Promise<number | null> {
  return new Promise((done) => {
    const stop = begun(join(cwd, out)) + more;
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'ignore' });
    const watch = setInterval(() => {
      if (begun(join(cwd, out)) >= stop) child.kill('SIGKILL');
    }, 1);
    child.on('exit', (code) => {
      clearInterval(watch);
      done(code);
    });
  });
}

describe('--out-dir: one output per input, restartable', () => {
  const dir = tempDir();
  const names = (makeSnapshotInput as (s: string, d: string, o: object) => string[])(source, dir, { baseline: 5, updates: 3, perFile: 200 });
  const args = (out: string) => ['--latest', ...names, '--out-dir', out, '--jobs', '1', '-q'];

  it('killed at random points and started again, it ends with the bytes of a run never interrupted', async () => {
    expect(medline(args('whole'), dir).status).toBe(0);
    const whole = contents(join(dir, 'whole'));
    expect(Object.keys(whole).filter((n) => n.endsWith('.ndjson'))).toHaveLength(names.length);
    // a seeded sequence of kill points: 1 to 3 files begun after each start; at most as many
    // kills as inputs, then a run that may end
    let seed = 20261206;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 3) + 1;
    let killed = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const out = `killed-${attempt}`;
      let kills = 0;
      for (let status: number | null = null; status !== 0; ) {
        status = await runUntil(args(out), dir, out, kills < names.length ? next() : Infinity);
        if (status !== 0) {
          expect(status).toBeNull();
          kills++;
        }
      }
      expect(contents(join(dir, out)), `attempt ${attempt} after ${kills} kills`).toEqual(whole);
      killed += kills;
    }
    // the runs were indeed cut short, more than once
    expect(killed).toBeGreaterThanOrEqual(2);
  });

  it('a changed input is converted again, the others are not; the summary says so', () => {
    const out = 'again';
    expect(medline(args(out), dir).status).toBe(0);
    const first = contents(join(dir, out));
    // the newest input changes (its time): read again; nothing else changes
    utimesSync(join(dir, names[names.length - 1]!), new Date(), new Date(Date.now() + 5000));
    const r = spawnSync(process.execPath, [BIN, ...args(out).filter((a) => a !== '-q'), '--stats'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`; ${names.length - 1} inputs done by an earlier run, not read again;`));
    const second = contents(join(dir, out));
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const name of Object.keys(first).filter((n) => n.endsWith('.ndjson'))) expect(second[name]).toBe(first[name]);
  });

  it('shards across machines: --out-dir over each share, the folders put together, then --latest over the NDJSON = --latest over the XML', () => {
    // two "machines", each over a share of the files, --compact on one of them, no --latest
    const half = Math.ceil(names.length / 2);
    expect(medline([...names.slice(0, half), '--out-dir', 'machine-1', '-q'], dir).status).toBe(0);
    const second = medline([...names.slice(half), '--out-dir', 'machine-2', '--compact', '--stats'], dir);
    expect(second.status, second.stderr).toBe(0);
    // a DeleteCitation is data kept in the mark, not a warning
    expect(second.stderr).not.toMatch(/DELETED/);
    expect(second.stderr).toMatch(/; \d+ PMIDs deleted \(DeleteCitation\), kept in the done marks; 0 warnings, 0 errors\n$/);
    // each output's done mark keeps its input's DeleteCitation PMIDs (the update files have some)
    const marks = readdirSync(join(dir, 'machine-2')).filter((n) => n.endsWith('.done'));
    expect(marks.map((n) => JSON.parse(readFileSync(join(dir, 'machine-2', n), 'utf8')).deleteCitations.length).some((n: number) => n > 0)).toBe(true);
    // gathered into one folder (rsync, cp), then the snapshot step on one machine
    mkdirSync(join(dir, 'gathered'));
    for (const m of ['machine-1', 'machine-2']) for (const n of readdirSync(join(dir, m))) writeFileSync(join(dir, 'gathered', n), readFileSync(join(dir, m, n)));
    const outputs = readdirSync(join(dir, 'gathered')).filter((n) => n.endsWith('.ndjson')).sort().map((n) => join('gathered', n));
    expect(outputs).toHaveLength(names.length);
    const sharded = medline(['--latest', ...outputs, '--stats'], dir);
    const direct = medline(['--latest', ...names, '--stats'], dir);
    expect(sharded.status, sharded.stderr).toBe(0);
    expect(direct.status, direct.stderr).toBe(0);
    expect(sharded.stdout.length).toBeGreaterThan(0);
    expect(sharded.stdout === direct.stdout, 'the sharded snapshot differs from the direct one').toBe(true);
    // the same with two threads (the NDJSON streams through the main thread, its mark after it)
    const two = medline(['--latest', ...outputs, '--jobs', '2', '-q'], dir);
    expect(two.status, two.stderr).toBe(0);
    expect(two.stdout === direct.stdout, 'the sharded snapshot with --jobs 2 differs').toBe(true);
    const counts = (stderr: string) => /--latest: ([^\n]*)/.exec(stderr.replace(/files?|records? read from \d+/g, ''))?.[1];
    expect(counts(sharded.stderr)).toBe(counts(direct.stderr));
    // shards in MEDLINE text carry their deletions too: the same PMIDs as the direct snapshot
    expect(medline([...names, '--out-dir', 'as-text', '--to', 'medline', '-q'], dir).status).toBe(0);
    const texts = readdirSync(join(dir, 'as-text')).filter((n) => !n.startsWith('.')).sort().map((n) => join('as-text', n));
    const fromText = medline(['--latest', ...texts, '-q'], dir);
    expect(fromText.status, fromText.stderr).toBe(0);
    const pmidsOf = (json: string) => (JSON.parse(json) as Array<{ pmid: string }>).map((c) => c.pmid);
    expect(pmidsOf(fromText.stdout)).toEqual(pmidsOf(direct.stdout));
    // a mark that does not belong to its output (the output changed after): that input is refused, said by name
    writeFileSync(join(dir, outputs[outputs.length - 1]!), readFileSync(join(dir, outputs[0]!)));
    const stale = medline(['--latest', ...outputs, '-q'], dir);
    expect(stale.status).toBe(2);
    expect(stale.stderr).toContain(`medline: ${outputs[outputs.length - 1]}: its done mark (.${outputs[outputs.length - 1]!.slice('gathered/'.length)}.done) was written for another version of this file`);
  });

  it('usage errors: with -o, with stdin, with --dedupe, two inputs of one name', () => {
    const cases: Array<[string[], string]> = [
      [[names[0]!, '--out-dir', 'o', '-o', 'x.ndjson'], 'medline: --out-dir writes one output per input: leave out -o'],
      [['-', '--out-dir', 'o'], 'medline: --out-dir names each output after its input: give files, not stdin'],
      [[names[0]!, '--out-dir', 'o', '--dedupe'], 'medline: --out-dir converts each input on its own, and --dedupe compares them all: run --dedupe over the outputs afterwards'],
    ];
    for (const [a, message] of cases) {
      const r = medline(a, dir);
      expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, message]);
    }
    writeFileSync(join(dir, 'a.txt'), readFileSync(join(ROOT, 'fixtures', 'medline', 'reference-record.txt')));
    writeFileSync(join(dir, 'a.nbib'), readFileSync(join(ROOT, 'fixtures', 'medline', 'reference-record.txt')));
    const twice = medline(['a.txt', 'a.nbib', '--out-dir', 'o'], dir);
    expect([twice.status, twice.stderr.split('\n')[0]]).toEqual([2, 'medline: --out-dir: two inputs would both be written as a.ndjson: rename one']);
  });
});

describe('--out-dir with --jobs 2', () => {
  it('one set of worker threads serves every input (KeptWorkers), and the folder is the bytes of --jobs 1', async () => {
    const dir = tempDir();
    const names = (makeSnapshotInput as (s: string, d: string, o: object) => string[])(source, dir, { baseline: 3, updates: 2, perFile: 150 });
    expect(medline(['--latest', ...names, '--out-dir', 'one', '--jobs', '1', '-q'], dir).status).toBe(0);
    expect(medline(['--latest', ...names, '--out-dir', 'two', '--jobs', '2', '-q'], dir).status).toBe(0);
    expect(contents(join(dir, 'two'))).toEqual(contents(join(dir, 'one')));
    // the pool is the same for the same settings, another for others
    const kept = new KeptWorkers();
    const setup = { format: 'ndjson' as const, formatOptions: {}, check: false, keys: 'pmid' as const };
    const first = kept.poolFor(2, setup);
    expect(kept.poolFor(2, { ...setup })).toBe(first);
    expect(kept.poolFor(2, { ...setup, format: 'csv' })).not.toBe(first);
    await kept.close();
  });
});
