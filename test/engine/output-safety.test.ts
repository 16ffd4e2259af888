/**
 * Output that can never destroy a user's file: full disks, inputs that fail, special files,
 * symbolic links, an output that is an input, closed stderr, a full stdout. Each case runs
 * the built command for real (tmpfs, mkfifo, links) where this machine allows, and says
 * plainly when it does not.
 */
import { spawn, spawnSync } from 'node:child_process';
import { linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveOutputTarget } from '../../src/engine/output.js';
import { tempDir } from '../cli-helpers.js';
import { fixture, fixtureNames, readFixture, ROOT } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'medline.js');
const medline = (args: string[], options: { input?: string | Buffer; cwd?: string } = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { input: options.input, cwd: options.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });

const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

/** Mounts a tmpfs of `size` on a new directory (needs root, which CI has); null where it cannot. */
function smallDisk(size: string): string | null {
  const dir = tempDir();
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]).status === 0 ? dir : null;
}

describe('-o on a full disk', () => {
  const disk = smallDisk('1m');
  const roomier = smallDisk('8m');
  afterAll(() => {
    for (const d of [disk, roomier]) if (d !== null) spawnSync('umount', [d]);
  });
  const inputs = fixtureNames().map(fixture);
  const title = (what: string) => (disk !== null ? what : `is NOT checked: cannot mount a small tmpfs here (needs root): ${what}`);

  for (const jobs of ['1', '2']) {
    it(title(`many inputs, --jobs ${jobs}: exit 2, one message, the previous file and no temporary file`), ({ skip }) => {
      if (disk === null) return skip('medline: could not mount a tmpfs; the full-disk test did not run');
      writeFileSync(join(disk, 'out.json'), 'previous');
      const r = medline([...inputs, ...inputs, '-o', join(disk, 'out.json'), '--jobs', jobs]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('out.json: no space left on device');
      noStack(r.stderr);
      expect(readFileSync(join(disk, 'out.json'), 'utf8')).toBe('previous');
      expect(readdirSync(disk)).toEqual(['out.json']);
    });
  }

  it(title('an output a little larger than the free space: the short last write is an error, not a success'), () => {
    if (roomier === null) return;
    const some = inputs.slice(0, 12);
    const size = Buffer.byteLength(medline(some).stdout);
    expect(size).toBeGreaterThan(1_000_000);
    expect(size).toBeLessThan(7_000_000);
    writeFileSync(join(roomier, 'out.json'), 'previous');
    // fill the disk so that 20 kB of the output will not fit: the last write is cut short
    const avail = Number(spawnSync('df', ['-B1', '--output=avail', roomier], { encoding: 'utf8' }).stdout.trim().split('\n')[1]);
    writeFileSync(join(roomier, 'filler'), Buffer.alloc(avail - size + 20_000));
    const r = medline([...some, '-o', join(roomier, 'out.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('out.json: no space left on device');
    expect(readFileSync(join(roomier, 'out.json'), 'utf8')).toBe('previous');
    expect(temps(roomier)).toEqual([]);
  });

  it(title('one large input: the output error is not taken for a bad input, nothing is committed'), () => {
    if (disk === null) return;
    const dir = tempDir();
    writeFileSync(join(dir, 'big.nbib'), Array.from({ length: 8 }, () => readFixture('crlf-export-75-records.nbib')).join('\r\n'));
    writeFileSync(join(disk, 'out.json'), 'previous');
    const r = medline([join(dir, 'big.nbib'), '-o', join(disk, 'out.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('out.json: no space left on device')]);
    expect(readFileSync(join(disk, 'out.json'), 'utf8')).toBe('previous');
    expect(readdirSync(disk)).toEqual(['out.json']);
  });
});

describe('inputs that fail leave the previous output alone', () => {
  for (const [what, file, status] of [
    ['a missing input', 'nope.txt', 2],
    ['a binary input', join(ROOT, 'fixtures', 'bad-input', 'image.png'), 2],
    ['an input that is not MEDLINE', join(ROOT, 'fixtures', 'bad-input', 'not-medline.txt'), 1],
  ] as const) {
    for (const format of ['json', 'bibtex']) {
      it(`${what} (${format})`, () => {
        const dir = tempDir();
        const out = format === 'json' ? 'prev.json' : 'prev.bib';
        expect(medline([fixture('reference-record.txt'), '-o', out], { cwd: dir }).status).toBe(0);
        const before = readFileSync(join(dir, out), 'utf8');
        const r = medline([file, '-o', out], { cwd: dir });
        expect(r.status).toBe(status);
        expect(r.stderr).toContain(`no record converted, so ${out} was not written`);
        expect(readFileSync(join(dir, out), 'utf8')).toBe(before);
        expect(temps(dir)).toEqual([]);
      });
    }
  }

  it('a bad input among good ones: the good ones are converted and written, exit 2', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'prev.json'), 'previous');
    const r = medline(['nope.txt', fixture('reference-record.txt'), '-o', 'prev.json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, 'prev.json'), 'utf8'))[0].pmid).toBe('33634996');
  });

  it('an empty input is a clean run: an empty array is written', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'prev.json'), 'previous');
    const r = medline([join(ROOT, 'fixtures', 'bad-input', 'empty.txt'), '-o', 'prev.json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'prev.json'), 'utf8'))).toEqual([]);
  });
});

describe('-o onto links and special files', () => {
  it('a symbolic link stays a link; its target is replaced', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'refs.bib'), 'previous');
    symlinkSync('real/refs.bib', join(dir, 'refs.bib'));
    const r = medline([fixture('reference-record.txt'), '-o', 'refs.bib'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(lstatSync(join(dir, 'refs.bib')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real', 'refs.bib'), 'utf8')).toMatch(/^@article\{Xu2021Evaluation,/);
    expect(temps(join(dir, 'real'))).toEqual([]);
  });

  it('a link to a file not yet made makes that file', () => {
    const dir = tempDir();
    symlinkSync('made.ris', join(dir, 'link.ris'));
    expect(medline([fixture('reference-record.txt'), '-o', 'link.ris'], { cwd: dir }).status).toBe(0);
    expect(lstatSync(join(dir, 'link.ris')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'made.ris'), 'utf8')).toMatch(/^TY {2}- JOUR/);
  });

  it('the replacement keeps the permissions of the file it replaces', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out.json'), 'previous', { mode: 0o640 });
    expect(medline([fixture('reference-record.txt'), '-o', 'out.json'], { cwd: dir }).status).toBe(0);
    expect(statSync(join(dir, 'out.json')).mode & 0o777).toBe(0o640);
  });

  it('/dev/stdout, /dev/fd/1 and /proc/self/fd/1 name our own stdout; /dev/stderr our stderr', () => {
    // resolved only, never written here: an old medline replaced the system's /dev/stdout
    for (const path of ['/dev/stdout', '/dev/fd/1', '/proc/self/fd/1']) expect(resolveOutputTarget(path, '/').stream).toBe('stdout');
    expect(resolveOutputTarget('/dev/stderr', '/').stream).toBe('stderr');
    expect(resolveOutputTarget('out.json', tempDir()).stream).toBe(null);
  });

  it('-o /proc/self/fd/1 writes to the stdout the caller opened (a socket here, which no path opens)', () => {
    // /proc refuses a rename, so even a regression could not replace anything here
    const r = medline([fixture('reference-record.txt'), '-o', '/proc/self/fd/1', '--to', 'ris']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^TY {2}- JOUR\n/);
  });

  // a null device made here, not the system's /dev/null: a regression must not break the machine
  const nullDevice = (() => {
    const dir = tempDir();
    return spawnSync('mknod', ['-m', '666', join(dir, 'null'), 'c', '1', '3']).status === 0 ? join(dir, 'null') : null;
  })();
  it(nullDevice !== null ? 'a device stays the device (a null device made with mknod)' : 'a device is NOT checked: mknod needs root', ({ skip }) => {
    if (nullDevice === null) return skip('medline: cannot mknod here; the device test did not run');
    const before = statSync(nullDevice);
    const r = medline([fixture('reference-record.txt'), '-o', nullDevice, '--to', 'json']);
    expect(r.status).toBe(0);
    const after = statSync(nullDevice);
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.ino).toBe(before.ino);
    expect(temps(dirname(nullDevice))).toEqual([]);
  });

  const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;
  it(hasMkfifo ? 'a FIFO is written through to the program reading it' : 'a FIFO is NOT checked: no mkfifo here', async ({ skip }) => {
    if (!hasMkfifo) return skip('medline: mkfifo not found; the FIFO test did not run');
    const dir = tempDir();
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    reader.stdout.on('data', (c: Buffer) => chunks.push(c));
    const read = new Promise((ok) => reader.on('close', ok));
    const r = medline([fixture('biopython-four-records.txt'), '-o', fifo, '--to', 'ndjson']);
    await read;
    expect(r.status).toBe(0);
    expect(Buffer.concat(chunks).toString('utf8').trim().split('\n')).toHaveLength(4);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('-o never writes over an input', () => {
  const setUp = () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'data.txt'), readFixture('reference-record.txt'));
    return dir;
  };
  const refused = (r: ReturnType<typeof medline>, dir: string) => {
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is the same file as .*; medline never writes over its input/);
    expect(readFileSync(join(dir, 'data.txt'), 'utf8')).toBe(readFixture('reference-record.txt'));
  };

  it('named the same way', () => {
    const dir = setUp();
    refused(medline(['data.txt', '-o', 'data.txt', '--to', 'json'], { cwd: dir }), dir);
  });

  it('through a symbolic link', () => {
    const dir = setUp();
    symlinkSync('data.txt', join(dir, 'latest.txt'));
    refused(medline(['latest.txt', '-o', 'data.txt', '--to', 'json'], { cwd: dir }), dir);
    refused(medline(['data.txt', '-o', 'latest.txt', '--to', 'json'], { cwd: dir }), dir);
  });

  it('through a hard link and through ..', () => {
    const dir = setUp();
    linkSync(join(dir, 'data.txt'), join(dir, 'hard.txt'));
    mkdirSync(join(dir, 'sub'));
    refused(medline(['hard.txt', '-o', 'data.txt', '--to', 'json'], { cwd: dir }), dir);
    refused(medline(['sub/../data.txt', '-o', 'data.txt', '--to', 'json'], { cwd: dir }), dir);
  });

  it('as standard input', () => {
    const dir = setUp();
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" -o data.txt --to json < data.txt`], { cwd: dir, encoding: 'utf8' });
    refused(r, dir);
  });
});

describe('closed and full standard streams', () => {
  it('a stderr closed early does not stop the conversion: exit 0, whole output, no temporary file', () => {
    const dir = tempDir();
    // 3,000 records, each with a warning: far more messages than a pipe holds
    writeFileSync(join(dir, 'warny.txt'), Array.from({ length: 3000 }, (_, i) => `PMID- ${i + 1}\nXYZ - unknown\nTI  - t\n`).join('\n'));
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${BIN}" warny.txt -o out.json --max-warnings 100000 --stats 2>&1 >/dev/null | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(r.stdout.trim()).toBe('0');
    expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toHaveLength(3000);
    expect(temps(dir)).toEqual([]);
  });

  it('a full stdout (/dev/full) is an I/O error: exit 2, one line, no stack trace', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" "${fixture('reference-record.txt')}" > /dev/full`], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['medline: <stdout>: no space left on device']);
  });
});
