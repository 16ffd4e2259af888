/**
 * Every output format: golden files for the reference record, and on every fixture and
 * the whole shared corpus, read back by a real tool for that format.
 */
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-csl';
import '@citation-js/plugin-ris';
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { Ajv } from 'ajv';
import { parse as parseCsv } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAll } from '../../src/formats/formatter.js';
import { createFormatter, type FormatName, type FormatOptions } from '../../src/formats/index.js';
import { DEFAULT_COLUMNS, UnknownFieldError } from '../../src/formats/csv.js';
import { parse } from '../../src/parser.js';
import type { Citation } from '../../src/types.js';
import { CSL_DATA_SCHEMA } from '../csl-data-schema.js';
import { run, tempDir } from '../cli-helpers.js';
import { allInputs, fixture, fixtureNames, readFixture } from '../helpers.js';

function render(format: FormatName, citations: Citation[], options: FormatOptions = {}): string {
  return formatAll(createFormatter(format, options), citations);
}

const seed = parse(readFixture('reference-record.txt'), { raw: true }).citations;
const one = (text: string) => parse(text).citations;

const inputs = allInputs(true);

describe('golden output for the reference record', () => {
  it.each([
    ['json', 'json'],
    ['ndjson', 'ndjson'],
    ['csv', 'csv'],
    ['tsv', 'tsv'],
    ['bibtex', 'bib'],
    ['ris', 'ris'],
    ['csl', 'csl.json'],
    ['medline', 'medline'],
  ] as const)('%s', async (format, ext) => {
    const citations = format === 'json' || format === 'ndjson' ? parse(readFixture('reference-record.txt')).citations : seed;
    await expect(render(format, citations)).toMatchFileSnapshot(`../golden/reference-record.${ext}`);
  });
});

describe('golden output of every format for chosen fixtures', () => {
  const formats = [['json', 'json'], ['ndjson', 'ndjson'], ['csv', 'csv'], ['tsv', 'tsv'], ['bibtex', 'bib'], ['ris', 'ris'], ['csl', 'csl.json'], ['medline', 'medline']] as const;
  const fixtures = ['book-chapter-genereviews.nbib', 'pmc-medlars-dialect.txt', 'collective-author-investigators-other-abstract.nbib'];
  it.each(fixtures.flatMap((name) => formats.map(([format, ext]) => [name, format, ext] as const)))('%s as %s', async (name, format, ext) => {
    const citations = parse(readFixture(name), { raw: format === 'medline' }).citations;
    await expect(render(format, citations)).toMatchFileSnapshot(`../golden/formats/${name}.${ext}`);
  });
});

describe('CSV and TSV', () => {
  it('reads back with one row per record and the same columns, whole corpus', () => {
    for (const [name, citations] of inputs) {
      const rows: string[][] = parseCsv(render('csv', citations), { relax_column_count: false });
      expect({ name, rows: rows.length }).toEqual({ name, rows: citations.length + 1 });
      expect(rows[0]).toEqual([...DEFAULT_COLUMNS]);
      expect(rows.slice(1).map((r) => r[0])).toEqual(citations.map((c) => c.pmid ?? ''));
    }
  });

  it('keeps TSV rows whole whatever the values hold, whole corpus', () => {
    for (const [name, citations] of inputs) {
      const lines = render('tsv', citations).split('\n');
      expect({ name, lines: lines.length }).toEqual({ name, lines: citations.length + 2 });
      for (const line of lines.slice(0, -1)) expect(line.split('\t')).toHaveLength(DEFAULT_COLUMNS.length);
    }
  });

  it('escapes tabs, newlines and backslashes in TSV', () => {
    const [c] = one('PMID- 1\nTI  - a\tb \\ c\n');
    c!.abstract = 'line\nbreak';
    const out = render('tsv', [c!], { fields: ['pmid', 'title', 'abstract'] });
    expect(out).toBe('pmid\ttitle\tabstract\n1\ta\\tb \\\\ c\tline\\nbreak\n');
  });

  it('joins multi-valued cells with " | ", which MeSH commas cannot be confused with', () => {
    const [c] = one('PMID- 1\nMH  - History, 20th Century\nMH  - *Humans/blood\n');
    expect(render('csv', [c!], { fields: ['mesh'] })).toBe('mesh\n"History, 20th Century | *Humans/blood"\n');
    expect(render('csv', [c!], { fields: ['mesh'], join: ';' })).toBe('mesh\n"History, 20th Century;*Humans/blood"\n');
  });

  it('picks and orders columns, nested ones included, and names the valid ones for an unknown column', () => {
    expect(render('csv', seed, { fields: ['ids.doi', 'journal.issn.linking', 'year', 'pmid'] })).toBe(
      'ids.doi,journal.issn.linking,year,pmid\n10.1002/ctm2.297,2001-1326,2021,33634996\n',
    );
    expect(() => createFormatter('csv', { fields: ['pmid', 'nope'] })).toThrow(UnknownFieldError);
    expect(() => createFormatter('csv', { fields: ['nope'] })).toThrow(/the columns are pmid, title, authors/);
  });

  it('writes exact data by default and neutralises formulas with --excel (BOM, CRLF)', () => {
    const [c] = one('PMID- 1\nTI  - =HYPERLINK("http://x")\nAB  - +1 -2 @SUM\n');
    const plain = render('csv', [c!], { fields: ['title', 'abstract'] });
    expect(plain).toBe('title,abstract\n"=HYPERLINK(""http://x"")",+1 -2 @SUM\n');
    const excel = render('csv', [c!], { fields: ['title', 'abstract'], excel: true });
    expect(excel).toBe('\uFEFFtitle,abstract\r\n"\'=HYPERLINK(""http://x"")",\'+1 -2 @SUM\r\n');
  });

  it('is a usage error to name an unknown column on the command line', async () => {
    const r = await run(['fixtures/medline/reference-record.txt', '--to', 'csv', '--fields', 'pmid,bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--fields: unknown column "bogus"; the columns are pmid,');
  });
});

describe('BibTeX', () => {
  it('keeps verbatim fields (doi, url) safe for BibTeX parsers and biber, and reversible', () => {
    // `$` opened math in BibTeX parsers (found by the fuzzer, seed 909); ^^5c is TeX for a backslash
    const doi = '10.4103/a$b^^5c%24\tc';
    // no PMID, so that url is the record's own URL, not PubMed's
    const bib = render('bibtex', one(`TI  - T\nLID - ${doi} [doi]\nAID - https://x.org/p?q=1$2^3 [url]\n`));
    const library = parseBibtex(bib, { sentenceCase: false });
    expect(library.errors).toEqual([]);
    const fields = library.entries[0]!.fields;
    expect(fields['doi']).toBe('10.4103/a%24b%5E%5E5c%2524%09c');
    expect(decodeURIComponent(fields['doi'] as string)).toBe(doi);
    expect(decodeURIComponent(fields['url'] as string)).toBe('https://x.org/p?q=1$2^3');
  });

  it('makes keys FamilyYearFirstword, ASCII-folded and unique within a run', () => {
    const text = ['Müller, Jörg', 'Müller, Jörg', 'Müller, Jörg'].map((fau, i) => `PMID- ${i}\nDP  - 2020\nTI  - The Über study.\nFAU - ${fau}\n`).join('\n');
    const keys = [...render('bibtex', one(text)).matchAll(/^@\w+\{([^,]+),/gm)].map((m) => m[1]);
    expect(keys).toEqual(['Muller2020Uber', 'Muller2020Ubera', 'Muller2020Uberb']);
    expect(render('bibtex', seed)).toMatch(/^@article\{Xu2021Evaluation,/);
    expect(render('bibtex', seed, { key: 'pmid' })).toMatch(/^@article\{pmid33634996,/);
  });

  it('chooses the entry type from the publication types', () => {
    const type = (fields: string) => /^@(\w+)/.exec(render('bibtex', one(`PMID- 1\n${fields}`)))![1];
    expect(type('TI  - T\nPT  - Editorial\nJT  - J\n')).toBe('article');
    expect(type('TI  - T\nPT  - Letter\nPT  - Case Reports\nTA  - J\n')).toBe('article');
    expect(type('BTI - A book\nPT  - Book\n')).toBe('book');
    expect(type('TI  - Chapter 1\nBTI - A book\nPT  - Book\n')).toBe('incollection');
    expect(type('TI  - T\nPT  - Book Chapter\nBTI - A book\n')).toBe('incollection');
    expect(type('TI  - T\nPT  - Dissertations/Theses - Doctoral Dissertations\n')).toBe('phdthesis');
    expect(type('TI  - T\nPT  - Technical Report\n')).toBe('techreport');
    // classic BibTeX has no @online or @dataset: bibtool drops them, bibtex warns
    expect(type('TI  - T\nPT  - Preprint\nJT  - medRxiv\n')).toBe('misc');
    expect(render('bibtex', one('PMID- 1\nTI  - T\nPT  - Preprint\nJT  - medRxiv\n'))).toMatch(/howpublished = \{medRxiv\}/);
    expect(type('TI  - T\nPT  - Dataset\n')).toBe('misc');
    expect(type('TI  - T\nPT  - Video-Audio Media\n')).toBe('misc');
    // biblatex's own types with --to biblatex
    const biblatex = (fields: string) => /^@(\w+)/.exec(render('biblatex', one(`PMID- 1\n${fields}`)))![1];
    expect(biblatex('TI  - T\nPT  - Preprint\nJT  - medRxiv\n')).toBe('online');
    expect(render('biblatex', one('PMID- 1\nTI  - T\nPT  - Preprint\nJT  - medRxiv\n'))).toMatch(/journal += \{medRxiv\}/);
    expect(biblatex('TI  - T\nPT  - Dataset\n')).toBe('dataset');
    expect(biblatex('TI  - T\nPT  - Editorial\nJT  - J\n')).toBe('article');
  });

  it('escapes every special character, so no title can inject LaTeX or leave its field', () => {
    const evil = String.raw`}, note = {x}} @misc{evil, title={\input{/etc/passwd}\write18{rm -rf /} 100% & $5 #1 a_b ~ ^`;
    const [c] = one(`PMID- 1\nTI  - ${evil}\n`);
    const out = render('bibtex', [c!]);
    expect(out.match(/^@/gm)).toHaveLength(1);
    expect(out).toContain(String.raw`\textbackslash{}input\textbraceleft{}/etc/passwd\textbraceright{}`);
    const library = parseBibtex(out, { sentenceCase: false });
    expect(library.errors).toEqual([]);
    expect(library.entries).toHaveLength(1);
    expect(library.entries[0]!.fields['title']).toBe(evil);
  });

  it('braces collective authors and protects capitals in titles', () => {
    const out = render('bibtex', one('PMID- 1\nTI  - mRNA vaccines and COVID-19 in Europe.\nCN  - Heart and Stroke Group\nFAU - Smith, John\n'));
    expect(out).toMatch(/author += \{\{Heart and Stroke Group\} and Smith, John\},/);
    expect(out).toMatch(/title += \{\{mRNA\} vaccines and \{COVID-19\} in \{Europe\.\}\},/);
  });

  it('writes months as macros and page ranges with --', () => {
    const out = render('bibtex', one('PMID- 1\nDP  - 1996 Jul 9\nPG  - 6913-7\n'));
    expect(out).toMatch(/month += jul,/);
    expect(out).toMatch(/pages += \{6913--6917\}/);
  });

  it('converts to LaTeX with --ascii and reports what it cannot convert', () => {
    const warnings: string[] = [];
    const out = render('bibtex', one('PMID- 7\nTI  - Ça va – très ß 10 µg ±2 漢\nFAU - Łukasiewicz, Jan\n'), {
      ascii: true,
      warn: (m) => warnings.push(m),
    });
    expect(out).toMatch(/^[\x00-\x7F]*$/);
    expect(out).toContain(String.raw`= {{\c{C}}a va -- tr{\`{e}}s {\ss} 10 $\mu$g $\pm$2 ?},`);
    expect(out).toContain(String.raw`{\L}ukasiewicz, Jan`);
    expect(warnings).toEqual(['--ascii: no LaTeX form for "漢" (U+6F22); written as "?"']);
  });

});

describe('RIS', () => {
  it('is read back by citation-js with titles, DOIs and authors, every fixture', () => {
    for (const name of fixtureNames()) {
      const citations = inputs.find(([n]) => n === `fixtures/${name}`)![1];
      const items = new Cite(render('ris', citations)).data as Array<Record<string, unknown>>;
      expect({ name, items: items.length }).toEqual({ name, items: citations.length });
      items.forEach((item, i) => {
        const c = citations[i]!;
        if (c.title && !c.book) expect(item['title']).toBe(c.title);
        if (c.ids.doi) expect(item['DOI']).toBe(c.ids.doi);
        expect(((item['author'] as unknown[]) ?? []).length).toBe(c.authors.length);
      });
    }
  });

  it('keeps every value on one line, so no value can start a tag', () => {
    const [c] = one('PMID- 1\n');
    c!.title = 'Title\nER  - \nTY  - JOUR\r\nTI  - injected';
    const out = render('ris', [c!]);
    expect(out.split('\n').filter((l) => l.startsWith('TY  -'))).toHaveLength(1);
    expect(out).toContain('TI  - Title ER  -  TY  - JOUR TI  - injected\n');
  });

  it('has one TY…ER block per record, whole corpus', () => {
    for (const [name, citations] of inputs) {
      const out = render('ris', citations);
      expect({ name, ty: out.match(/^TY {2}- /gm)?.length ?? 0, er: out.match(/^ER {2}- $/gm)?.length ?? 0 }).toEqual({
        name,
        ty: citations.length,
        er: citations.length,
      });
    }
  });
});

describe('CSL-JSON', () => {
  const validate = new Ajv({ strict: false }).compile(CSL_DATA_SCHEMA);

  it('is valid against the CSL data schema, whole corpus, with unique ids', () => {
    for (const [name, citations] of inputs) {
      const items = JSON.parse(render('csl', citations)) as Array<{ id: string }>;
      expect({ name, valid: validate(items), errors: validate.errors ?? null }).toEqual({ name, valid: true, errors: null });
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    }
  });

  it('renders a bibliography with a real CSL processor (citation-js, APA)', () => {
    const citations = [...seed, ...one(readFixture('book-chapter-genereviews.nbib'))];
    const text = new Cite(JSON.parse(render('csl', citations))).format('bibliography', { format: 'text', template: 'apa' });
    expect(text).toContain(
      'Xu, X., Jiang, W., Chen, L.',
    );
    expect(text).toContain('(2021). Evaluation of the safety and efficacy');
    expect(text).toContain('Clinical and Translational Medicine, 11(2), e297. https://doi.org/10.1002/ctm2.297');
    expect(text).toContain('In M. P. Adam');
  });

  it('gives seasons as CSL seasons and keeps collective authors literal', () => {
    const [item] = JSON.parse(render('csl', one('PMID- 1\nDP  - 2019 Winter\nCN  - The Group\n')));
    expect(item.issued).toEqual({ 'date-parts': [[2019]], season: 4 });
    expect(item.author).toEqual([{ literal: 'The Group' }]);
  });
});

describe('MEDLINE', () => {
  it('round-trips every fixture and corpus file tag for tag', () => {
    for (const [name, citations] of inputs) {
      const again = parse(render('medline', citations), { raw: true }).citations;
      expect({ name, citations: again }).toEqual({ name, citations });
    }
  });

  it('round-trips the typed citation when the raw fields are not there', () => {
    for (const [name, citations] of inputs) {
      const typed = citations.map(({ raw: _raw, ...c }) => c as Citation);
      const again = parse(render('medline', typed)).citations;
      expect({ name, citations: again }).toEqual({ name, citations: typed });
    }
  });

  it('writes PubMed layout: padded tags, wrapped lines, six-space continuations', () => {
    const out = render('medline', seed);
    const lines = out.split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]).toBe('PMID- 33634996');
    expect(lines).toContain('OWN - NLM');
    expect(lines.every((l) => l.length <= 88 || !l.includes(' '))).toBe(true);
    expect(lines.filter((l) => l.startsWith(' ')).every((l) => /^ {6}\S/.test(l))).toBe(true);
  });

  it('repairs a flattened record into proper layout', () => {
    const flat = parse(readFixture('reference-record-flattened.txt'), { raw: true }).citations;
    expect(render('medline', flat)).toBe(render('medline', seed));
  });
});

describe('every format from the command line', () => {
  it.each(['json', 'ndjson', 'csv', 'tsv', 'bibtex', 'ris', 'csl', 'medline'])('--to %s converts a multi-record export', async (format) => {
    const r = await run(['fixtures/medline/crlf-export-75-records.nbib', '--to', format]);
    expect(r.status).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(1000);
  });

  it('infers the format from -o extensions', async () => {
    const dir = tempDir();
    for (const [file, start] of [['a.bib', '@article{'], ['a.ris', 'TY  - JOUR'], ['a.csv', 'pmid,title'], ['a.csl.json', '['], ['a.nbib', '\nPMID- ']]) {
      const r = await run([fixture('reference-record.txt'), '-o', file!], { cwd: dir });
      expect(r.status).toBe(0);
      expect(readFileSync(join(dir, file!), 'utf8').startsWith(start!)).toBe(true);
    }
  });
});

describe('MEDLINE output found by fuzzing', () => {
  it('wraps a value that quotes three tags, so that it is not read back as a flattened record', () => {
    const [c] = parse('PMID- 1\nAB  - a NM  - b\n      RN  - c TI  - d AU  - e\n', { raw: true }).citations;
    expect(c!.abstract).toBe('a NM  - b RN  - c TI  - d AU  - e');
    const out = render('medline', [c!]);
    expect(out.split('\n')[2]).toBe('AB  - a NM  - b RN  - c');
    expect(parse(out, { raw: true }).citations).toEqual([c]);
  });
});

describe('golden citations for chosen fixtures (every quirk they hold)', () => {
  it.each([
    'pmc-medlars-dialect.txt',
    'book-chapter-genereviews.nbib',
    'collective-author-investigators-other-abstract.nbib',
    'malformed-and-squeezed-tag-lines.txt',
    'text-between-records.txt',
    'whitespace-lines-inside-abstract.txt',
    'publisher-record-no-final-newline.txt',
    'wrapped-mesh-headings.txt',
    'empty-values-repeated-abstract.txt',
    'book-and-comment-links.nbib',
  ])('%s', async (name) => {
    const { citations, diagnostics } = parse(readFixture(name));
    await expect(JSON.stringify({ citations, diagnostics }, null, 1) + '\n').toMatchFileSnapshot(`../golden/fixtures/${name}.json`);
  });
});

describe('MEDLINE output found by fuzzing, again', () => {
  it('never wraps next to a tab, which reading would trim', () => {
    // the last space before column 88 is the one after the tab
    const [c] = parse(`PMID- 1\nAB  - ${'w'.repeat(70)} that\t governments of ${'x'.repeat(20)}\n`, { raw: true }).citations;
    expect(c!.abstract).toContain('that\t governments');
    expect(parse(render('medline', [c!]), { raw: true }).citations).toEqual([c]);
  });

  it('reads a mis-padded tag line indented after a PMID as that tag, so that it round-trips (seed 2611)', () => {
    const { citations, diagnostics } = parse('PMID- 27394443\n SO- another invalid line\nTI  - t\n', { raw: true });
    expect(citations[0]!.pmid).toBe('27394443');
    expect(citations[0]!.source).toBe('another invalid line');
    expect(diagnostics.map((d) => d.code)).toEqual(['INDENTED_TAG_LINE', 'IRREGULAR_PADDING']);
    expect(parse(render('medline', citations), { raw: true }).citations).toEqual(citations);
  });

  it('writes a malformed line with continuations so that it does not read back as a tag line (seed 909)', () => {
    // `VTI` alone is malformed; its continuation makes the joined value look like `VTI - …`
    const { citations, diagnostics } = parse('PMID- 1\nTI  - t\nVTI\n - title of the volume\n', { raw: true });
    expect(citations[0]!.extra['_malformed']).toEqual(['VTI - title of the volume']);
    expect(diagnostics.map((d) => d.code)).toEqual(['MALFORMED_LINE']);
    const written = render('medline', citations);
    expect(written).toContain('\nVTI\n      - title of the volume\n');
    expect(parse(written, { raw: true }).citations).toEqual(citations);
  });
});

describe('bibtex writes classic entry types only, biblatex its own', () => {
  it('every record of the fixtures and the corpus: no @online or @dataset in bibtex, the same entries otherwise in biblatex', () => {
    const classic = new Set(['article', 'book', 'booklet', 'conference', 'inbook', 'incollection', 'inproceedings', 'manual', 'mastersthesis', 'misc', 'phdthesis', 'proceedings', 'techreport', 'unpublished']);
    let entries = 0;
    for (const [, citations] of inputs) {
      const bib = render('bibtex', citations).match(/^@\w+/gm) ?? [];
      const biblatex = render('biblatex', citations).match(/^@\w+/gm) ?? [];
      expect(bib.filter((t) => !classic.has(t.slice(1)))).toEqual([]);
      expect(biblatex).toHaveLength(bib.length);
      entries += bib.length;
    }
    expect(entries).toBeGreaterThan(100);
  });
});

describe('long (tidy) tables for bibliometrics: --long', () => {
  const citations = inputs.flatMap(([, cs]) => cs).filter((c) => c.pmid !== null);
  const table = (long: string, format: 'csv' | 'tsv' = 'csv') => parseCsv(render(format, citations, { long }), { columns: true, delimiter: format === 'csv' ? ',' : '\t', relax_quotes: format === 'tsv', quote: format === 'csv' ? '"' : false }) as Array<Record<string, string>>;

  it('authors: a row per author of every record, in byline order, each with its own affiliations', () => {
    const rows = table('authors');
    expect(rows.length).toBe(citations.reduce((n, c) => n + c.authors.length, 0));
    expect(rows.length).toBeGreaterThan(10_000);
    // row i is the i-th author of the run, record by record
    const authors = citations.flatMap((c) => c.authors.map((a, i) => ({ pmid: c.pmid, position: String(i + 1), family: a.family ?? '', affiliations: a.affiliations.join(' | ') })));
    rows.forEach((r, i) => expect({ pmid: r['pmid'], position: r['position'], family: r['family'], affiliations: r['affiliations'] }).toEqual(authors[i]));
  });

  it('mesh: a row per heading and qualifier, majors flagged; a heading without qualifiers has one row', () => {
    const rows = table('mesh', 'tsv');
    expect(rows.length).toBe(citations.reduce((n, c) => n + c.mesh.reduce((m, h) => m + Math.max(1, h.qualifiers.length), 0), 0));
    const reference = rows.filter((r) => r['pmid'] === '33634996');
    expect(reference.find((r) => r['descriptor'] === 'COVID-19' && r['qualifier'] === 'therapy')).toMatchObject({ qualifier_major: 'true' });
  });

  it('every table has its columns, keyed by pmid; --fields and other formats refused by name', async () => {
    for (const long of ['grants', 'keywords', 'publicationTypes', 'chemicals', 'references', 'investigators', 'editors']) {
      const text = render('csv', citations, { long });
      expect(text.split('\n')[0]!.split(',')[0]).toBe('pmid');
    }
    expect(table('publicationTypes').length).toBe(citations.reduce((n, c) => n + c.publicationTypes.length, 0));
    const both = await run([fixture('reference-record.txt'), '--to', 'csv', '--long', 'authors', '--fields', 'pmid']);
    expect([both.status, both.stderr.split('\n')[0]]).toEqual([2, 'medline: --long authors has its own columns (pmid, position, family, given, initials, suffix, collective, orcid, affiliations, identifiers): leave out --fields']);
    const ris = await run([fixture('reference-record.txt'), '--to', 'ris', '--long', 'mesh']);
    expect([ris.status, ris.stderr.split('\n')[0]]).toEqual([2, 'medline: --long writes a table: use --to csv or --to tsv, not ris']);
  });
});
