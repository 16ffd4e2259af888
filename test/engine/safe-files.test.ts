/**
 * Every file medline reads or writes goes through one path: `--deleted` is written as `-o`
 * is, what a path is is asked of the file, outputs never name a file the run reads, PMID
 * lists go through the input checks, and the library agrees with the command. Each case
 * runs the built command (or `convert()`) on real records; the ones that need root (devices
 * under /dev/shm) say so when they cannot run.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/index.js';
import { MedlineError } from '../../src/engine/errors.js';
import { temporaryName } from '../../src/engine/output.js';
import { pmidOf } from '../../src/selection.js';
import { tempDir } from '../cli-helpers.js';
import { fixture, ROOT, SHARED } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'medline.js');
const medline = (args: string[], options: { input?: string | Buffer; cwd?: string } = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { input: options.input, cwd: options.cwd ?? ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

/** A real update file: 4 records and a DeleteCitation block of 559 PMIDs (PathwayCommons, MIT). */
const UPDATE = join(SHARED, 'corpus-xml', 'PathwayCommons-ncbiutils__pubmed22n1313.xml.gz');
const hasUpdate = existsSync(UPDATE);
const FOUR = fixture('biopython-four-records.txt');
const FOUR_PMIDS = [...readFileSync(FOUR, 'utf8').matchAll(/^PMID- (\d+)/gm)].map((m) => m[1]!);

describe('--deleted is written as -o is', () => {
  const title = (what: string) => (hasUpdate ? what : `NOT checked (no ${UPDATE}): ${what}`);

  it(title('written whole beside -o, keeping the mode of the list it replaces'), () => {
    if (!hasUpdate) return;
    const dir = tempDir();
    writeFileSync(join(dir, 'deleted.txt'), 'old\n');
    chmodSync(join(dir, 'deleted.txt'), 0o640);
    const r = medline([UPDATE, '-o', 'out.ndjson', '--deleted', 'deleted.txt'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'deleted.txt'), 'utf8').trim().split('\n')).toHaveLength(559);
    expect(statSync(join(dir, 'deleted.txt')).mode & 0o777).toBe(0o640);
    expect(temps(dir)).toEqual([]);
  });

  it(title('a failed run (a missing input), a binary input and --check leave the old list untouched'), () => {
    if (!hasUpdate) return;
    const dir = tempDir();
    writeFileSync(join(dir, 'deleted.txt'), 'old\n');
    writeFileSync(join(dir, 'binary.xml'), Buffer.from([0x3c, 0x3f, 0, 1, 2, 3, 0xff]));
    for (const [args, status] of [
      [[UPDATE, 'missing.xml', '--to', 'ndjson', '--deleted', 'deleted.txt'], 2],
      [[UPDATE, 'binary.xml', '--to', 'ndjson', '--deleted', 'deleted.txt'], 2],
      // a clean check: exit 0, and still nothing written
      [[UPDATE, '--check', '--deleted', 'deleted.txt'], 0],
    ] as const) {
      const r = medline([...args], { cwd: dir });
      expect(r.status, args.join(' ')).toBe(status);
      noStack(r.stderr);
      expect(readFileSync(join(dir, 'deleted.txt'), 'utf8'), args.join(' ')).toBe('old\n');
      expect(temps(dir)).toEqual([]);
    }
  });

  it(title('refused before anything is read when it names an input, a list, or the file -o names'), () => {
    if (!hasUpdate) return;
    const dir = tempDir();
    const update = readFileSync(UPDATE);
    writeFileSync(join(dir, 'pubmed22n1313.xml.gz'), update);
    writeFileSync(join(dir, 'keep.txt'), '12345\n');
    for (const [args, said] of [
      [['pubmed22n1313.xml.gz', '--deleted', 'pubmed22n1313.xml.gz'], /--deleted pubmed22n1313\.xml\.gz is the same file as input pubmed22n1313\.xml\.gz/],
      [['pubmed22n1313.xml.gz', '--pmids', 'keep.txt', '--deleted', 'keep.txt'], /--deleted keep\.txt is the same file as --pmids list keep\.txt/],
      [['pubmed22n1313.xml.gz', '-o', 'out.ndjson', '--deleted', './out.ndjson'], /--deleted \.\/out\.ndjson is the same file as -o out\.ndjson/],
    ] as const) {
      const r = medline([...args], { cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(said);
      expect(r.stdout).toBe('');
      noStack(r.stderr);
    }
    expect(readFileSync(join(dir, 'pubmed22n1313.xml.gz')).equals(update)).toBe(true);
    expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe('12345\n');
    expect(readdirSync(dir).sort()).toEqual(['keep.txt', 'pubmed22n1313.xml.gz']);
  });

  it(title('written through a symbolic link (its target replaced), into /dev/null, and /dev/full is an error that replaces nothing'), () => {
    if (!hasUpdate) return;
    const dir = tempDir();
    symlinkSync('real.txt', join(dir, 'link.txt'));
    let r = medline([UPDATE, '--to', 'ndjson', '--deleted', 'link.txt'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'real.txt'), 'utf8').trim().split('\n')).toHaveLength(559);
    r = medline([UPDATE, '--to', 'ndjson', '--deleted', '/dev/null'], { cwd: dir });
    expect(r.status).toBe(0);
    writeFileSync(join(dir, 'out.ndjson'), 'previous');
    r = medline([UPDATE, '-o', 'out.ndjson', '--deleted', '/dev/full'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\/dev\/full: no space left on device/);
    noStack(r.stderr);
    expect(readFileSync(join(dir, 'out.ndjson'), 'utf8')).toBe('previous');
    expect(temps(dir)).toEqual([]);
  });

  it(title('written through a FIFO, as -o is'), ({ skip }) => {
    if (!hasUpdate) return;
    const dir = tempDir();
    if (spawnSync('mkfifo', [join(dir, 'fifo')]).status !== 0) return skip('medline: mkfifo failed; the FIFO case did not run');
    const r = spawnSync('sh', ['-c', `cat fifo > got.txt & "${process.execPath}" "${BIN}" "${UPDATE}" --to ndjson --deleted fifo > /dev/null; s=$?; wait; exit $s`], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'got.txt'), 'utf8').trim().split('\n')).toHaveLength(559);
  });
});

describe('what a path is, is asked of the file', () => {
  const shm = existsSync('/dev/shm') && spawnSync('test', ['-w', '/dev/shm']).status === 0;
  const title = (what: string) => (shm ? what : `NOT checked (no writable /dev/shm): ${what}`);

  it(title('-o under /dev/shm creates a file, and replaces an existing one atomically (valid JSON both times)'), () => {
    if (!shm) return;
    const dir = mkdtempSync(join('/dev/shm', 'medline-test-'));
    const out = join(dir, 'new.json');
    for (let i = 0; i < 2; i++) {
      const r = medline([FOUR, '-o', out]);
      expect(r.status).toBe(0);
      expect((JSON.parse(readFileSync(out, 'utf8')) as unknown[]).length).toBe(4);
    }
    expect(readdirSync(dir)).toEqual(['new.json']);
    spawnSync('rm', ['-rf', dir]);
  });

  it(title('-o equal to an input under /dev/shm is refused, the input intact'), () => {
    if (!shm) return;
    const dir = mkdtempSync(join('/dev/shm', 'medline-test-'));
    const input = join(dir, 'in.txt');
    writeFileSync(input, readFileSync(FOUR));
    const r = medline([input, '-o', input, '--to', 'ndjson']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is the same file as input .*in\.txt; medline never writes over its input/);
    expect(readFileSync(input).equals(readFileSync(FOUR))).toBe(true);
    spawnSync('rm', ['-rf', dir]);
  });

  it('-o - is stdout, and -o /dev/null needs no --to', () => {
    const dir = tempDir();
    const r = medline([FOUR, '-o', '-', '--to', 'ndjson'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { pmid: string }).pmid)).toEqual(FOUR_PMIDS);
    expect(readdirSync(dir)).toEqual([]);
    const nul = medline([FOUR, '-o', '/dev/null']);
    expect(nul.status).toBe(0);
    expect(nul.stderr).toBe('');
  });

  it('an output name of 255 bytes works (the temporary name is cut to fit), and so does one of multi-byte characters', () => {
    const dir = tempDir();
    for (const name of [`${'a'.repeat(250)}.json`, `${'é'.repeat(125)}.json`]) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      const r = medline([FOUR, '-o', name], { cwd: dir });
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown[]).length).toBe(4);
    }
    expect(temps(dir)).toEqual([]);
    for (const base of ['x', 'a'.repeat(300), 'é'.repeat(200), '😀'.repeat(80)]) {
      const temp = temporaryName(join('/some/dir', base));
      const name = temp.slice('/some/dir/'.length);
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
      expect(name).not.toContain('\uFFFD');
      expect(name).toMatch(/^\..*\.[0-9a-f]{12}\.tmp$/);
    }
  });

  it('the temporary file is never one a link planted at its name leads to', () => {
    // the name is random and opened with O_EXCL | O_NOFOLLOW: two runs never share one, and
    // a link at a name is refused (EEXIST), not followed
    const names = new Set(Array.from({ length: 1000 }, () => temporaryName('/d/out.json')));
    expect(names.size).toBe(1000);
  });
});

describe('PMID lists go through the input checks', () => {
  const setUp = () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out.json'), 'previous');
    return dir;
  };
  const keptPmids = (stdout: string) => (JSON.parse(stdout) as Array<{ pmid: string }>).map((c) => c.pmid);

  it('-o may not name a --pmids or --exclude-pmids list', () => {
    const dir = setUp();
    writeFileSync(join(dir, 'keep.txt'), `${FOUR_PMIDS[0]}\n`);
    for (const flag of ['--pmids', '--exclude-pmids']) {
      const r = medline([FOUR, flag, 'keep.txt', '-o', 'keep.txt', '--to', 'json'], { cwd: dir });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`-o keep\\.txt is the same file as ${flag} list keep\\.txt`));
      expect(readFileSync(join(dir, 'keep.txt'), 'utf8')).toBe(`${FOUR_PMIDS[0]}\n`);
    }
  });

  it('a binary, empty or BOM-less UTF-16 list is a usage error before anything is written', () => {
    const dir = setUp();
    writeFileSync(join(dir, 'binary.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]));
    writeFileSync(join(dir, 'empty.txt'), '');
    writeFileSync(join(dir, 'comments.txt'), '# nothing here\n\n');
    writeFileSync(join(dir, 'utf16.txt'), Buffer.from(`${FOUR_PMIDS.join('\r\n')}\r\n`, 'utf16le'));
    for (const list of ['binary.txt', 'empty.txt', 'comments.txt', 'utf16.txt', 'missing.txt', '.']) {
      const r = medline([FOUR, '--pmids', list, '-o', 'out.json'], { cwd: dir });
      expect(r.status, list).toBe(2);
      expect(r.stderr, list).toMatch(new RegExp(`${list.replace('.', '\\.')}: (this looks like a binary file, not a list of PMIDs|lists no PMID|no such file|is a directory)`));
      noStack(r.stderr);
      expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('previous');
    }
  });

  it("UTF-16 with a BOM (Excel's Unicode text), UTF-8 with a BOM, gzip, CRLF and the forms people paste are read", () => {
    const dir = setUp();
    const [a, b, c, d] = FOUR_PMIDS as [string, string, string, string];
    writeFileSync(join(dir, 'excel.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${a}\r\n${b}\r\n`, 'utf16le')]));
    writeFileSync(join(dir, 'bom.txt'), `\uFEFF${c}\n`);
    writeFileSync(join(dir, 'forms.txt'), `PMID: ${a}\nhttps://pubmed.ncbi.nlm.nih.gov/${d}/\n0${b}\n`);
    spawnSync('sh', ['-c', `printf '${c}\\n' | gzip > list.gz`], { cwd: dir });
    for (const [list, want] of [
      ['excel.txt', [a, b]],
      ['bom.txt', [c]],
      ['forms.txt', [a, b, d]],
      ['list.gz', [c]],
    ] as const) {
      const r = medline([FOUR, '--pmids', list, '--to', 'json'], { cwd: dir });
      expect(r.status, `${list}: ${r.stderr}`).toBe(0);
      expect(keptPmids(r.stdout), list).toEqual(FOUR_PMIDS.filter((p) => (want as readonly string[]).includes(p)));
    }
  });

  it('a list of 200,000 PMIDs split across read chunks, CR LF cut between chunks, keeps exactly the listed records', () => {
    const dir = setUp();
    const others = Array.from({ length: 200_000 }, (_, i) => String(40_000_000 + i));
    writeFileSync(join(dir, 'big.txt'), [...others, FOUR_PMIDS[1], FOUR_PMIDS[3]].join('\r\n'));
    const r = medline([FOUR, '--pmids', 'big.txt', '--to', 'json'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(keptPmids(r.stdout)).toEqual([FOUR_PMIDS[1], FOUR_PMIDS[3]]);
  });

  it('pmidOf reads a PMID in every form, and nothing else', () => {
    for (const [text, n] of [
      ['12345', 12345],
      ['012345', 12345],
      ['PMID: 12345', 12345],
      ['pmid:12345', 12345],
      ['https://pubmed.ncbi.nlm.nih.gov/33634996/', 33634996],
      ['http://www.ncbi.nlm.nih.gov/pubmed/33634996', 33634996],
      ['4294967295', 4294967295],
    ] as const) expect(pmidOf(text), text).toBe(n);
    for (const text of ['', '0', 'abc', '12345a', '10.1000/182', '4294967296', 'PMC12345', '12 345']) expect(pmidOf(text), text).toBe(null);
  });
});

describe('the library is as safe as the command', () => {
  it('convert() refuses to overwrite its own input, and the input is intact', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.txt'), readFileSync(FOUR));
    const error = await convert([join(dir, 'in.txt')], { output: join(dir, 'in.txt'), to: 'ndjson' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MedlineError);
    expect((error as MedlineError).code).toBe('CLASH');
    expect(readFileSync(join(dir, 'in.txt')).equals(readFileSync(FOUR))).toBe(true);
    expect(temps(dir)).toEqual([]);
  });

  it("pmids: ['012345'] keeps what the command's list keeps", async () => {
    const dir = tempDir();
    const wanted = `0${FOUR_PMIDS[2]}`;
    writeFileSync(join(dir, 'keep.txt'), `${wanted}\n`);
    const byCommand = medline([FOUR, '--pmids', join(dir, 'keep.txt'), '--to', 'ndjson']).stdout;
    let byLibrary = '';
    for await (const chunk of convert([FOUR], { to: 'ndjson', pmids: [wanted] })) byLibrary += String(chunk);
    expect(byLibrary).toBe(byCommand);
    expect(byLibrary.trim().split('\n')).toHaveLength(1);
  });

  it('a bad option is named (MedlineError OPTION), never a crash', async () => {
    for (const [options, said] of [
      [{ to: 'bibtext' }, /to: unknown format "bibtext" \(did you mean bibtex\?\)/],
      [{ jobs: 0 }, /jobs: expected a whole number from 1 to 64/],
      [{ encoding: 'ebcdic' }, /encoding: unknown encoding/],
      [{ pmids: ['abc'] }, /pmids: "abc" is not a PMID/],
      [{ pmids: '12345' }, /pmids: expected a list/],
      [{ fields: ['pmid'], to: 'bibtex' }, /fields and join apply to csv and tsv, not bibtex/],
      [{ ouput: 'x.json' }, /unknown option "ouput" \(did you mean output\?\)/],
    ] as const) {
      const stream = convert([FOUR], options as never) as unknown as NodeJS.ReadableStream;
      const error = await new Promise((ok) => {
        stream.on('error', ok);
        stream.on('end', () => ok(null));
        stream.resume();
      });
      expect(error, JSON.stringify(options)).toBeInstanceOf(MedlineError);
      expect((error as MedlineError).code).toBe('OPTION');
      expect((error as Error).message).toMatch(said);
    }
  });
});

describe('a run that read nothing usable replaces nothing, with any --jobs', () => {
  it('JSON input whose every value is rejected: exit 1, a message about JSON, the old -o kept, with --jobs 1 as with --jobs 2', () => {
    const dir = tempDir();
    // real citations made invalid: one has a title of the wrong type, one breaks off (a key
    // left out is no error: compact JSON leaves out empty values)
    const lines = medline([FOUR, '--to', 'ndjson']).stdout.trim().split('\n');
    const broken = JSON.parse(lines[0]!) as Record<string, unknown>;
    broken.title = 42;
    writeFileSync(join(dir, 'bad.ndjson'), `${JSON.stringify(broken)}\n${lines[1]!.slice(0, 100)}\n`);
    const seen = [];
    for (const jobs of ['1', '2']) {
      writeFileSync(join(dir, 'out.json'), 'previous');
      const r = medline(['bad.ndjson', '-o', 'out.json', '--jobs', jobs], { cwd: dir });
      expect(r.status, jobs).toBe(1);
      expect(r.stderr).toMatch(/bad\.ndjson: NO_RECORDS no citation read: every JSON value of this input was rejected/);
      expect(r.stderr).not.toMatch(/MEDLINE/);
      expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('previous');
      seen.push(r.stderr);
    }
    expect(seen[0]).toBe(seen[1]);
  });
});

describe('NDJSON is safe for naive line splitters', () => {
  it('U+2028 and U+2029 in a value are written escaped, and read back as the same characters', () => {
    const text = readFileSync(FOUR, 'utf8').replace(/^(TI  - .*)$/m, '$1 one\u2028two\u2029three');
    for (const to of ['ndjson', 'json', 'csl']) {
      const r = medline(['-', '--to', to], { input: text });
      expect(r.status).toBe(0);
      expect(r.stdout).not.toMatch(/[\u2028\u2029]/);
      expect(r.stdout).toContain('one\\u2028two\\u2029three');
    }
    const back = medline(['-', '--from', 'json', '--to', 'ndjson'], { input: medline(['-', '--to', 'ndjson'], { input: text }).stdout });
    const titles = back.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { title: string }).title);
    expect(titles.some((t) => t.endsWith('one\u2028two\u2029three'))).toBe(true);
  });
});
