/** The command line, in-process: options, outputs, diagnostics and exit codes. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fixture, readFixture, ROOT } from '../helpers.js';
import { run, tempDir } from '../cli-helpers.js';
import { buildProgram } from '../../src/cli/options.js';

const SEED = 'fixtures/medline/reference-record.txt';

describe('json and ndjson', () => {
  it('writes one JSON array, json by default', async () => {
    const r = await run([SEED]);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(1);
    expect(out[0].pmid).toBe('33634996');
    expect(out[0].authors).toHaveLength(29);
    expect(out[0]).not.toHaveProperty('raw');
    expect(r.stderr).toBe('');
  });

  it('writes an empty array for an input with no record', async () => {
    const r = await run(['-'], { stdin: '' });
    expect([r.status, r.stdout]).toEqual([0, '[\n]\n']);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('writes one citation per line as ndjson, several files in order', async () => {
    const r = await run([SEED, 'fixtures/medline/biopython-four-records.txt', '--to', 'ndjson']);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((c) => c.pmid)).toEqual(['33634996', '16403221', '16377612', '14871861', '14630660']);
  });

  it('adds the ordered raw fields with --raw', async () => {
    const r = await run([SEED, '--to', 'ndjson', '--raw']);
    const c = JSON.parse(r.stdout);
    expect(c.raw[0]).toEqual({ tag: 'PMID', value: '33634996' });
    expect(c.raw).toHaveLength(readFixture('reference-record.txt').split('\n').filter((l) => /^[A-Z]/.test(l)).length);
  });

  it('indents with --pretty', async () => {
    const r = await run([SEED, '--pretty']);
    expect(r.stdout).toContain('\n  "pmid": "33634996",\n');
  });

  it('reads stdin, also gzip-compressed', async () => {
    const text = readFixture('reference-record.txt');
    const plain = await run(['--to', 'ndjson'], { stdin: text });
    const gz = await run(['-', '--to', 'ndjson'], { stdin: gzipSync(text) });
    expect(JSON.parse(plain.stdout).pmid).toBe('33634996');
    expect(gz.stdout).toBe(plain.stdout);
  });

  it('reads the flattened copy of the reference record as the same citation', async () => {
    const a = await run([SEED, '--to', 'ndjson']);
    const b = await run(['fixtures/medline/reference-record-flattened.txt', '--to', 'ndjson']);
    expect(b.stdout).toBe(a.stdout);
    expect(b.stderr).toMatch(/reference-record-flattened\.txt:1:1: FLATTENED_RECORD/);
  });
});

describe('diagnostics and exit codes', () => {
  it('reports problems as file:line:column: CODE message on stderr and still converts', async () => {
    const r = await run(['fixtures/medline/malformed-and-squeezed-tag-lines.txt', '--to', 'ndjson']);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'fixtures/medline/malformed-and-squeezed-tag-lines.txt:3:1: MALFORMED_LINE not a tag line nor an indented continuation, kept in extra._malformed: "SO  invalid line" (PMID 27433151)',
      'fixtures/medline/malformed-and-squeezed-tag-lines.txt:7:3: IRREGULAR_PADDING tag SO is not padded to four characters (dash in column 3, expected 5) (PMID 27394443)',
      'fixtures/medline/malformed-and-squeezed-tag-lines.txt:8:6: SQUEEZED_SEPARATOR no space after the dash of tag TI (PMID 27394443)',
    ]);
  });

  it('stops at the first problem with --strict, exit 1', async () => {
    const r = await run(['fixtures/medline/malformed-and-squeezed-tag-lines.txt', '--strict', '--to', 'ndjson']);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('--check writes nothing and exits 1 on a problem, 0 on a clean file', async () => {
    const bad = await run(['fixtures/medline/malformed-and-squeezed-tag-lines.txt', '--check']);
    expect([bad.status, bad.stdout]).toEqual([1, '']);
    const good = await run([SEED, '--check']);
    expect([good.status, good.stdout, good.stderr]).toEqual([0, '', '']);
  });

  it('exits 1 for text that holds no record', async () => {
    const r = await run(['-'], { stdin: 'just some text\n' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('NO_RECORDS');
  });

  it('exits 2 for a missing file but converts the others', async () => {
    const r = await run(['nope.txt', SEED, '--to', 'ndjson']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('medline: nope.txt: no such file');
    expect(JSON.parse(r.stdout).pmid).toBe('33634996');
  });

  it('exits 2 for a directory given as a file', async () => {
    const r = await run(['fixtures', SEED]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('fixtures: is a directory, not a file');
  });

  it('exits 2 for binary input, naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const r = await run(['image.png'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('image.png: this looks like a binary file');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 2 with a usage message for an unknown option or format', async () => {
    const a = await run(['--bogus']);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain("unknown option '--bogus'");
    const b = await run(['--to', 'xml']);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('xml');
  });

  it('prints help and version on stdout, exit 0', async () => {
    const help = await run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Examples:');
    const version = await run(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('caps diagnostics per file with --max-warnings, counting the rest', async () => {
    const text = Array.from({ length: 5 }, (_, i) => `PMID- ${i}\nXYZ - unknown\n`).join('\n');
    const r = await run(['-', '--max-warnings', '2', '--to', 'ndjson'], { stdin: text });
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringContaining('UNKNOWN_TAG'),
      expect.stringContaining('UNKNOWN_TAG'),
      '<stdin>: 3 more diagnostics not shown (--max-warnings 2)',
    ]);
  });

  it('colours only on a terminal and never with NO_COLOR or --no-color', async () => {
    const args = ['fixtures/medline/malformed-and-squeezed-tag-lines.txt', '--check'];
    expect((await run(args, { tty: true })).stderr).toMatch(/\x1b\[\d+m/);
    expect((await run(args, { tty: false })).stderr).not.toMatch(/\x1b\[\d+m/);
    expect((await run(args, { tty: true, env: { NO_COLOR: '1' } })).stderr).not.toMatch(/\x1b\[\d+m/);
    expect((await run([...args, '--no-color'], { tty: true })).stderr).not.toMatch(/\x1b\[\d+m/);
    expect((await run([...args, '--color'], { tty: false })).stderr).toMatch(/\x1b\[\d+m/);
  });

  it('prints a summary line with --stats', async () => {
    const r = await run([SEED, '--stats', '--to', 'ndjson']);
    expect(r.stderr).toMatch(/^medline: 1 record from 1 file converted to ndjson in \d+\.\d\d s; 0 warnings, 0 errors\n$/);
  });
});

describe('-o', () => {
  it('writes the file atomically and infers the format from the extension', async () => {
    const dir = tempDir();
    const r = await run([fixture('reference-record.txt'), '-o', 'out.ndjson'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'out.ndjson'), 'utf8')).pmid).toBe('33634996');
    expect(readdirSync(dir)).toEqual(['out.ndjson']);
  });

  it('leaves the previous file untouched when the run fails', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'out.json'), 'previous');
    const r = await run([fixture('malformed-and-squeezed-tag-lines.txt'), '--strict', '-o', 'out.json'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(readFileSync(join(dir, 'out.json'), 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['out.json']);
  });

  it('refuses to write over an input', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in.json'), readFixture('reference-record.txt'));
    const r = await run(['in.json', '-o', 'in.json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(readFileSync(join(dir, 'in.json'), 'utf8')).toBe(readFixture('reference-record.txt'));
  });

  it('asks for --to when the extension names no format', async () => {
    const r = await run([SEED, '-o', 'out.xyz'], { cwd: tempDir() });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('add --to');
  });

  it('says so when the output cannot be written', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'ro'));
    const r = await run([fixture('reference-record.txt'), '-o', 'missing-dir/out.json'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing-dir/out.json: cannot write here');
    expect(existsSync(join(dir, 'missing-dir'))).toBe(false);
  });
});

describe('every other option', () => {
  const BAD = 'fixtures/medline/malformed-and-squeezed-tag-lines.txt';

  it('--quiet hides warnings but not errors', async () => {
    const r = await run([BAD, 'missing.txt', '--quiet', '--to', 'ndjson']);
    expect(r.stderr).toBe('medline: missing.txt: no such file\n');
  });

  it('--excel, --key and --ascii reach their formats', async () => {
    const csv = await run([SEED, '--to', 'csv', '--excel', '--fields', 'pmid']);
    expect(csv.stdout).toBe('\uFEFFpmid\r\n33634996\r\n');
    const bib = await run([SEED, '--to', 'bibtex', '--key', 'pmid', '--ascii']);
    expect(bib.stdout).toMatch(/^@article\{pmid33634996,/);
    expect(bib.stdout).toMatch(/^[\x00-\x7F]*$/);
  });

  it('reports --ascii characters it cannot write as warnings naming the PMID', async () => {
    const r = await run(['-', '--to', 'bibtex', '--ascii'], { stdin: 'PMID- 5\nTI  - 漢字\n' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('<output>: UNCONVERTIBLE_CHARACTER --ascii: no LaTeX form for "漢" (U+6F22); written as "?" (PMID 5)');
  });

  it.each([
    [['--fields', 'pmid', '--to', 'bibtex'], '--fields and --join apply to csv and tsv, not bibtex'],
    [['--excel', '--to', 'tsv'], '--excel applies to csv (spreadsheets open it with a BOM and CRLF), not tsv; use --to csv --excel'],
    [['--jobs', '0'], '--jobs: expected a whole number from 1 to 64 or auto, got "0"'],
    [['--jobs', 'many'], '--jobs: expected a whole number from 1 to 64 or auto, got "many"'],
    [['--encoding', 'ebcdic'], '--encoding: unknown encoding "ebcdic"'],
    [['--max-warnings', '-1'], '--max-warnings: expected a whole number'],
    [['--key', 'doi', '--to', 'bibtex'], '--key: "doi" is not one of author-year-title, pmid'],
    [['--join', '', '--to', 'csv'], '--join: the separator cannot be empty'],
  ])('refuses %j with a usage message, exit 2', async (args, message) => {
    const r = await run([SEED, ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it.each([
    [['--pretty', '--to', 'csv'], '--pretty applies to json and csl, not csv; ignored'],
    [['--key', 'pmid', '--to', 'json'], '--key applies to bibtex and biblatex, not json; ignored'],
    [['--ascii', '--to', 'ris'], '--ascii applies to bibtex and biblatex, not ris; ignored'],
    [['--raw', '--to', 'bibtex'], '--raw applies to json and ndjson, not bibtex; ignored'],
  ])('says so when %j does not apply, and converts all the same', async (args, message) => {
    const r = await run([SEED, ...args]);
    const plain = await run([SEED, ...args.filter((a, i) => !['--pretty', '--ascii', '--raw'].includes(a) && args[i - 1] !== '--key' && a !== '--key')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`medline: ${message}\n`);
    expect(r.stdout).toBe(plain.stdout);
  });

  it('caps --jobs at the number of cores and says so', async () => {
    const { availableParallelism } = await import('node:os');
    const cores = availableParallelism();
    const r = await run([SEED, '--to', 'ris', '--jobs', '64']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`medline: --jobs 64: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores}\n`);
  });

  it('--jobs auto (the default) starts workers only for inputs large enough to gain from them', async () => {
    const { jobsFor, AUTO_PARALLEL_BYTES, AUTO_MAX_JOBS } = await import('../../src/engine/run.js');
    const dir = tempDir();
    // sparse files: their size is what counts, and no test reads them
    const sized = (name: string, bytes: number) => {
      writeFileSync(join(dir, name), '');
      truncateSync(join(dir, name), bytes);
      return name;
    };
    const small = sized('small.txt', AUTO_PARALLEL_BYTES - 1);
    const large = sized('large.txt', AUTO_PARALLEL_BYTES);
    const packed = sized('packed.txt.gz', Math.ceil(AUTO_PARALLEL_BYTES / 4));
    const place = { cwd: dir };
    const auto = (files: string[], cores: number) => jobsFor({ jobs: 'auto', files }, place, cores);
    expect(auto([small], 8)).toBe(1);
    expect(auto([large], 2)).toBe(2);
    expect(auto([large], 16)).toBe(AUTO_MAX_JOBS);
    expect(auto([large], 1)).toBe(1);
    expect(auto([small, sized('one-more.txt', 1)], 2)).toBe(2);
    expect(auto([packed], 2)).toBe(2);
    expect(auto(['-', 'missing.txt', dir], 2)).toBe(1);
    expect(jobsFor({ jobs: 3, files: [small] }, place, 2)).toBe(3);
    // what the command does by default on a small input: one thread, the same output as --jobs 1
    const r = await run([SEED, '--to', 'ndjson']);
    expect(r.stdout).toBe((await run([SEED, '--to', 'ndjson', '--jobs', '1'])).stdout);
  });

  it('writes -o NAME.gz compressed, readable by gunzip, and reads it back', async () => {
    const dir = tempDir();
    const r = await run([join(ROOT, SEED), fixture('crlf-export-75-records.nbib'), '-o', 'refs.bib.gz'], { cwd: dir });
    expect(r.status).toBe(0);
    const { gunzipSync } = await import('node:zlib');
    const plain = await run([SEED, fixture('crlf-export-75-records.nbib'), '--to', 'bibtex']);
    expect(gunzipSync(readFileSync(join(dir, 'refs.bib.gz'))).toString('utf8')).toBe(plain.stdout);
    const empty = await run([join(ROOT, 'fixtures', 'bad-input', 'empty.txt'), '-o', 'empty.ndjson.gz'], { cwd: dir });
    expect(empty.status).toBe(0);
    expect(gunzipSync(readFileSync(join(dir, 'empty.ndjson.gz'))).length).toBe(0);
  });

  it('keeps BibTeX keys short whatever the title', async () => {
    const r = await run(['-', '--to', 'bibtex'], { stdin: `PMID- 1\nDP  - 2020\nFAU - ${'Long'.repeat(100)}, A\nTI  - ${'x'.repeat(100_000)}\n` });
    expect(r.stdout).toMatch(/^@\w+\{(Long){16}2020Xx{63},\n/);
  });

  it('--verbose is accepted and changes nothing on a clean run', async () => {
    const a = await run([SEED, '--to', 'ris']);
    const b = await run([SEED, '--to', 'ris', '--verbose']);
    expect(b).toEqual(a);
  });

  it('shows a progress line and a summary on a terminal, and clears the progress line', async () => {
    const r = await run(['fixtures/medline/crlf-export-75-records.nbib', '--to', 'ndjson'], { tty: true, env: { NO_COLOR: '1' } });
    expect(r.stderr).toMatch(/medline: 75 records from 1 file converted to ndjson in \d+\.\d\d s; 0 warnings, 0 errors\n$/);
  });
});

describe('messages cannot act on the terminal', () => {
  it('shows control characters and bidi overrides from records and file names escaped', async () => {
    const dir = tempDir();
    const name = 'evil\x1b]0;title\x07.txt';
    // a PMID with an OSC 8 hyperlink, a malformed line that clears the screen, an unknown tag with a bidi override
    writeFileSync(join(dir, name), 'PMID- 1\x1b]8;;http://x\x1b\\\nTI  - t\nnot a tag \x1b[2J here\nXYZ\u202e - v\n');
    const r = await run([name, '--to', 'ndjson', '--color'], { cwd: dir });
    // only our own colour sequences (ESC [ … m) may remain
    const withoutColours = r.stderr.replace(/\x1b\[[0-9;]*m/g, '');
    expect(withoutColours).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    expect(withoutColours).toContain('evil\\x1b]0;title\\x07.txt:3:1: MALFORMED_LINE');
    expect(withoutColours).toContain('not a tag \\x1b[2J here');
    expect(withoutColours).toContain('(PMID 1\\x1b]8;;http://x\\x1b\\)');
    // the data keeps every character
    expect(JSON.parse(r.stdout).pmid).toBe('1\x1b]8;;http://x\x1b\\');
  });
});

describe('messages a newcomer meets', () => {
  it('`medline` alone on a terminal shows the usage instead of waiting, exit 2; `medline help` is --help', async () => {
    const alone = await run([], { stdinTty: true });
    expect(alone.status).toBe(2);
    expect(alone.stdout).toBe('');
    expect(alone.stderr).toMatch(/^Usage: medline \[options\] \[files\.\.\.\]/);
    expect(alone.stderr).toContain('Examples:');
    const help = await run(['help']);
    const dashed = await run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toBe(dashed.stdout);
    // piped stdin is read as before
    const piped = await run(['--to', 'ndjson'], { stdin: readFixture('reference-record.txt') });
    expect(JSON.parse(piped.stdout).pmid).toBe('33634996');
  });

  it.each([
    [['--format', 'bibtex'], "unknown option '--format' (did you mean --to?)"],
    [['-to', 'bibtex'], "unknown option '-to' (did you mean --to?)"],
    [['-f', 'xml'], "unknown option '-f' (did you mean --from?)"],
    [['--to', 'bibtx'], '--to: unknown format "bibtx" (did you mean bibtex?); the formats are json, ndjson, csv, tsv, bibtex, biblatex, ris, csl, medline'],
    [['--outfile', 'x.json'], "unknown option '--outfile' (did you mean -o, --output?)"],
    [['--pretyy'], "unknown option '--pretyy' (did you mean --pretty?)"],
    [['--to', 'csv', '--fields', 'titel'], '--fields: unknown column "titel" (did you mean "title"?); the columns are pmid, title,'],
    [['--jobs', 'x'], '--jobs: expected a whole number from 1 to 64 or auto, got "x"'],
  ])('usage errors in one style, with a suggestion: %j', async (args, message) => {
    const r = await run([SEED, ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const [first, second, ...rest] = r.stderr.split('\n');
    expect(first!.startsWith(`medline: ${message}`)).toBe(true);
    expect([second, ...rest]).toEqual(["Try 'medline --help' for more information.", '']);
  });

  it('accepts format names in any case and their common other names', async () => {
    const plain = await run([SEED, '--to', 'bibtex']);
    for (const name of ['BibTeX', 'bib', 'BIBLATEX']) expect((await run([SEED, '--to', name])).stdout).toBe(plain.stdout);
    expect((await run([SEED, '--to', 'jsonl'])).stdout).toBe((await run([SEED, '--to', 'ndjson'])).stdout);
  });

  it('counts records in the progress line as it goes, within the terminal width', async () => {
    const dir = tempDir();
    // a small record first (the export's first one is larger than the 32 kB after which pieces go out)
    const records = [readFixture('reference-record.txt'), ...Array.from({ length: 12 }, () => readFixture('crlf-export-75-records.nbib'))];
    writeFileSync(join(dir, `${'a-long-file-name-'.repeat(6)}.nbib`), records.join('\r\n'));
    const name = readdirSync(dir)[0]!;
    const r = await run([name, '--to', 'ndjson'], { cwd: dir, tty: true, columns: 60 });
    const updates = r.stderr.split('\r\x1b[K').map((u) => u.replace(/\x1b\[[0-9;]*m/g, '')).filter((u) => /records/.test(u) && !/^medline:/.test(u));
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates) expect(u.length).toBeLessThanOrEqual(59);
    // the first update comes after the first 32 kB: the record read by then is counted, not 0 until the file ends
    expect(updates[0]).toMatch(/[1-9][\d,]* records/);
    expect(updates[0]).toMatch(/^…/);
  });

  it('TERM=dumb gets neither colour nor rewritten lines; FORCE_COLOR forces colour', async () => {
    const dumb = await run([SEED, 'missing.txt', '--to', 'ris'], { tty: true, env: { TERM: 'dumb' } });
    expect(dumb.stderr).not.toMatch(/\x1b|\r/);
    const forced = await run([SEED, 'missing.txt', '--to', 'ris'], { env: { FORCE_COLOR: '1' } });
    expect(forced.stderr).toMatch(/\x1b\[31m/);
    const off = await run([SEED, 'missing.txt', '--to', 'ris'], { tty: true, env: { FORCE_COLOR: '0' } });
    expect(off.stderr.replace(/\r\x1b\[K/g, '')).not.toMatch(/\x1b\[3\dm/);
  });
});

describe('--strict says why it stopped', () => {
  it('the summary ends with the code of the first problem', async () => {
    const r = await run([fixture('malformed-and-squeezed-tag-lines.txt'), '--strict', '--stats', '--to', 'ndjson']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/; stopped at the first problem \(--strict\): MALFORMED_LINE\n$/);
  });
});

describe('--help fits the terminal', () => {
  it('every line within the width of a narrow or a wide terminal, each option and its text whole; 80 columns when not a terminal', async () => {
    for (const width of [50, 60, 100]) {
      const r = await run(['--help'], { stdoutColumns: width });
      expect(r.status).toBe(0);
      const long = r.stdout.split('\n').filter((l) => l.length > width);
      expect(long).toEqual([]);
      // nothing is lost in the wrapping: every option is there, with its description's last words
      expect(r.stdout.replace(/\s+/g, ' ')).toContain('--report <file>');
      expect(r.stdout.replace(/\s+/g, ' ')).toContain('print stack traces of internal errors');
    }
    const piped = await run(['--help']);
    expect(piped.stdout.split('\n').filter((l) => l.length > 80)).toEqual([]);
  });
});

describe('progress over the whole job', () => {
  it('counts a .gz input by its bytes on disk against the total of all inputs, inputs done of all, never past 100%', async () => {
    const dir = tempDir();
    const text = Array.from({ length: 30 }, () => readFixture('crlf-export-75-records.nbib')).join('\r\n');
    writeFileSync(join(dir, 'a.nbib.gz'), gzipSync(text));
    writeFileSync(join(dir, 'b.nbib'), text);
    const total = statSync(join(dir, 'a.nbib.gz')).size + statSync(join(dir, 'b.nbib')).size;
    const r = await run(['a.nbib.gz', 'b.nbib', '-o', 'out.ndjson'], { cwd: dir, tty: true, columns: 120, env: { NO_COLOR: '1' } });
    const updates = r.stderr.split('\r\x1b[K').filter((u) => / records/.test(u) && !/^medline:/.test(u));
    expect(updates.length).toBeGreaterThan(0);
    for (const u of updates) {
      const m = /^(\S+) (\d)\/2 · (\d+)% · ([\d.]+) (kB|MB) of ([\d.]+) (kB|MB) · [\d,]+ records/.exec(u);
      expect(m, u).not.toBeNull();
      const [, file, , percent, read, readUnit, all, allUnit] = m!;
      const bytes = (n: string, unit: string) => Number(n) * (unit === 'MB' ? 1e6 : 1e3);
      expect(Number(percent)).toBeLessThanOrEqual(100);
      // the .gz counts its compressed bytes: never more than its size on disk while it is read
      if (file === 'a.nbib.gz') expect(bytes(read!, readUnit!)).toBeLessThanOrEqual(statSync(join(dir, 'a.nbib.gz')).size * 1.01 + 1000);
      expect(Math.abs(bytes(all!, allUnit!) - total)).toBeLessThan(total * 0.06);
    }
    // the summary names the file written
    expect(r.stderr).toMatch(/medline: 4,500 records from 2 files converted to ndjson into out\.ndjson in /);
  });

  it('the line keeps within a narrow terminal, giving up the least needed parts first', async () => {
    const { progressLine } = await import('../../src/cli/progress.js');
    const state = { file: 'exports/pubmed-2021-search.nbib.gz', filesDone: 3, files: 12, bytes: 180e6, total: 900e6, records: 123456, seconds: 30, phase: null };
    expect(progressLine(state, 200)).toBe('exports/pubmed-2021-search.nbib.gz 4/12 · 20% · 180.0 MB of 900.0 MB · 123,456 records · 6.0 MB/s · 2:00 left');
    for (const width of [20, 40, 60, 80]) {
      const line = progressLine(state, width);
      expect(line.length).toBeLessThanOrEqual(width);
      // the percentage stays longest
      expect(line).toContain('20%');
    }
  });
});

describe('shell completions and the manual', () => {
  /** Every long option the command has, as commander holds them. */
  const optionNames = () => buildProgram('0').options.map((o) => o.long!);

  it('medline completion bash completes every option and the values of --to, --from, --keep; files after -o', async () => {
    const script = await run(['completion', 'bash']);
    expect(script.status).toBe(0);
    const dir = tempDir();
    writeFileSync(join(dir, 'c.bash'), script.stdout);
    writeFileSync(join(dir, 'export.nbib'), '');
    const complete = (words: string[]) =>
      spawnSync('bash', ['-c', `source c.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _medline; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: dir, encoding: 'utf8' }).stdout.trim().split('\n');
    expect(complete(['medline', '--to', ''])).toEqual(['json', 'ndjson', 'csv', 'tsv', 'bibtex', 'biblatex', 'ris', 'csl', 'medline']);
    expect(complete(['medline', '--ke'])).toEqual(['--key', '--keep']);
    expect(complete(['medline', '--keep', 'c'])).toEqual(['complete']);
    expect(complete(['medline', '-o', 'exp'])).toEqual(['export.nbib']);
    // every option the command has
    for (const long of optionNames()) expect(script.stdout, long).toContain(long);
  });

  it('zsh and fish scripts name every option; a missing or unknown shell is a usage error', async () => {
    for (const shell of ['zsh', 'fish']) {
      const r = await run(['completion', shell]);
      expect(r.status).toBe(0);
      for (const long of ['--to', '--dedupe', '--keep', '--report', '--no-color']) expect(r.stdout).toContain(shell === 'fish' ? `-l ${long.slice(2)}` : long);
      const file = join(tempDir(), `medline.${shell}`);
      writeFileSync(file, r.stdout);
      const check = spawnSync(shell, ['-n', file], { encoding: 'utf8' });
      if (check.error === undefined) expect([shell, check.status, check.stderr]).toEqual([shell, 0, '']);
      else console.warn(`medline: ${shell} not installed; its completion script was checked for its options only, not parsed`);
    }
    const none = await run(['completion']);
    expect([none.status, none.stderr.split('\n')[0]]).toEqual([2, 'medline: completion: name one shell: bash, zsh, fish (medline completion bash)']);
    expect((await run(['completion', 'tcsh'])).status).toBe(2);
  });

  it('the build writes the manual page with every option, and man renders it', async () => {
    const page = readFileSync(join(ROOT, 'man', 'medline.1'), 'utf8');
    expect(page).toMatch(/^\.TH MEDLINE 1 /);
    for (const long of optionNames()) expect(page.replace(/\\-/g, '-'), long).toContain(long);
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).man).toBe('./man/medline.1');
    const man = spawnSync('man', ['-l', join(ROOT, 'man', 'medline.1')], { encoding: 'utf8', env: { ...process.env, MANPAGER: 'cat', PAGER: 'cat', MANWIDTH: '80' } });
    if (man.error === undefined) expect(man.stdout).toMatch(/--keep <copy>/);
    else console.warn('medline: man not installed; the manual page was checked as text only');
  });
});
