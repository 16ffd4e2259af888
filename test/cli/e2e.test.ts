/** The built command as users run it: spawned, in pipes, interrupted, packed for npx. */
import { MAX_TEXT_LENGTH } from '../../src/core/limits.js';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cli-helpers.js';
import { fixture, readFixture, ROOT } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'medline.js');
const medline = (args: string[], options: { input?: string | Buffer; cwd?: string } = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { input: options.input, cwd: options.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });

/** A big input made of real records, to have a run last long enough to interrupt. */
function bigInput(dir: string, copies: number): string {
  const text = readFixture('crlf-export-75-records.nbib');
  const path = join(dir, 'big.nbib');
  writeFileSync(path, Array.from({ length: copies }, () => text).join('\r\n'));
  return path;
}

describe('the built command', () => {
  it('converts a file, data on stdout and nothing on stderr', () => {
    const r = medline([fixture('reference-record.txt'), '--to', 'bibtex']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^@article\{Xu2021Evaluation,/);
    expect(r.stderr).toBe('');
  });

  it('reads stdin in a pipeline', () => {
    const r = medline(['--to', 'ndjson'], { input: readFixture('biopython-four-records.txt') });
    expect(r.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('reads .gz files, and gzip data whatever its name', () => {
    const dir = tempDir();
    const gz = gzipSync(readFileSync(fixture('reference-record.txt')));
    writeFileSync(join(dir, 'export.txt.gz'), gz);
    writeFileSync(join(dir, 'export.nbib'), gz);
    const a = medline(['export.txt.gz', '--to', 'ndjson'], { cwd: dir });
    const b = medline(['export.nbib', '--to', 'ndjson'], { cwd: dir });
    expect(JSON.parse(a.stdout).pmid).toBe('33634996');
    expect(b.stdout).toBe(a.stdout);
  });

  it('reports a truncated .gz file clearly, exit 2', () => {
    const dir = tempDir();
    const gz = gzipSync(readFileSync(fixture('crlf-export-75-records.nbib')));
    writeFileSync(join(dir, 'cut.gz'), gz.subarray(0, gz.length / 2));
    const r = medline(['cut.gz', '--to', 'ndjson'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cut\.gz: not a valid gzip file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('ends quietly with status 0 when the reader closes the pipe (| head -1)', () => {
    const dir = tempDir();
    const input = bigInput(dir, 20);
    const out = execFileSync('bash', ['-c', `set -o pipefail; node "${BIN}" "${input}" --to ndjson | head -1 > /dev/null; echo "\${PIPESTATUS[0]}"`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(out.trim()).toBe('0');
    const stderr = spawnSync('bash', ['-c', `node "${BIN}" "${input}" --to ndjson | head -1 > /dev/null`], { encoding: 'utf8' }).stderr;
    expect(stderr).toBe('');
  });

  it('prints no stack trace for user errors', () => {
    for (const args of [['missing.txt'], ['--to', 'nope'], [ROOT], ['--jobs', 'x']]) {
      const r = medline(args);
      expect(r.status).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 2 for binary input and still converts the valid files beside it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'photo.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]));
    const r = medline(['photo.jpg', fixture('reference-record.txt'), '--to', 'ndjson'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('photo.jpg: this looks like a binary file');
    expect(JSON.parse(r.stdout).pmid).toBe('33634996');
  });

  it('exits 2 for an unreadable file and converts the others', () => {
    if (process.getuid?.() === 0) {
      // root reads everything; an unreadable path is a file inside a directory without x
      const dir = tempDir();
      mkdirSync(join(dir, 'closed'));
      const r = medline([join(dir, 'closed', 'x.txt'), fixture('reference-record.txt'), '--to', 'ndjson']);
      expect(r.status).toBe(2);
      expect(JSON.parse(r.stdout).pmid).toBe('33634996');
      return;
    }
    const dir = tempDir();
    const path = join(dir, 'secret.txt');
    copyFileSync(fixture('reference-record.txt'), path);
    chmodSync(path, 0o000);
    const r = medline([path, fixture('reference-record.txt'), '--to', 'ndjson']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('permission denied');
  });
});

describe('--jobs', () => {
  const files = ['crlf-export-75-records.nbib', 'malformed-and-squeezed-tag-lines.txt', 'reference-record.txt', 'crlf-export-balloon.nbib', 'text-between-records.txt'].map(fixture);

  it.each(['ndjson', 'bibtex', 'csl', 'csv', 'medline'])('gives byte for byte the output and diagnostics of one job (%s)', (format) => {
    const one = medline([...files, 'missing.txt', '--to', format]);
    const two = medline([...files, 'missing.txt', '--to', format, '--jobs', '2']);
    expect(one.status).toBe(2);
    expect(two.status).toBe(2);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(one.stderr).toContain('MALFORMED_LINE');
  });

  it('cuts one large file into units and still gives the same output and line numbers', () => {
    const dir = tempDir();
    // 12 MB of real records, CRLF, with problems far into the file
    const parts = Array.from({ length: 25 }, () => readFixture('crlf-export-75-records.nbib'));
    parts[20] += '\r\nPMID- 1\r\nXYZ - unknown tag\r\nSO  broken line\r\n';
    writeFileSync(join(dir, 'big.nbib'), parts.join('\r\n'));
    for (const format of ['ndjson', 'bibtex', 'json']) {
      const one = medline(['big.nbib', '--to', format], { cwd: dir });
      const two = medline(['big.nbib', '--to', format, '--jobs', '2'], { cwd: dir });
      expect(two.status).toBe(0);
      expect(two.stdout).toBe(one.stdout);
      expect(two.stderr).toBe(one.stderr);
      expect(one.stderr).toMatch(/^big\.nbib:\d{5,}:1: UNKNOWN_TAG/m);
    }
    // into a file: the workers' output buffers come back once written, and are reused
    const one = medline(['big.nbib', '--to', 'ndjson', '--jobs', '1'], { cwd: dir });
    expect(medline(['big.nbib', '--to', 'ndjson', '--jobs', '2', '-o', 'out.ndjson'], { cwd: dir }).status).toBe(0);
    expect(readFileSync(join(dir, 'out.ndjson'), 'utf8')).toBe(one.stdout);
  });

  it('reads files joined with their BOMs (cat a.nbib b.nbib) the same way with one job or two', () => {
    const dir = tempDir();
    const part = readFixture('crlf-export-75-records.nbib');
    writeFileSync(join(dir, 'joined.nbib'), Array.from({ length: 25 }, () => '\uFEFF' + part).join('\r\n'));
    const one = medline(['joined.nbib', '--to', 'ndjson'], { cwd: dir });
    const two = medline(['joined.nbib', '--to', 'ndjson', '--jobs', '2'], { cwd: dir });
    expect(one.stdout.trim().split('\n')).toHaveLength(25 * 75);
    expect(one.stderr).toBe('');
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  it('cuts text with CR line ends too, in linear time, with the output of one job', () => {
    const dir = tempDir();
    // 12 MB of real records with CR alone at line ends (old Mac files): cut at CR CR
    const text = Array.from({ length: 25 }, () => readFixture('crlf-export-75-records.nbib')).join('\r\n').replace(/\r\n/g, '\r');
    writeFileSync(join(dir, 'cr.txt'), text);
    const one = medline(['cr.txt', '--to', 'ndjson'], { cwd: dir });
    const two = medline(['cr.txt', '--to', 'ndjson', '--jobs', '2'], { cwd: dir });
    expect(one.stdout.split('\n')).toHaveLength(25 * 75 + 1);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  it('stops at the first problem with --strict, writing no output file', () => {
    const dir = tempDir();
    const r = medline([...files, '--strict', '--jobs', '2', '-o', 'out.ndjson'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a line longer than MAX_TEXT_LENGTH (16 MiB)', () => {
  it('is cut and reported with file and line, the next record is converted, with --jobs 1 and 2 alike', () => {
    const dir = tempDir();
    // 100 MB of abstract on one line, 0.2 MB gzipped
    const line = Buffer.alloc(100 * 1024 * 1024, 'word ');
    writeFileSync(join(dir, 'huge.gz'), gzipSync(Buffer.concat([Buffer.from('PMID- 1\nTI  - first\nAB  - '), line, Buffer.from('\n\nPMID- 2\nTI  - second\n')])));
    const one = medline(['huge.gz', '--to', 'ndjson'], { cwd: dir });
    expect(one.status).toBe(0);
    expect(one.stderr).toBe(`huge.gz:3:${MAX_TEXT_LENGTH + 1}: TOO_LONG line of ${(line.length + 6).toLocaleString('en-US')} bytes: only the first ${MAX_TEXT_LENGTH.toLocaleString('en-US')} were read, the rest was skipped (PMID 1)\n`);
    const [first, second] = one.stdout.trim().split('\n').map((l) => JSON.parse(l));
    // the first MAX_TEXT_LENGTH bytes of the line, less `AB  - ` (and a last blank, trimmed)
    expect(MAX_TEXT_LENGTH - 6 - first.abstract.length).toBeLessThanOrEqual(1);
    expect(second.title).toBe('second');
    const two = medline(['huge.gz', '--to', 'ndjson', '--jobs', '2'], { cwd: dir });
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });
});

describe('-o interrupted', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    it(`leaves the previous output untouched after ${signal}${signal === 'SIGKILL' ? ' (only the temporary file remains)' : ', and no temporary file'}`, async () => {
      const dir = tempDir();
      const input = bigInput(dir, 400);
      writeFileSync(join(dir, 'out.json'), 'previous');
      const child = spawn(process.execPath, [BIN, input, '-o', 'out.json'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
      // wait until the temporary file exists: the run is under way
      for (let i = 0; i < 200 && readdirSync(dir).filter((f) => f.endsWith('.tmp')).length === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
      }
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      child.kill(signal);
      const status = await new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('previous');
      const temps = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
      if (signal === 'SIGKILL') {
        expect(status).toBe(null);
      } else {
        expect(status).toBe(signal === 'SIGINT' ? 130 : 143);
        expect(temps).toEqual([]);
        // Ctrl-C says so, on a line of its own
        expect(stderr).toMatch(new RegExp(`(^|\n)medline: interrupted \\(${signal}\\)\n$`));
      }
    });
  }
});

describe('npm pack', () => {
  it('gives a tarball that runs with npx in an empty folder, without dev dependencies', () => {
    const dir = tempDir();
    // --ignore-scripts: `prepack` would rebuild dist/ while other test files run bin/medline.js
    // from it (a half-written module there once failed an unrelated test in CI); npm test built it.
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const tarball = join(dir, JSON.parse(packed)[0].filename as string);
    const files = (JSON.parse(packed)[0].files as Array<{ path: string }>).map((f) => f.path);
    expect(files).toContain('bin/medline.js');
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('schema/citation.schema.json');
    expect(files).toContain('man/medline.1');
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('fixtures/'))).toBe(false);
    // no source maps pointing at a src/ the package does not ship, no script run at install
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as object);
    expect(scripts.filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([]);
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}');
    const installed = spawnSync('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, encoding: 'utf8' });
    expect(installed.status).toBe(0);
    expect(installed.stderr + installed.stdout).not.toMatch(/install-scripts|prepare/);
    expect(existsSync(join(app, 'node_modules', 'vitest'))).toBe(false);
    const out = execFileSync('npx', ['--no-install', 'medline', fixture('reference-record.txt'), '--to', 'ris'], { cwd: app, encoding: 'utf8' });
    expect(out).toMatch(/^TY {2}- JOUR\n/);
    // PubMed XML too: saxes is a dependency of the package, not of the clone only
    const xml = execFileSync('npx', ['--no-install', 'medline', join(ROOT, 'fixtures', 'xml', 'biopython-pubmed4-markup.xml'), '--to', 'ndjson'], { cwd: app, encoding: 'utf8' });
    expect(JSON.parse(xml).pmid).toBe('27797938');
    const version = execFileSync('npx', ['--no-install', 'medline', '--version'], { cwd: app, encoding: 'utf8' });
    expect(version.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
  }, 180_000);

  it('a clone not built yet says what to do, without a stack trace', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'medline.js'), readFileSync(join(ROOT, 'bin', 'medline.js')));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'medline.js'), '--version'], { encoding: 'utf8' });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', "medline: this copy is not built yet (no dist/): run 'npm run build' in its folder first\n"]);
  });
});
