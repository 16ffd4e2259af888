/**
 * --latest (issue 22): the current version of every PMID of a PubMed baseline and its update
 * files, checked against an independent script (bench/latest_reference.py, Python's standard
 * library) on files made from the real records of ../shared/corpus-xml (fixtures/xml where it
 * is absent): revisions, new records, deletions, a deletion undone by a later update.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cli-helpers.js';
import { ROOT, SHARED } from '../helpers.js';
// @ts-expect-error a plain ES module of the bench, without types
import { makeSnapshotInput } from '../../bench/make-snapshot-input.mjs';

const BIN = join(ROOT, 'bin', 'medline.js');
const source = readdirSync(SHARED).includes('corpus-xml') ? join(SHARED, 'corpus-xml') : join(ROOT, 'fixtures', 'xml');
const python = spawnSync('python3', ['--version']).status === 0;

function snapshot(): { dir: string; names: string[] } {
  const dir = tempDir();
  const names = (makeSnapshotInput as (s: string, d: string, o: object) => string[])(source, dir, { baseline: 4, updates: 3, perFile: 150 });
  return { dir, names };
}

const medline = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });

describe('--latest writes the current version of every PMID', () => {
  it(`equals the independent Python script on a baseline and updates made from ${source.endsWith('corpus-xml') ? 'shared/corpus-xml' : 'fixtures/xml (shared/corpus-xml absent)'}, with --jobs 1 and 2`, ({ skip }) => {
    if (!python) return skip('medline: python3 not found; --latest was not compared with bench/latest_reference.py');
    const { dir, names } = snapshot();
    const reference = spawnSync('python3', [join(ROOT, 'bench', 'latest_reference.py'), ...names], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(reference.status, reference.stderr).toBe(0);
    const lines = reference.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(400);
    const outputs: string[] = [];
    for (const jobs of ['1', '2']) {
      const r = medline(['--latest', ...names, '--to', 'tsv', '--fields', 'pmid,title', '--jobs', jobs, '--stats'], dir);
      expect(r.status, r.stderr).toBe(0);
      outputs.push(r.stdout);
      const ours = r.stdout.trim().split('\n').slice(1).sort((a, b) => Number(a.split('\t')[0]) - Number(b.split('\t')[0]));
      expect(ours).toEqual(lines);
      // the counts: read = superseded + deleted + written; deletions are the job's data, not warnings
      const m = /--latest: ([\d,]+) records read from 7 files, newest first; ([\d,]+) superseded by a later version, ([\d,]+) deleted by a later DeleteCitation; ([\d,]+) records written/.exec(r.stderr)!;
      const [read, superseded, deleted, written] = m.slice(1).map((n) => Number(n.replace(/,/g, '')));
      expect(read).toBe(superseded! + deleted! + written!);
      expect(written).toBe(lines.length);
      expect(r.stderr).toMatch(/; 0 warnings, 0 errors\n$/);
    }
    expect(outputs[1]).toBe(outputs[0]);
    // the PMID deleted by the first update and added again by the third is there, in its new version
    expect(lines).toContain('90000005\tRecord 90000005, added again in update 3.');
  });

  it('with --report, the counts for scripts; a usage error beside --dedupe', () => {
    const { dir, names } = snapshot();
    const r = medline(['--latest', ...names, '-o', 'snapshot.ndjson', '--report', 'run.json', '-q'], dir);
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(report.latest.superseded).toBeGreaterThan(100);
    expect(report.latest.deleted).toBeGreaterThan(50);
    expect(report.records.written).toBe(readFileSync(join(dir, 'snapshot.ndjson'), 'utf8').trim().split('\n').length);
    // newest first: the first input read is the last named
    expect(report.inputs[0].file).toBe(names[names.length - 1]);
    const both = medline(['--latest', '--dedupe', ...names, '--to', 'ndjson'], dir);
    expect([both.status, both.stderr.split('\n')[0]]).toEqual([2, "medline: --latest writes each PMID's last version and --dedupe a work's first copy: choose one"]);
  });
});
