/**
 * Defects that other parsers' test suites exposed (issue 11), each with a regression test
 * from a real record, and a check on the whole corpus for the rest of its family.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GRANT_COUNTRIES } from '../../src/citation/countries.js';
import { parseOrcid } from '../../src/citation/names.js';
import { formatAll } from '../../src/formats/formatter.js';
import { createFormatter, type FormatName } from '../../src/formats/index.js';
import { workType } from '../../src/formats/work-type.js';
import type { Citation } from '../../src/types.js';
import { allInputs, CORPUS, fixture, parseByteChunks } from '../helpers.js';

const render = (format: FormatName, c: Citation) => formatAll(createFormatter(format), [c]);

const fromFixture = (name: string) => parseByteChunks([readFileSync(fixture(name))]).citations;
const corpusAndFixtures = allInputs();
const everyCitation = (): Citation[] => corpusAndFixtures.flatMap(([, cs]) => cs);

describe('grants are read by what their parts are, not by how many there are', () => {
  it('agency and country, no number (real records: CIHR/Canada, Canadian Institutes of Health Research/Canada)', () => {
    const grants = [...fromFixture('crlf-export-balloon.nbib'), ...fromFixture('crlf-collective-authors-investigators.txt')].flatMap((c) => c.grants);
    expect(grants).toContainEqual({ id: null, acronym: null, agency: 'CIHR', country: 'Canada' });
    expect(grants).toContainEqual({ id: null, acronym: null, agency: 'Canadian Institutes of Health Research', country: 'Canada' });
  });

  it('no grant of the corpus has a country for its agency, or an agency for its country', () => {
    const grants = everyCitation().flatMap((c) => c.grants);
    expect(grants.length).toBeGreaterThan(100);
    expect(grants.filter((g) => g.agency !== null && GRANT_COUNTRIES.has(g.agency))).toEqual([]);
    expect(grants.filter((g) => g.country !== null && !GRANT_COUNTRIES.has(g.country))).toEqual([]);
  });
});

const ERIC = join(CORPUS, 'zotero-translators');
const ericRecords = (): Citation[] | null =>
  existsSync(ERIC) ? ['MEDLINEnbib_testcase_05.txt', 'MEDLINEnbib_testcase_07.txt', 'MEDLINEnbib_testcase_08.txt'].flatMap((n) => parseByteChunks([readFileSync(join(ERIC, n))]).citations) : null;
const ericId = (c: Citation) => c.ids.other.find((o) => o.type === 'oid')?.value ?? null;

describe('ERIC documents are typed by their publication types, their JT is a publisher unless they are journal articles', () => {
  const records = ericRecords();
  it(records ? 'reports, a dissertation and journal articles from real ERIC exports (zotero-translators)' : 'NOT checked: the shared corpus (ERIC exports) is absent', ({ skip }) => {
    if (records === null) return skip('medline: shared corpus not found; ERIC typing not checked');
    const byId = new Map(records.map((c) => [ericId(c), c]));
    const report = byId.get('ED576982')!;
    expect(workType(report)).toBe('report');
    expect(report.journal.title).toBe(null);
    expect(report.book?.publisher).toBe('OECD Publishing');
    expect(render('bibtex', report)).toMatch(/^@techreport\{[^]*institution\s+= \{OECD Publishing\}/);
    expect(render('ris', report)).toMatch(/^TY {2}- RPRT\n[^]*\nPB {2}- OECD Publishing\n/);
    expect(JSON.parse(render('csl', report).replace(/^\[\n|\n\]\n$/g, ''))).toMatchObject({ type: 'report', publisher: 'OECD Publishing' });
    const thesis = byId.get('ED620611')!;
    expect(workType(thesis)).toBe('thesis');
    expect(thesis.book).toMatchObject({ publisher: 'ProQuest LLC', institution: 'Drexel University' });
    expect(render('bibtex', thesis)).toMatch(/school\s+= \{Drexel University\}/);
    const article = byId.get('EJ1227990')!;
    expect(workType(article)).toBe('article');
    expect(article.journal.title).toBe('Journal of Applied Testing Technology');
    // an EJ number is a journal article even when its types are only reports
    const ej = byId.get('EJ1208101')!;
    expect(ej.publicationTypes).not.toContain('Journal Articles');
    expect(workType(ej)).toBe('article');
    expect(ej.journal.title).toBe('Educational Technology Research and Development');
  });
});

describe('VTI is a volume title, not a vernacular title', () => {
  it('goes to book.volumeTitle and CSL volume-title (real record, JabRef test resources)', () => {
    const [c] = fromFixture('collective-author-investigators-other-abstract.nbib');
    expect(c!.book?.volumeTitle).toBe('title of the volume');
    expect('vernacularTitle' in c!).toBe(false);
    expect(c!.transliteratedTitle).toBe('title that is transliterated');
    expect(render('csl', c!)).toContain('"volume-title":"title of the volume"');
    expect(render('medline', c!)).toContain('VTI - title of the volume\n');
  });
});

describe('ERIC layout and empty identifiers', () => {
  const dir = ERIC;
  it(existsSync(dir) ? 'ERIC `ISSN - ` and `ISBN - ` lines raise no warning; `ISSN - EISSN-` is no ISSN (real ERIC exports)' : 'NOT checked: the shared corpus (ERIC exports) is absent', ({ skip }) => {
    if (!existsSync(dir)) return skip('medline: shared corpus not found; ERIC layout not checked');
    for (const name of ['MEDLINEnbib_testcase_05.txt', 'MEDLINEnbib_testcase_07.txt', 'MEDLINEnbib_testcase_08.txt']) {
      const bytes = readFileSync(join(dir, name));
      expect(bytes.toString('utf8')).toMatch(/^IS[SB]N - /m);
      const { citations, diagnostics } = parseByteChunks([bytes]);
      expect({ name, diagnostics: diagnostics.filter((d) => d.code === 'IRREGULAR_PADDING') }).toEqual({ name, diagnostics: [] });
      for (const c of citations) expect(c.journal.issn.other.filter((i) => /^E?ISSN-?$/.test(i))).toEqual([]);
    }
    const thesis = ericRecords()!.find((c) => ericId(c) === 'ED620611')!;
    expect(thesis.journal.issn).toEqual({ print: null, electronic: null, linking: null, other: [] });
    expect(thesis.extra['ISSN']).toEqual(['EISSN-']);
    expect(thesis.book?.isbn).toEqual(['979-8-2098-8762-1']);
  });
});

describe('nothing is lost without --raw', () => {
  it('reads initials with particles as NLM writes them (real record: Guna Serrano Mde L), and gives the short form back', () => {
    const c = fromFixture('crlf-collective-authors-investigators.txt').find((x) => x.pmid === '25726195')!;
    const person = [...c.authors, ...c.investigators].find((p) => p.family === 'Guna Serrano')!;
    // NLM's own initials (the XML's <Initials>Mde L</Initials>), not the last letter alone
    expect(person).toMatchObject({ given: 'Maria de Los Remedios', initials: 'Mde L', shortName: null });
    // the usual pair keeps no copy
    expect(c.authors.filter((p) => p.shortName === null).length).toBeGreaterThan(0);
    // and MEDLINE output gives the short form back as it was
    expect(formatAll(createFormatter('medline'), [c])).toMatch(/^(AU|IR) {2}- Guna Serrano Mde L$/m);
  });

  /**
   * Every value of every record, fixtures and corpus, is found in the default JSON: each of
   * its words and numbers (numbers by value, so that `20210218` is found in `2021-02-18`)
   * appears in the citation, typed or in `extra`. What is allowed to be rewritten is named:
   * `AU - et al.` is `authorsTruncated`, an ORCID (URL or compact) is the dashed iD, ERIC's `EISSN-`/`ISSN-`
   * labels are `journal.issn.electronic`/`print`.
   */
  it('finds every word of every value of the corpus in the default JSON', () => {
    const words = (s: string) =>
      (s.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? []).flatMap((t) =>
        /^\d+$/.test(t) ? (t.length >= 6 && t.length <= 14 && t.length % 2 === 0 ? [t.slice(0, 4), ...t.slice(4).match(/\d\d/g)!] : [t]).map((d) => String(Number(d))) : [t],
      );
    const lost: string[] = [];
    let values = 0;
    for (const [name] of corpusAndFixtures) {
      const bytes = readFileSync(name.startsWith('fixtures/') ? fixture(name.slice('fixtures/'.length)) : join(CORPUS, name.slice('corpus/'.length)));
      for (const c of parseByteChunks([bytes], true).citations) {
        const raw = c.raw!;
        delete c.raw;
        const have = new Set(words(JSON.stringify(c)));
        for (const { tag, value } of raw) {
          values++;
          if (tag === 'AU' && value === 'et al.' && c.authorsTruncated) continue;
          const orcid = tag === 'AUID' ? parseOrcid(value) : null;
          // named transformations: an ORCID as its iD, ERIC's ISSN labels, a DOI without its resolver URL
          const text =
            orcid !== null
              ? `ORCID ${orcid}`
              : tag === 'ISSN'
                ? value.replace(/^E?ISSN-(?=\S)/, '')
                : tag === 'AID' || tag === 'LID'
                  ? value.replace(/^https?:\/\/(?:www\.|dx\.)?doi\.org\//i, '')
                  : value;
          const missing = words(text).filter((w) => !have.has(w));
          if (missing.length > 0) lost.push(`${name} PMID ${c.pmid} ${tag}: ${value.slice(0, 80)} (${missing.join(', ')})`);
        }
      }
    }
    expect(values).toBeGreaterThan(100_000);
    expect(lost).toEqual([]);
  });
});

describe('an indented tag line is that tag, never part of the PMID', () => {
  const record = readFileSync(fixture('reference-record.txt'), 'utf8');
  it('a tab before the second line of a real record (the reference record, OWN - NLM)', () => {
    const edited = record.replace('\nOWN - NLM\n', '\n\tOWN - NLM\n');
    expect(edited).not.toBe(record);
    const { citations, diagnostics } = parseByteChunks([new TextEncoder().encode(edited)]);
    const plain = parseByteChunks([new TextEncoder().encode(record)]);
    expect(citations).toEqual(plain.citations);
    expect(citations[0]!.pmid).toBe('33634996');
    expect(diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['INDENTED_TAG_LINE', 2, 2]]);
  });

  it('after a blank line, an indented PMID line starts a record; after PMID, an indented non-tag line is not glued to it', () => {
    const { citations, diagnostics } = parseByteChunks([new TextEncoder().encode('PMID- 1\n      not a tag\nTI  - a\n\n  PMID- 2\nTI  - b\n')]);
    expect(citations.map((c) => [c.pmid, c.title])).toEqual([['1', 'a'], ['2', 'b']]);
    expect(citations[0]!.extra['_malformed']).toEqual(['not a tag']);
    expect(diagnostics.map((d) => d.code)).toEqual(['MALFORMED_LINE', 'INDENTED_TAG_LINE']);
  });

  it('a continuation that merely starts with a tag-like word stays a continuation', () => {
    const { citations } = parseByteChunks([new TextEncoder().encode('PMID- 1\nAB  - The ratio was\n      CI  - not a tag here, as PubMed indents it\n')]);
    expect(citations[0]!.abstract).toBe('The ratio was CI  - not a tag here, as PubMed indents it');
  });
});
