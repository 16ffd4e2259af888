/**
 * The catalogue of bad input (README, "What happens with bad input"): each case, its exit
 * status and message, and the valid inputs around it still converted.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MedlineTokenizer } from '../../src/core/tokenizer.js';
import { run, tempDir } from '../cli-helpers.js';
import { ROOT, fixture } from '../helpers.js';

const BAD = join(ROOT, 'fixtures', 'bad-input');
const bad = (name: string) => join(BAD, name);
const GOOD = fixture('reference-record.txt');
const lines = (s: string) => s.split('\n').filter((l) => l.length > 0);

describe('bad input, case by case', () => {
  it('empty file: no record, no message, exit 0', async () => {
    const r = await run([bad('empty.txt'), '--to', 'ndjson']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('only blank lines: the same', async () => {
    const r = await run([bad('only-blank-lines.txt'), '--to', 'ndjson']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  });

  it('a text file that is not MEDLINE: its lines reported, NO_RECORDS, exit 1, the next file converted', async () => {
    const r = await run([bad('not-medline.txt'), GOOD, '--to', 'ndjson']);
    expect(r.status).toBe(1);
    expect(lines(r.stderr).map((l) => l.replace(/^.*?: (\w+) .*$/, '$1'))).toEqual([
      'TEXT_OUTSIDE_RECORD',
      'TEXT_OUTSIDE_RECORD',
      'TEXT_OUTSIDE_RECORD',
      'NO_RECORDS',
    ]);
    expect(r.stderr).toContain(`${bad('not-medline.txt')}:1:1: TEXT_OUTSIDE_RECORD text outside any record was skipped: "Search results for "covid""`);
    expect(JSON.parse(r.stdout).pmid).toBe('33634996');
  });

  it('a binary file: refused with a clear message, exit 2, the next file converted', async () => {
    const r = await run([bad('image.png'), GOOD, '--to', 'ndjson']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`medline: ${bad('image.png')}: this looks like a binary file, not MEDLINE text (binary data at byte offset 8)\n`);
    expect(JSON.parse(r.stdout).pmid).toBe('33634996');
  });

  it.each([
    ['reference-record.ris', 'RIS'],
    ['reference-record.bib', 'BibTeX'],
    ['pubmed-export.csv', "PubMed's CSV export"],
    ['pubmed-page.html', 'an HTML page (a web page saved from the browser?)'],
    ['reference-record.txt.xz', 'an xz-compressed file'],
    ['reference-record.txt.bz2', 'a bzip2-compressed file'],
  ])('another format (%s): one line saying what it is and what to do, exit 2, the next file converted', async (name, what) => {
    const r = await run([bad(name), GOOD, '--to', 'ndjson']);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(new RegExp(`^medline: ${bad(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: this is ${what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, not MEDLINE text; `))]);
    expect(r.stderr).toMatch(/Save → Format: PubMed|decompress it first/);
    expect(JSON.parse(r.stdout).pmid).toBe('33634996');
  });

  it('XML that is not PubMed XML: refused with the way to get MEDLINE text (PubMed XML is read: test/xml/xml.test.ts)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'esearch.xml'), '<?xml version="1.0"?>\n<eSearchResult><Count>1</Count></eSearchResult>\n');
    const r = await run([join(dir, 'esearch.xml'), GOOD, '--to', 'ndjson']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/: this is an XML file \(<eSearchResult>, not PubMed XML\), not MEDLINE text; .*-format xml for PubMed XML\n$/);
    expect(JSON.parse(r.stdout).pmid).toBe('33634996');
  });

  it('gzip data without .gz: decompressed', async () => {
    const r = await run([bad('gzip-without-extension.txt'), '--to', 'ndjson']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).pmid).toBe('12230038');
  });

  it('invalid UTF-8: U+FFFD with a warning naming line, column and byte offset; --encoding latin1 reads it', async () => {
    const r = await run([bad('latin1.txt'), '--to', 'ndjson']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).title).toBe('Caf\uFFFD au lait spots in M\uFFFDller syndrome');
    expect(lines(r.stderr)[0]).toBe(
      `${bad('latin1.txt')}:2:10: INVALID_UTF8 invalid UTF-8 byte 0xE9 at byte offset 17 replaced by U+FFFD (is the file Latin-1? try --encoding latin1) (PMID 1)`,
    );
    expect(lines(r.stderr)).toHaveLength(5);
    const latin1 = await run([bad('latin1.txt'), '--to', 'ndjson', '--encoding', 'latin1']);
    expect([latin1.status, latin1.stderr]).toEqual([0, '']);
    expect(JSON.parse(latin1.stdout).authors[0]).toMatchObject({ family: 'Müller', given: 'Jörg' });
  });

  it('UTF-16 with a BOM: decoded', async () => {
    const r = await run([bad('utf16le-bom.txt'), '--to', 'ndjson']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toMatchObject({ pmid: '12230038', title: 'The Bio* toolkits--a brief overview.' });
  });

  it('a record cut off mid-line at the end: converted with what it has', async () => {
    const r = await run([bad('truncated-mid-line.nbib'), '--to', 'ndjson']);
    expect(r.status).toBe(0);
    const c = JSON.parse(r.stdout);
    expect(c.publicationTypes.at(-1)).toBe('Systematic Revie');
  });

  it('a 15 MB line (under the 16 MiB bound): converted whole, in linear time (1.9 MB against 15 MB)', async () => {
    const dir = tempDir();
    const convert = async (words: number) => {
      const value = 'abc def '.repeat(words).trimEnd();
      writeFileSync(join(dir, 'long.txt'), `PMID- 1\nAB  - ${value}\n`);
      const started = performance.now();
      const r = await run(['long.txt', '--to', 'ndjson'], { cwd: dir });
      const ms = performance.now() - started;
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).abstract.length).toBe(value.length);
      return ms;
    };
    const small = Math.min(await convert(234_375), await convert(234_375));
    const large = Math.min(await convert(1_875_000), await convert(1_875_000));
    // growth, not a wall clock: linear is about 8, a quadratic reading 64
    expect(Math.round(large / Math.max(small, 20))).toBeLessThanOrEqual(24);
  });

  it('a million tiny records: every one emitted', () => {
    let count = 0;
    let last = '';
    const tokenizer = new MedlineTokenizer({ onRecord: (r) => ((last = r.pmid!), count++), onDiagnostic: () => undefined });
    const block = Array.from({ length: 1000 }, (_, i) => `PMID- ${i}\nTI  - t\n`).join('\n') + '\n';
    for (let i = 0; i < 1000; i++) tokenizer.write(block);
    tokenizer.end();
    expect([count, last]).toEqual([1_000_000, '999']);
  });

  it('a directory, a missing file and an unreadable file among valid ones: each reported, the others converted, exit 2', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'folder'));
    const r = await run(['folder', GOOD, 'missing.txt', GOOD, '--to', 'ndjson'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual(['medline: folder: is a directory, not a file', 'medline: missing.txt: no such file']);
    expect(lines(r.stdout)).toHaveLength(2);
  });
});

describe('crafted input reads and writes no path but those named', () => {
  it('leaves the working directory as it was, whatever the records say', async () => {
    const dir = tempDir();
    const evil = [
      'PMID- 1',
      'TI  - \\input{/etc/passwd} \\write18{touch pwned} @include{x.bib}',
      'AB  - =HYPERLINK("http://x") ../../etc/passwd $(touch pwned) `touch pwned`',
      'AID - ../../../tmp/pwned [doi]',
      'LID - file:///etc/passwd',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'in.txt'), evil);
    for (const format of ['json', 'csv', 'bibtex', 'ris', 'csl', 'medline', 'tsv', 'ndjson']) {
      const r = await run(['in.txt', '--to', format, '-o', `out.${format}`], { cwd: dir });
      expect(r.status).toBe(0);
    }
    expect(readdirSync(dir).sort()).toEqual(['in.txt', 'out.bibtex', 'out.csl', 'out.csv', 'out.json', 'out.medline', 'out.ndjson', 'out.ris', 'out.tsv']);
    expect(readFileSync(join(dir, 'out.bibtex'), 'utf8')).toContain('\\textbackslash{}input\\textbraceleft{}/etc/passwd\\textbraceright{}');
  });
});
