/**
 * Merging search exports as a reviewer must report it (issue 20, first part): every removal
 * in an audit file written through the one output path, DUPLICATE as information (no warning,
 * no --strict stop, no --max-warnings cap), PRISMA counts in the summary, and DOI spellings
 * recognised as one DOI. On real records of the shared corpus and the fixtures.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseDoi } from '../../src/selection.js';
import { tempDir } from '../cli-helpers.js';
import { CORPUS, corpusFiles, fixture, readFixture, ROOT } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'medline.js');
const medline = (args: string[], cwd = ROOT, input?: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', maxBuffer: 1 << 28 });
const corpus = corpusFiles();
const tsv = (text: string) => text.trim().split('\n').map((l) => l.split('\t'));

describe('--dedupe is auditable', () => {
  it(corpus ? 'the whole corpus: every removal is a row of --duplicates FILE (417), none a warning; --strict does not stop on them; the same with --jobs 2' : `NOT checked on the corpus: ${CORPUS} not found`, ({ skip }) => {
    if (corpus === null) return skip('medline: shared corpus not found; the dedupe audit was not checked on it');
    const dir = tempDir();
    const plain = medline([...corpus, '--to', 'ndjson', '--max-warnings', '0', '--stats'], dir);
    const warnings = Number(/; ([\d,]+) warnings?, /.exec(plain.stderr)![1]!.replace(/,/g, ''));
    const one = medline([...corpus, '--dedupe', '--duplicates', 'dups.tsv', '-o', 'all.ndjson', '--max-warnings', '0', '--stats'], dir);
    expect(one.status).toBe(0);
    const rows = tsv(readFileSync(join(dir, 'dups.tsv'), 'utf8'));
    expect(rows[0]).toEqual(['file', 'line', 'pmid', 'doi', 'title', 'duplicate_of_file', 'duplicate_of_line', 'duplicate_of_pmid', 'rule', 'decision']);
    const removed = rows.slice(1).filter((r) => r[9] === 'removed');
    // possible duplicates are kept and listed to be checked: a title of an earlier record that no rule joined
    for (const r of rows.slice(1).filter((r) => r[9] !== 'removed')) expect([r[8], r[9]]).toEqual(['same title, not the same year and first page or DOI', 'check']);
    const written = readFileSync(join(dir, 'all.ndjson'), 'utf8').trim().split('\n').length;
    const read = plain.stdout === '' ? 0 : Number(/([\d,]+) records from/.exec(plain.stderr)![1]!.replace(/,/g, ''));
    expect(removed.length).toBe(read - written);
    expect(removed.length).toBeGreaterThan(300);
    // the same PMID, or (records of JabRef's tests without one) the same PMC id
    for (const r of removed) expect([r[2], r[8]]).toEqual([r[7], r[2] === '' ? 'same PMC id' : 'same PMID']);
    // no duplicate on stderr, and the warnings are those of the data alone
    expect(one.stderr).not.toMatch(/ DUPLICATE /);
    expect(one.stderr).toMatch(new RegExp(`; ${warnings.toLocaleString('en-US')} warnings?, 0 errors\\n$`));
    // PRISMA: identified per input, removed, written
    expect(one.stderr).toMatch(new RegExp(`--dedupe: ${read.toLocaleString('en-US')} records identified \\(.*\\); ${removed.length} duplicates removed; ${written.toLocaleString('en-US')} records written`));
    const two = medline([...corpus, '--dedupe', '--duplicates', 'dups2.tsv', '-o', 'all2.ndjson', '--max-warnings', '0', '--jobs', '2'], dir);
    expect(two.status).toBe(0);
    expect(readFileSync(join(dir, 'dups2.tsv'), 'utf8')).toBe(readFileSync(join(dir, 'dups.tsv'), 'utf8'));
  });

  it('--strict and --check do not fail on duplicates alone; -q hides them, the audit file still has them', () => {
    const file = fixture('crlf-export-75-records.nbib');
    const dir = tempDir();
    expect(medline([file, file, '--dedupe', '--strict', '--to', 'ris'], dir).status).toBe(0);
    const check = medline([fixture('reference-record.txt'), fixture('reference-record.txt'), '--dedupe', '--check'], dir);
    expect(check.status).toBe(0);
    const quiet = medline([file, file, '--dedupe', '-q', '--duplicates', 'd.tsv', '-o', 'o.ris'], dir);
    expect([quiet.status, quiet.stderr]).toEqual([0, '']);
    expect(tsv(readFileSync(join(dir, 'd.tsv'), 'utf8')).filter((r) => r[9] === 'removed')).toHaveLength(75);
  });

  it('the audit file is written as -o is: refused when it names an input, never half-written, and needs --dedupe', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.nbib'), readFixture('crlf-export-75-records.nbib'));
    const clash = medline(['a.nbib', '--dedupe', '--duplicates', 'a.nbib', '--to', 'ris'], dir);
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/--duplicates a\.nbib is the same file as input a\.nbib/);
    expect(readFileSync(join(dir, 'a.nbib'), 'utf8')).toBe(readFixture('crlf-export-75-records.nbib'));
    writeFileSync(join(dir, 'old.tsv'), 'previous');
    const failed = medline(['a.nbib', 'missing.nbib', '--dedupe', '--duplicates', 'old.tsv', '-o', 'x.ris'], dir);
    expect(failed.status).toBe(2);
    const alone = medline(['a.nbib', '--duplicates', 'd.tsv'], dir);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toMatch(/--duplicates lists what --dedupe leaves out: add --dedupe/);
  });
});

describe('DOIs compare however they are written', () => {
  it.each([
    '10.1002/ctm2.297',
    '10.1002/CTM2.297',
    'https://doi.org/10.1002/ctm2.297',
    'http://dx.doi.org/10.1002/ctm2.297',
    'https://www.doi.org/10.1002/ctm2.297',
    'doi:10.1002/ctm2.297',
    'DOI 10.1002/ctm2.297',
    '10.1002%2Fctm2.297',
    '10.1002/ctm2.297.',
  ])('%s', (doi) => {
    expect(normaliseDoi(doi)).toBe('10.1002/ctm2.297');
  });

  it('records without a PMID and with the same DOI in other spellings are one work', () => {
    const records = ['doi:10.1002/CTM2.297', 'https://www.doi.org/10.1002/ctm2.297', '10.1002%2Fctm2.297.'].map((d, i) => `TI  - The same work.${' '.repeat(i)}\nAB  - copy ${i}\nLID - ${d} [doi]\n`);
    const r = medline(['-', '--to', 'ndjson', '--dedupe'], ROOT, records.join('\n'));
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).abstract)).toEqual(['copy 0']);
  });
});

describe('matching that never merges distinct works', () => {
  /** A real record of the fixtures without its PMID: the kind Embase or CINAHL exports give. */
  const article = readFixture('reference-record.txt').replace(/^PMID- .*\n/m, '').replace(/^PMC - .*\n/m, '');
  const doi = /^LID - (\S+) \[doi\]/m.exec(article)![1]!;

  it('an erratum and a retraction notice that carry the article’s DOI are kept beside it', () => {
    const erratum = `TI  - Erratum: ${/^TI  - (.*)$/m.exec(article)![1]}\nPT  - Published Erratum\nLID - ${doi} [doi]\n`;
    const retraction = `TI  - Retraction Note: a study\nLID - https://doi.org/${doi} [doi]\n`;
    const r = medline(['-', '--to', 'ndjson', '--dedupe'], ROOT, [article, erratum, retraction].join('\n'));
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('the same article with and without a PMID (same DOI, same title): one work, in either order', () => {
    const withPmid = readFixture('reference-record.txt');
    for (const order of [[article, withPmid], [withPmid, article]]) {
      const r = medline(['-', '--to', 'ndjson', '--dedupe'], ROOT, order.join('\n'));
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/DUPLICATE DOI /);
    }
    // two records with different PMIDs are two works, whatever their DOI
    const other = withPmid.replace(/^PMID- \d+/m, 'PMID- 1');
    expect(medline(['-', '--to', 'ndjson', '--dedupe'], ROOT, [withPmid, other].join('\n')).stdout.trim().split('\n')).toHaveLength(2);
  });

  it('two conference abstracts sharing their supplement’s DOI stay two', () => {
    const abstract = (title: string) => `TI  - ${title}\nJT  - Annals of Oncology\nLID - 10.1093/annonc/mdz999 [doi]\n`;
    const r = medline(['-', '--to', 'ndjson', '--dedupe'], ROOT, [abstract('Outcomes of a first trial.'), abstract('A different poster on another cohort.')].join('\n'));
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });
});

describe('--pmids says which listed PMIDs no input held', () => {
  it('a reviewer’s included study missing from the exports is named', () => {
    const dir = tempDir();
    const pmids = [...readFixture('crlf-export-75-records.nbib').matchAll(/^PMID- (\d+)/gm)].map((m) => m[1]!);
    writeFileSync(join(dir, 'included.txt'), `${pmids[3]}\n${pmids[7]}\n99999999\n88888888\n`);
    const r = medline([fixture('crlf-export-75-records.nbib'), '--pmids', 'included.txt', '--to', 'ndjson'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
    expect(r.stderr).toContain('--pmids: 2 listed PMIDs in no input: 88888888, 99999999');
  });
});

describe('which copy survives, every input it was in, and the counts for scripts', () => {
  /** The reference record as PubMed exported it ahead of print: no volume, issue, pages, abstract or MeSH. */
  const full = readFixture('reference-record.txt');
  const early = full
    .split('\n')
    .filter((_line, i, all) => {
      // a tag's continuation lines go with it
      let j = i;
      while (j > 0 && /^ {6}/.test(all[j]!)) j--;
      return !/^(VI|IP|PG|AB|MH) /.test(all[j]!);
    })
    .join('\n');

  it('--keep complete writes the most complete copy wherever it comes, the audit names it; the first otherwise', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'early.txt'), early);
    writeFileSync(join(dir, 'full.txt'), full);
    const first = medline(['early.txt', 'full.txt', '--dedupe', '--to', 'ndjson', '-q'], dir);
    expect(JSON.parse(first.stdout).abstract).toBeNull();
    for (const jobs of ['1', '2']) {
      const complete = medline(['early.txt', 'full.txt', '--dedupe', '--keep', 'complete', '--duplicates', 'd.tsv', '--to', 'ndjson', '-q', '--jobs', jobs], dir);
      expect(complete.status).toBe(0);
      const [kept] = complete.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(complete.stdout.trim().split('\n')).toHaveLength(1);
      expect(kept.abstract.length).toBeGreaterThan(200);
      expect(kept.pages.first).not.toBeNull();
      expect(tsv(readFileSync(join(dir, 'd.tsv'), 'utf8')).slice(1).map((r) => [r[0], r[1], r[5], r[6], r[8], r[9]])).toEqual([['early.txt', '1', 'full.txt', '1', 'same PMID', 'removed']]);
    }
  });

  it('--sources says every input a record was in (each copy’s with --dedupe); JSON, CSV and RIS carry it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'early.txt'), early);
    writeFileSync(join(dir, 'full.txt'), full);
    const json = medline(['early.txt', 'full.txt', '--dedupe', '--sources', '--to', 'ndjson', '-q'], dir);
    expect(JSON.parse(json.stdout).sources).toEqual(['early.txt', 'full.txt']);
    const csv = medline(['early.txt', 'full.txt', '--dedupe', '--sources', '--to', 'csv', '--fields', 'pmid', '-q'], dir);
    expect(csv.stdout).toBe('pmid,sources\n33634996,early.txt | full.txt\n');
    const ris = medline(['early.txt', 'full.txt', '--dedupe', '--sources', '--to', 'ris', '-q'], dir);
    expect(ris.stdout).toMatch(/^N1 {2}- Found in: early\.txt; full\.txt$/m);
    // without --dedupe: each record's own input, in one reading (stdin too)
    const plain = medline(['-', '--sources', '--to', 'ndjson', '-q'], dir, full);
    expect(JSON.parse(plain.stdout).sources).toEqual(['<stdin>']);
    // the default output does not change
    expect(medline(['full.txt', '--to', 'ndjson', '-q'], dir).stdout).not.toMatch(/"sources"/);
  });

  it('reading twice refuses stdin, and --keep complete needs --dedupe: usage errors that say why', () => {
    const r = medline(['-', '--dedupe', '--keep', 'complete', '--to', 'ris'], ROOT, full);
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, 'medline: --keep complete reads the inputs twice, and stdin cannot be read again: save it to a file first']);
    const s = medline(['--dedupe', '--sources', '--to', 'ris'], ROOT, full);
    expect(s.status).toBe(2);
    const k = medline([fixture('reference-record.txt'), '--keep', 'complete', '--to', 'ris']);
    expect([k.status, k.stderr.split('\n')[0]]).toEqual([2, 'medline: --keep complete chooses among the copies --dedupe finds: add --dedupe']);
  });

  it('--report FILE: the PRISMA counts as JSON, written as -o is; possible duplicates are kept and listed to check', () => {
    const dir = tempDir();
    const title = /^TI {2}- (.*(?:\n {6}.*)*)/m.exec(full)![1]!.replace(/\s+/g, ' ');
    // the same title a year later on other pages, without identifiers: maybe the same work, not merged
    const later = `TI  - ${title}\nDP  - 2023\nPG  - 999-1001\nJT  - Another journal\n`;
    writeFileSync(join(dir, 'a.txt'), `${full}\n${full}`);
    writeFileSync(join(dir, 'b.txt'), later);
    const r = medline(['a.txt', 'b.txt', '--dedupe', '--duplicates', 'd.tsv', '--report', 'run.json', '-o', 'out.ris'], dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/--dedupe: 3 records identified \(a\.txt 2, b\.txt 1\); 1 duplicate removed; 2 records written; 1 possible duplicate kept to check \(listed in d\.tsv\)/);
    const report = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(report).toMatchObject({
      inputs: [{ file: 'a.txt', records: 2 }, { file: 'b.txt', records: 1 }],
      output: 'out.ris',
      format: 'ris',
      records: { read: 3, duplicatesRemoved: 1, notChosenByLists: 0, written: 2 },
      dedupe: { keep: 'first', removedByRule: { 'same PMID': 1 }, possibleDuplicates: 1, auditFile: 'd.tsv' },
      errors: 0,
    });
    const rows = tsv(readFileSync(join(dir, 'd.tsv'), 'utf8')).slice(1);
    expect(rows.map((row) => [row[0], row[5], row[8], row[9]])).toEqual([
      ['a.txt', 'a.txt', 'same PMID', 'removed'],
      ['b.txt', 'a.txt', 'same title, not the same year and first page or DOI', 'check'],
    ]);
    expect(readFileSync(join(dir, 'out.ris'), 'utf8').match(/^TY {2}- /gm)).toHaveLength(2);
    // refused when it names an input, as -o is
    const clash = medline(['a.txt', '--report', 'a.txt', '--to', 'ris'], dir);
    expect(clash.status).toBe(2);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe(`${full}\n${full}`);
    // --check writes the report and nothing else
    const check = medline(['a.txt', '--check', '--report', 'check.json'], dir);
    expect(JSON.parse(readFileSync(join(dir, 'check.json'), 'utf8')).records).toMatchObject({ read: 2, written: 0 });
    expect(check.stdout).toBe('');
  });
});

describe('the library does as the command does', () => {
  it('convert() with dedupe, keep: complete and sources writes the complete copy and its inputs; stdin is refused', async () => {
    const { convert, MedlineError } = await import('../../src/index.js');
    const full = readFixture('reference-record.txt');
    const dir = tempDir();
    writeFileSync(join(dir, 'early.txt'), full.replace(/^AB {2}- .*(?:\n {6}.*)*\n/m, ''));
    writeFileSync(join(dir, 'full.txt'), full);
    const summary = await convert(['early.txt', 'full.txt'], { cwd: dir, output: join(dir, 'out.ndjson'), to: 'ndjson', dedupe: true, keep: 'complete', sources: true });
    expect(summary.records).toBe(2);
    const [kept, ...rest] = readFileSync(join(dir, 'out.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rest).toHaveLength(0);
    expect(kept.abstract.length).toBeGreaterThan(200);
    expect(kept.sources).toEqual(['early.txt', 'full.txt']);
    await expect(convert(['-'], { output: join(dir, 'x.ndjson'), dedupe: true, keep: 'complete' })).rejects.toBeInstanceOf(MedlineError);
    await expect(convert(['full.txt'], { cwd: dir, output: join(dir, 'x.ndjson'), keep: 'complete' })).rejects.toThrow(/keep: complete chooses among the copies dedupe finds/);
  });
});
