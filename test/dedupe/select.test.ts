/**
 * Choosing records: --dedupe across and within inputs (real duplicates of the shared
 * corpus), --pmids and --exclude-pmids, the same with --jobs as with one job.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../cli-helpers.js';
import { CORPUS, corpusFiles, fixture, readFixture, ROOT } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'medline.js');
const medline = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
const corpus = corpusFiles();
const pmidsOf = (ndjson: string) => ndjson.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).pmid as string | null);

describe('--dedupe', () => {
  it(corpus ? 'writes each PMID of the whole corpus once, names both places of each duplicate, and --jobs 2 says the same' : `NOT checked on the corpus: ${CORPUS} not found`, ({ skip }) => {
    if (corpus === null) return skip('medline: shared corpus not found; --dedupe not checked on real duplicates');
    const all = medline([...corpus, '--to', 'ndjson', '--max-warnings', '0', '-q']);
    const one = medline([...corpus, '--to', 'ndjson', '--dedupe', '--max-warnings', '1000000']);
    const two = medline([...corpus, '--to', 'ndjson', '--dedupe', '--max-warnings', '1000000', '--jobs', '2']);
    for (const r of [all, one, two]) expect(r.status, r.stderr.slice(0, 2000)).toBe(0);
    const before = pmidsOf(all.stdout).filter((p): p is string => p !== null);
    const after = pmidsOf(one.stdout).filter((p): p is string => p !== null);
    expect(before.length - new Set(before).size).toBeGreaterThan(300);
    expect(after).toEqual([...new Set(before)]);
    const duplicates = one.stderr.split('\n').filter((l) => / DUPLICATE PMID /.test(l));
    expect(duplicates).toHaveLength(before.length - after.length);
    // the others: records without a PMID (JabRef's tests) of one PMC id
    for (const l of one.stderr.split('\n').filter((l) => / DUPLICATE (?!PMID )/.test(l))) expect(l).toMatch(/ DUPLICATE PMC id (?:PMC)?\d+, kept \S+:\d+; this one left out \(--dedupe\)$/);
    expect(duplicates[0]).toMatch(/^\S+:\d+:1: DUPLICATE PMID (\d+), kept \S+:\d+; this one left out \(--dedupe\) \(PMID \1\)$/);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  it('matches records without a PMID by DOI, whatever its case or resolver prefix, when their titles agree', async () => {
    const r = await run(['-', '--to', 'ndjson', '--dedupe'], {
      stdin: 'TI  - First, a study.\nLID - 10.1002/CTM2.297 [doi]\n\nTI  - first a study\nAID - https://doi.org/10.1002/ctm2.297 [doi]\n\nTI  - other\nLID - 10.1002/ctm2.298 [doi]\n',
    });
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).title)).toEqual(['First, a study.', 'other']);
    expect(r.stderr).toMatch(/^<stdin>:4:1: DUPLICATE DOI 10\.1002\/ctm2\.297, kept <stdin>:1; this one left out/m);
  });

  it('counts what it left out in the summary, read and written apart; duplicates are no warnings', async () => {
    const file = fixture('crlf-export-75-records.nbib');
    const r = await run([file, file, '--to', 'ris', '--dedupe', '--stats', '--max-warnings', '0']);
    expect(r.stdout.match(/^TY {2}- /gm)).toHaveLength(75);
    expect(r.stderr).toMatch(/medline: 150 records read from 2 files, 75 written as ris in [\d.]+ s; left out 75 duplicates; 0 warnings, 0 errors/);
    // every duplicate shown, whatever --max-warnings says
    expect(r.stderr.match(/ DUPLICATE /g)).toHaveLength(75);
  });
});

describe('--pmids and --exclude-pmids', () => {
  const text = readFixture('crlf-export-75-records.nbib');
  const all = [...text.matchAll(/^PMID- (\d+)/gm)].map((m) => m[1]!);

  it('keeps only the listed records, in input order; comments and blank lines allowed, other lines reported', async () => {
    const dir = tempDir();
    const chosen = [all[40]!, all[3]!, all[70]!];
    writeFileSync(join(dir, 'included.txt'), `# screened in\n${chosen[0]}\n\nPMID: ${chosen[1]}\n${chosen[2]}  # last\nnot a pmid\n`);
    const r = await run([fixture('crlf-export-75-records.nbib'), '--to', 'ndjson', '--pmids', 'included.txt'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(pmidsOf(r.stdout)).toEqual([all[3], all[40], all[70]]);
    expect(r.stderr).toBe('included.txt:6:1: NOT_A_PMID not a PMID, skipped: "not a pmid"\n');
  });

  it('drops the listed records with --exclude-pmids; a missing list is a usage error', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'excluded.txt'), all.slice(0, 70).join('\n'));
    const r = await run([fixture('crlf-export-75-records.nbib'), '--to', 'ndjson', '--exclude-pmids', 'excluded.txt'], { cwd: dir });
    expect(pmidsOf(r.stdout)).toEqual(all.slice(70));
    const missing = await run([fixture('crlf-export-75-records.nbib'), '--pmids', 'nope.txt'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^medline: nope\.txt: no such file\n/);
  });

  it("the reviewer's workflow: several exports into one deduplicated RIS, then the included studies as BibTeX", () => {
    const dir = tempDir();
    const a = readFixture('crlf-export-75-records.nbib');
    const records = a.split(/\r\n\r\n(?=PMID)/);
    writeFileSync(join(dir, 'search-2019.nbib'), records.slice(0, 50).join('\r\n\r\n'));
    writeFileSync(join(dir, 'search-2020.nbib'), records.slice(30).join('\r\n\r\n'));
    const ris = medline(['search-2019.nbib', 'search-2020.nbib', '--dedupe', '-o', 'screening.ris', '-q'], dir);
    expect(ris.status).toBe(0);
    expect(readFileSync(join(dir, 'screening.ris'), 'utf8').match(/^TY {2}- /gm)).toHaveLength(75);
    writeFileSync(join(dir, 'included.txt'), all.slice(10, 15).join('\n'));
    const bib = medline(['search-2019.nbib', 'search-2020.nbib', '--dedupe', '--pmids', 'included.txt', '-o', 'included.bib', '-q'], dir);
    expect(bib.status).toBe(0);
    expect(readFileSync(join(dir, 'included.bib'), 'utf8').match(/^@\w+\{/gm)).toHaveLength(5);
  });
});

describe('--jobs with a selection: the chosen records cut out of a worker\'s encoded bytes', () => {
  // real records, copied with fresh PMIDs into inputs of several 1 MB units; about 40% of
  // the PMIDs left out, in runs of every length, at units' starts and ends too
  const copies = (records: string[], pattern: RegExp, times: number) => {
    const out: string[] = [];
    for (let copy = 0; copy < times; copy++) for (const [i, r] of records.entries()) out.push(r.replace(pattern, (_, open: string) => `${open}${70_000_000 + copy * 1000 + i}`));
    return out;
  };
  const leftOut = (count: number) => {
    const pmids: number[] = [];
    let seed = 17;
    for (let copy = 0; copy < count; copy++) for (let i = 0; i < 1000; i++) if (((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 8) % 5 < 2) pmids.push(70_000_000 + copy * 1000 + i);
    return pmids.join('\n');
  };

  it('gives the bytes of --jobs 1 in every plain format and the others, from MEDLINE text and from PubMed XML', () => {
    const dir = tempDir();
    const text = readFixture('crlf-export-75-records.nbib').split(/\r\n\r\n(?=PMID)/);
    writeFileSync(join(dir, 'big.nbib'), copies(text, /^(PMID- )\d+/, Math.ceil(4e6 / text.join('').length)).join('\r\n\r\n'));
    const xmlDir = join(ROOT, 'fixtures', 'xml');
    const xml = readdirSync(xmlDir).map((name) => (name.endsWith('.gz') ? gunzipSync(readFileSync(join(xmlDir, name))) : readFileSync(join(xmlDir, name))).toString('utf8'));
    const articles = xml.flatMap((x) => [...x.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)].map((m) => m[0]));
    expect(articles.length).toBeGreaterThan(4);
    writeFileSync(join(dir, 'big.xml'), `<?xml version="1.0"?>\n<PubmedArticleSet>\n${copies(articles, /(<PMID[^>]*>)\d+/, Math.ceil(4e6 / articles.join('').length)).join('\n')}\n</PubmedArticleSet>\n`);
    writeFileSync(join(dir, 'out.txt'), leftOut(1000));
    for (const input of ['big.nbib', 'big.xml']) {
      expect(readFileSync(join(dir, input)).length).toBeGreaterThan(3 * 1024 * 1024);
      for (const to of ['ndjson', 'json', 'csv', 'ris', 'bibtex']) {
        const one = medline([input, '--to', to, '--exclude-pmids', 'out.txt', '--jobs', '1', '-q'], dir);
        const two = medline([input, '--to', to, '--exclude-pmids', 'out.txt', '--jobs', '2', '-q'], dir);
        expect(one.status, one.stderr).toBe(0);
        expect(two.status, two.stderr).toBe(0);
        expect(two.stdout.length, `${input} --to ${to}`).toBe(one.stdout.length);
        expect(two.stdout === one.stdout, `${input} --to ${to}: --jobs 2 wrote other bytes`).toBe(true);
      }
      // and what was left out is what the list says
      const kept = pmidsOf(medline([input, '--to', 'ndjson', '--exclude-pmids', 'out.txt', '--jobs', '2', '-q'], dir).stdout);
      const out = new Set(readFileSync(join(dir, 'out.txt'), 'utf8').split('\n'));
      expect(kept.length).toBeGreaterThan(0);
      expect(kept.filter((p) => out.has(p!))).toEqual([]);
    }
  });
});
