/**
 * Mapping defects found on PubMed data from outside our corpus (issue 19), each on a real
 * record of ../shared/corpus-xml or a record shaped like the real one it names: keywords
 * without MEDLINE's `*`, grant acronyms by the field's structure, investigators in order,
 * `Cites` kept as references, Bookshelf accessions, the 2013–2014 author layout, vernacular
 * titles, pretty-printed MathML, initials with particles, month ranges with `/`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createFormatter, formatAll, parse, parsePubmedXml } from '../../src/index.js';
import type { Citation } from '../../src/types.js';
import { ROOT, SHARED } from '../helpers.js';

const XML = join(SHARED, 'corpus-xml');
const xmlCitations = (name: string): Citation[] | null => {
  const path = join(XML, name);
  if (!existsSync(path)) return null;
  const bytes = readFileSync(path);
  return parsePubmedXml((name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')).citations;
};
const xmlText = (name: string) => {
  const bytes = readFileSync(join(XML, name));
  return (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
};
const one = (text: string) => parse(text).citations[0]!;
const render = (format: 'bibtex' | 'ris' | 'csl' | 'medline', c: Citation) => formatAll(createFormatter(format), [c]);
const notChecked = (name: string) => `NOT checked (${name} not in ../shared/corpus-xml)`;

/** A real record's shape (PMID 28821674, language-CRLF.nbib): NOTNLM keywords, three of them major. */
const KEYWORDS = `PMID- 28821674
OWN - NLM
STAT- MEDLINE
TI  - Superior temporal activation as a function of linguistic knowledge.
OTO - NOTNLM
OT  - *deaf
OT  - *language
OT  - plasticity
OT  - *
`;

describe('keywords are plain terms; the major-topic mark is data', () => {
  it('OT  - *deaf: keyword "deaf", in majorKeywords; an empty major keyword is kept in extra, not as "*"', () => {
    const c = one(KEYWORDS);
    expect(c.keywords).toEqual(['deaf', 'language', 'plasticity']);
    expect(c.majorKeywords).toEqual(['deaf', 'language']);
    expect(c.extra['OT']).toEqual(['*']);
  });

  it('BibTeX, RIS and CSL write plain keywords; --to medline writes the star back', () => {
    const c = one(KEYWORDS);
    expect(render('bibtex', c)).toMatch(/keywords +=\s\{deaf, language, plasticity\}/);
    expect(render('ris', c).match(/^KW {2}- .*$/gm)).toEqual(['KW  - deaf', 'KW  - language', 'KW  - plasticity']);
    expect(JSON.parse(render('csl', c))[0].keyword).toBe('deaf, language, plasticity');
    // the empty one too, from extra: MEDLINE out gives back what came in
    expect(render('medline', c).match(/^OT {2}- .*$/gm)).toEqual(['OT  - *deaf', 'OT  - *language', 'OT  - plasticity', 'OT  - *']);
  });

  const file = 'xizhou-pubMR__pubmed_result.xml';
  it(existsSync(join(XML, file)) ? `XML <Keyword MajorTopicYN="Y"> the same (${file}: 273 major keywords)` : notChecked(file), () => {
    const citations = xmlCitations(file);
    if (citations === null) return;
    const all = citations.flatMap((c) => c.keywords);
    expect(all.some((k) => k.startsWith('*'))).toBe(false);
    const major = (xmlText(file).match(/<Keyword MajorTopicYN="Y">/g) ?? []).length;
    expect(citations.reduce((n, c) => n + c.majorKeywords.length, 0)).toBe(major);
  });
});

describe('grant acronyms found by the field’s structure, and from XML as the XML gives them', () => {
  it.each([
    ['MC_UU_12017/13/MRC_/Medical Research Council/United Kingdom', { id: 'MC_UU_12017/13', acronym: 'MRC_', agency: 'Medical Research Council', country: 'United Kingdom' }],
    ['CC999999/ImCDC/Intramural CDC HHS/United States', { id: 'CC999999', acronym: 'ImCDC', agency: 'Intramural CDC HHS', country: 'United States' }],
    ['C6307/A29058/CRUK_/Cancer Research UK/United Kingdom', { id: 'C6307/A29058', acronym: 'CRUK_', agency: 'Cancer Research UK', country: 'United Kingdom' }],
    ['ZIA AG001050/ImNIH/Intramural NIH HHS/United States', { id: 'ZIA AG001050', acronym: 'ImNIH', agency: 'Intramural NIH HHS', country: 'United States' }],
    ['IA/I/15/1/501826/WTDBT_/DBT-Wellcome Trust India Alliance/India', { id: 'IA/I/15/1/501826', acronym: 'WTDBT_', agency: 'DBT-Wellcome Trust India Alliance', country: 'India' }],
    ['R01 CA183444/CA/NCI NIH HHS/United States', { id: 'R01 CA183444', acronym: 'CA', agency: 'NCI NIH HHS', country: 'United States' }],
    ['MOP-106511/CIHR/Canada', { id: 'MOP-106511', acronym: null, agency: 'CIHR', country: 'Canada' }],
    ['K/OPR/2/2/D333/Chief Scientist Office/United Kingdom', { id: 'K/OPR/2/2/D333', acronym: null, agency: 'Chief Scientist Office', country: 'United Kingdom' }],
  ])('GR  - %s', (value, grant) => {
    expect(one(`PMID- 1\nGR  - ${value}\n`).grants).toEqual([grant]);
  });

  const file = 'PathwayCommons-ncbiutils__pubmed.xml';
  it(existsSync(join(XML, file)) ? `XML grants keep GrantID, Acronym, Agency and Country as they are (${file}: MRC_, CRUK_)` : notChecked(file), () => {
    const citations = xmlCitations(file);
    if (citations === null) return;
    const text = xmlText(file);
    const grants = [...text.matchAll(/<Grant>([\s\S]*?)<\/Grant>/g)].map((m) => {
      const part = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(m[1]!)?.[1] ?? null;
      return { id: part('GrantID'), acronym: part('Acronym'), agency: part('Agency'), country: part('Country') };
    });
    expect(citations.flatMap((c) => c.grants)).toEqual(grants);
    expect(grants.some((g) => g.acronym === 'MRC_')).toBe(true);
  });

  it('an XML grant with only an Acronym gets it as acronym, not as id (a real grant, its other parts dropped)', () => {
    const xml = `<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>x</ArticleTitle><GrantList><Grant><Acronym>WT_</Acronym><Country>United Kingdom</Country></Grant></GrantList></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>`;
    expect(parsePubmedXml(xml).citations[0]!.grants).toEqual([{ id: null, acronym: 'WT_', agency: null, country: 'United Kingdom' }]);
  });
});

describe('PubMed XML: people, references and accessions as the XML has them', () => {
  const investigators = 'biocommons-eutils__efetch.fcgi_db=pubmed_id=23121403_retmode=xml.xml';
  it(existsSync(join(XML, investigators)) ? 'every investigator once, with its own initials, in order (147 of the ASPIRE trial), and --to medline writes FIR before IR' : notChecked(investigators), () => {
    const citations = xmlCitations(investigators);
    if (citations === null) return;
    const text = xmlText(investigators);
    const expected = [...text.matchAll(/<Investigator[^>]*>([\s\S]*?)<\/Investigator>/g)].map((m) => ({
      family: /<LastName>([^<]*)</.exec(m[1]!)![1],
      initials: /<Initials>([^<]*)</.exec(m[1]!)?.[1] ?? null,
    }));
    expect(expected).toHaveLength(147);
    expect(citations[0]!.investigators.map((p) => ({ family: p.family, initials: p.initials }))).toEqual(expected);
    const lines = render('medline', citations[0]!).split('\n').filter((l) => /^(FIR|IR) /.test(l));
    expect(lines[0]).toMatch(/^FIR /);
    expect(lines[1]).toMatch(/^IR {2}- /);
  });

  const cites = 'ziy-medline-indexer__medsamp2014.xml.gz';
  it(existsSync(join(XML, cites)) ? `CommentsCorrections RefType="Cites" are the record's references (${cites}: 166)` : notChecked(cites), () => {
    const citations = xmlCitations(cites);
    if (citations === null) return;
    const refs = citations.flatMap((c) => c.references);
    expect(refs).toHaveLength((xmlText(cites).match(/RefType="Cites"/g) ?? []).length);
    expect(refs.filter((r) => r.pmid !== null).length).toBeGreaterThan(0);
    expect(refs.every((r) => r.citation !== null)).toBe(true);
  });

  const books = 'solitude6060-Fulltext_search__pubmed_result.xml';
  it(existsSync(join(XML, books)) ? 'the Bookshelf accession of a PubmedBookArticle fills ids.bookAccession (6 PDQ summaries)' : notChecked(books), () => {
    const citations = xmlCitations(books);
    if (citations === null) return;
    const accessions = [...xmlText(books).matchAll(/<ArticleId IdType="bookaccession">([^<]+)</g)].map((m) => m[1]);
    expect(citations.map((c) => c.ids.bookAccession).filter((a) => a !== null)).toEqual(accessions);
    expect(citations.some((c) => Object.keys(c.extra).some((k) => k.includes('ArticleIdList')))).toBe(false);
  });

  const layout2014 = 'bovender-PubmedParser__24717514.xml';
  it(existsSync(join(XML, layout2014)) ? 'the 2013–2014 layout: <Affiliation> straight inside <Author> is that author’s (19 authors)' : notChecked(layout2014), () => {
    const citations = xmlCitations(layout2014);
    if (citations === null) return;
    const decode = (s: string) => s.replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16))).replace(/&amp;/g, '&');
    const expected = [...xmlText(layout2014).matchAll(/<Author ValidYN="Y">([\s\S]*?)<\/Author>/g)].map((m) => decode(/<Affiliation>([\s\S]*?)<\/Affiliation>/.exec(m[1]!)?.[1] ?? '').replace(/\s+/g, ' ').trim());
    expect(expected).toHaveLength(19);
    expect(citations[0]!.authors.map((a) => a.affiliations[0] ?? '')).toEqual(expected);
  });

  const medsamp = 'ziy-medline-indexer__medsamp2014.xml.gz';
  it(existsSync(join(XML, medsamp)) ? 'the 2014 layout: an author’s <Identifier Source="ORCID"> is its ORCID' : notChecked(medsamp), () => {
    const citations = xmlCitations(medsamp);
    if (citations === null) return;
    expect(citations.flatMap((c) => c.authors).some((a) => a.orcid === '0000-0001-7984-1889')).toBe(true);
  });
});

describe('titles, MathML, names and dates', () => {
  const vernacular = 'JULIELab-jcore-base__empty_abstract_test.xml';
  it(existsSync(join(XML, vernacular)) ? 'an empty <ArticleTitle/> beside a <VernacularTitle>: title null, and every format that needs a title shows the vernacular one' : notChecked(vernacular), () => {
    const citations = xmlCitations(vernacular);
    if (citations === null) return;
    const c = citations[0]!;
    expect(c.title).toBe(null);
    expect(c.transliteratedTitle).not.toBe(null);
    const title = c.transliteratedTitle!;
    expect(render('ris', c)).toContain(`TI  - ${title}`);
    expect(JSON.parse(render('csl', c))[0].title).toBe(title);
    expect(render('bibtex', c)).toMatch(/^\s+title +=\s\{\S/m);
  });

  it('text with TT but no TI: the same', () => {
    const c = one('PMID- 38095249\nTT  - Fallbericht aus der Praxis\nLA  - ger\nTA  - Ther Umsch\nJT  - Therapeutische Umschau. Revue therapeutique\nDP  - 2023 Dec\n');
    expect([c.title, c.transliteratedTitle]).toEqual([null, 'Fallbericht aus der Praxis']);
    expect(render('ris', c)).toContain('TI  - Fallbericht aus der Praxis');
  });

  const mathml = 'JULIELab-jcore-base__doc_medline_mathml_newlines.xml';
  it(existsSync(join(XML, mathml)) ? 'pretty-printed MathML gives the text of its compact copy: "(Cu2O)", not "(Cu 2 O )"' : notChecked(mathml), () => {
    const citations = xmlCitations(mathml);
    if (citations === null) return;
    expect(citations[0]!.abstract).toContain('cuprous oxide (Cu2O). In this study');
    expect(citations[0]!.abstract).not.toMatch(/Cu 2 O/);
    // the same MathML written on one line reads the same
    const compact = xmlText(mathml).replace(/>\s+</g, '><');
    expect(parsePubmedXml(compact).citations[0]!.abstract).toBe(citations[0]!.abstract);
  });

  it('initials with particles (FAU Guna Serrano, Maria de Los Remedios / AU Guna Serrano Mde L): "Mde L"', () => {
    const c = one('PMID- 25726195\nFAU - Guna Serrano, Maria de Los Remedios\nAU  - Guna Serrano Mde L\nFAU - Andrade, Jose da Silva\nAU  - Andrade Jda S\n');
    expect(c.authors.map((a) => a.initials)).toEqual(['Mde L', 'Jda S']);
    expect(c.authors.map((a) => a.shortName)).toEqual([null, null]);
    expect(render('medline', c)).toContain('AU  - Guna Serrano Mde L\n');
  });

  it.each([
    ['2019 Sep/Oct', 9],
    ['2018 May/Jun', 5],
    ['2019 Sep-Oct', 9],
    ['2019 Jan/Mar', 1],
  ])('DP  - %s: month %i', (dp, month) => {
    expect(one(`PMID- 1\nDP  - ${dp}\n`).published).toMatchObject({ year: Number(dp.slice(0, 4)), month });
  });
});

describe('exports from elsewhere are named, not converted into empty records', () => {
  const FOREIGN = join(SHARED, 'foreign-exports');
  const BIN = join(ROOT, 'bin', 'medline.js');
  const files: Array<[string, RegExp]> = [
    ['ovid-psycinfo-ris__asreview___baseline_psychInfo_ovid.ris', /this is RIS \(Ovid\), not MEDLINE text; in Ovid, MEDLINE records can be exported as "Citation Manager: MEDLINE"/],
    ['ovid-eric-ris__asreview___baseline_eric_ovid.ris', /this is RIS \(Ovid\), not MEDLINE text/],
    ['embase-com-ris__asreview___baseline_embase.ris', /this is RIS \(Embase\), not MEDLINE text; Embase records that are also in MEDLINE carry a PMID/],
    ['ebsco-cinahl-ris__asreview___baseline_cinahl.ris', /this is RIS \(EBSCOhost\), not MEDLINE text/],
    ['scopus-ris__asreview___baseline_scopus.ris', /this is RIS \(Scopus\), not MEDLINE text/],
    ['wos-ris__asreview___baseline_webofscience.ris', /this is RIS \(Web of Science\), not MEDLINE text/],
    ['ebsco-cinahl-csv__asreview___baseline_cinahl.csv', /this is EBSCOhost's CSV export, not MEDLINE text/],
    ['pubmed-csv__asreview___baseline_pubmed.csv', /this is PubMed's CSV export, not MEDLINE text/],
  ];
  it.each(files)(`%s: refused by name, exit 2, nothing written${existsSync(FOREIGN) ? '' : ' (NOT checked: no ../shared/foreign-exports)'}`, (name, said) => {
    if (!existsSync(FOREIGN)) return;
    const r = spawnSync(process.execPath, [BIN, join(FOREIGN, name), '--to', 'ndjson'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(said);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it(`PubMed format saved with a .ris name is MEDLINE, and converted (50 records)${existsSync(FOREIGN) ? '' : ' (NOT checked)'}`, () => {
    if (!existsSync(FOREIGN)) return;
    const r = spawnSync(process.execPath, [BIN, join(FOREIGN, 'pubmed-medline-misnamed-ris__asreview___baseline_pubmed.ris'), '--to', 'ndjson'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(50);
  });

  it.each([
    ['Ovid tagged (MEDLINE-like tags, Embase fields)', '<1>\nVN  - Ovid Technologies\nDB  - Embase\nAN  - 2011234567\nTI  - A title.\nAU  - Smith J.\n', /this is Ovid's tagged export \(Embase\)/],
    ['Web of Science tagged', 'FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nAU Smith, J\nTI A title\nUT WOS:000123456789\nER\n', /this is Web of Science's tagged export/],
    ['Web of Science tab-delimited', 'PT\tAU\tBA\tBE\tGP\tAF\tTI\nJ\tSmith, J\t\t\t\tSmith, John\tA title\n', /this is Web of Science's tab-delimited export/],
    ['Scopus CSV', 'Authors,Author full names,Author(s) ID,Title,Year,Source title,Volume,Link,EID\n"Smith J.","Smith, John (1)","1","A title",2020,"J",1,"https://www.scopus.com/x","2-s2.0-1"\n', /this is Scopus's CSV export/],
    ['EndNote XML', '<?xml version="1.0" encoding="UTF-8"?><xml><records><record><titles><title>A</title></titles></record></records></xml>\n', /this is EndNote XML/],
    ['Markdown with one tag-like line', '# Reading list\n\nTo read:\nAB  - a line that looks like a tag\n', /this is a Markdown document/],
  ])('%s: named, exit 2', (_, text, said) => {
    const r = spawnSync(process.execPath, [BIN, '-', '--to', 'ndjson'], { input: text, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(said);
  });

  it('text whose tag-like blocks have no PMID, title or identifier never exits 0', () => {
    const r = spawnSync(process.execPath, [BIN, '-', '--to', 'ndjson'], { input: 'Intro line\n\nAB  - a tag-like line\nXX  - other\n', encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/NO_RECORDS no MEDLINE record found: one block of tag lines was read, but it has no PMID, title or other identifier/);
  });
});

describe('mapping knowledge kept once', () => {
  it('every field a citation of any fixture has is a CSV column (--fields book.chapter was refused when the paths were a copy)', async () => {
    const { columnNames } = await import('../../src/formats/csv.js');
    const { fixtureNames, readFixture } = await import('../helpers.js');
    const columns = new Set(columnNames());
    const paths = new Set<string>();
    const walk = (v: unknown, path: string) => {
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
      else paths.add(path);
    };
    for (const name of fixtureNames()) {
      for (const c of parse(readFixture(name)).citations) {
        const { extra: _extra, ...typed } = c;
        walk(typed, '');
      }
    }
    // a null object (`book: null`) is the parent of its columns
    const covered = (p: string) => columns.has(p) || [...columns].some((col) => col.startsWith(`${p}.`));
    expect([...paths].filter((p) => !covered(p))).toEqual([]);
    expect(paths.has('book.chapter')).toBe(true);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'medline.js'), join(ROOT, 'fixtures', 'medline', 'book-chapter-genereviews.nbib'), '--to', 'csv', '--fields', 'pmid,book.chapter,book.volumeTitle,book.institution'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('pmid,book.chapter,book.volumeTitle,book.institution');
  });
});

describe('CSL-JSON language is a BCP 47 tag', () => {
  it.each([
    ['eng', 'en'],
    ['ENG', 'en'],
    ['Eng', 'en'],
    ['English', 'en'],
    ['ger', 'de'],
    ['chi', 'zh'],
    ['und', 'und'],
  ])('LA  - %s → %s (with eng, citeproc skips title-casing)', (la, tag) => {
    const c = one(`PMID- 1\nTI  - A title\nLA  - ${la}\n`);
    expect(JSON.parse(render('csl', c))[0].language).toBe(tag);
  });
});
