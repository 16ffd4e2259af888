import { describe, expect, it } from 'vitest';
import { parse } from '../../src/parser.js';
import type { Citation } from '../../src/types.js';
import { readFixture } from '../helpers.js';

const only = (text: string): Citation => {
  const { citations } = parse(text);
  expect(citations).toHaveLength(1);
  return citations[0]!;
};

describe('the reference record, PMID 33634996 (shared/seed/README.md)', () => {
  const c = only(readFixture('reference-record.txt'));

  it('has the identity, journal and issue', () => {
    expect(c.pmid).toBe('33634996');
    expect(c.title).toBe(
      'Evaluation of the safety and efficacy of using human menstrual blood-derived mesenchymal stromal cells in treating severe and critically ill COVID-19 patients: An exploratory clinical trial.',
    );
    expect(c.journal).toEqual({
      title: 'Clinical and translational medicine',
      abbreviation: 'Clin Transl Med',
      nlmId: '101597971',
      country: 'United States',
      issn: { print: '2001-1326', electronic: '2001-1326', linking: '2001-1326', other: [] },
    });
    expect([c.volume, c.issue]).toEqual(['11', '2']);
    expect(c.pages).toEqual({ raw: 'e297', first: 'e297', last: null, expanded: 'e297' });
    expect(c.published).toEqual({ raw: '2021 Feb', year: 2021, month: 2, day: null, season: null });
    expect(c.languages).toEqual(['eng']);
  });

  it('has the identifiers, the PII never taken for the DOI', () => {
    expect(c.ids).toMatchObject({ doi: '10.1002/ctm2.297', pmc: 'PMC7839959', pii: 'CTM2297', elocation: 'e297', other: [] });
  });

  it('has 29 authors in byline order, 3 with ORCID, affiliations linked to their author', () => {
    expect(c.authors).toHaveLength(29);
    expect(c.authors[0]).toEqual({
      family: 'Xu',
      given: 'Xiaowei',
      initials: 'X',
      suffix: null,
      shortName: null,
      collective: null,
      orcid: null,
      identifiers: [],
      affiliations: [
        'State Key Laboratory for Diagnosis and Treatment of Infectious Diseases, National Clinical Research Center for Infectious Diseases, Collaborative Innovation Center for Diagnosis and Treatment of Infectious Diseases, The First Affiliated Hospital, College of Medicine, Zhejiang University, Hangzhou, Zhejiang, P. R. China.',
      ],
      affiliationIdentifiers: [],
    });
    expect(c.authors.filter((a) => a.orcid !== null).map((a) => [a.family, a.orcid])).toEqual([
      ['Chen', '0000-0001-9374-6466'],
      ['Yu', '0000-0003-1007-3951'],
      ['Xiang', '0000-0002-9193-3900'],
    ]);
    const li = c.authors.find((a) => a.family === 'Li' && a.given === 'Lanjuan')!;
    expect(li.affiliations).toHaveLength(2);
    expect(c.authors.every((a) => a.affiliations.length >= 1)).toBe(true);
  });

  it('keeps same-surname co-authors apart (Jiang W twice, Chen L twice)', () => {
    const names = c.authors.map((a) => `${a.family}, ${a.given}`);
    expect(names.filter((n) => n.startsWith('Jiang, W'))).toEqual(['Jiang, Wanli', 'Jiang, Wubian']);
    expect(names.filter((n) => n.startsWith('Chen, L'))).toEqual(['Chen, Lijun', 'Chen, Lu']);
  });

  it('has 8 grants, wrapped ones joined, the first as the issue shows', () => {
    expect(c.grants).toHaveLength(8);
    expect(c.grants[0]).toEqual({
      id: '2020C03125',
      acronym: null,
      agency: 'the Zhejiang Key Research and Development Program',
      country: null,
    });
    expect(c.grants[4]!.agency).toBe('National Science & Technology Major Project "Key New Drug Creation and Manufacturing Program"');
    expect(c.grants[6]).toEqual({
      id: null,
      acronym: null,
      agency: 'the Independent Task of State Key Laboratory for Diagnosis and Treatment of Infectious Diseases',
      country: null,
    });
  });

  it('has 4 publication types, 4 keywords and their owner', () => {
    expect(c.publicationTypes).toEqual(['Clinical Trial', 'Journal Article', 'Multicenter Study', "Research Support, Non-U.S. Gov't"]);
    expect(c.keywords).toHaveLength(4);
    expect(c.keywordsOwner).toBe('NOTNLM');
  });

  it('has 17 MeSH headings, 5 major: 3 on the descriptor, 2 on a qualifier', () => {
    expect(c.mesh).toHaveLength(17);
    expect(c.mesh.filter((m) => m.major).map((m) => m.descriptor)).toEqual([
      'Menstruation',
      'Mesenchymal Stem Cell Transplantation',
      'Mesenchymal Stem Cells',
    ]);
    expect(c.mesh.find((m) => m.descriptor === 'COVID-19')).toEqual({
      descriptor: 'COVID-19',
      ui: null,
      major: false,
      qualifiers: [
        { name: 'blood', ui: null, major: false },
        { name: 'mortality', ui: null, major: false },
        { name: 'therapy', ui: null, major: true },
      ],
    });
    expect(c.mesh.filter((m) => m.qualifiers.some((q) => q.major))).toHaveLength(2);
  });

  it('has 7 history dates and the other dates, in ISO 8601', () => {
    expect(c.history).toHaveLength(7);
    expect(c.history[0]).toEqual({ status: 'received', date: '2020-08-17T00:00' });
    expect(c.history[6]).toEqual({ status: 'pmc-release', date: '2021-01-27T00:00' });
    expect(c.dates).toEqual({
      electronic: null,
      completed: '2021-05-10',
      revised: '2024-03-30',
      created: null,
      entrez: '2021-02-27T06:00',
      mesh: '2021-02-27T06:01',
      pubmed: '2021-02-26T08:38',
      pmcRelease: '2021-01-27',
    });
  });

  it('has status, owner, copyright, conflict of interest and source', () => {
    expect([c.status, c.owner, c.publicationStatus]).toEqual(['MEDLINE', 'NLM', 'ppublish']);
    expect(c.copyright).toBe(
      '(c) 2021 The Authors. Clinical and Translational Medicine published by John Wiley & Sons Australia, Ltd on behalf of Shanghai Institute of Clinical Bioinformatics.',
    );
    expect(c.conflictOfInterest).toBe('The authors declare that they have no competing interests.');
    expect(c.source).toBe('Clin Transl Med. 2021 Feb;11(2):e297. doi: 10.1002/ctm2.297.');
    expect(c.extra).toEqual({});
  });

  it('is the same citation when read from the flattened one-line copy', () => {
    const flat = parse(readFixture('reference-record-flattened.txt'));
    expect(flat.citations).toEqual([c]);
    expect(flat.diagnostics.map((d) => d.code)).toEqual(['FLATTENED_RECORD']);
  });
});

describe('records that other parsers get wrong', () => {
  it('keeps every collective author in its place in the byline', () => {
    const c = only('PMID- 1\nFAU - Smith, John\nAU  - Smith J\nCN  - First Group\nFAU - Doe, Jane\nAU  - Doe J\nCN  - Second Group of \n      Wrapped Name\n');
    expect(c.authors.map((a) => a.collective ?? a.family)).toEqual(['Smith', 'First Group', 'Doe', 'Second Group of Wrapped Name']);
    expect(c.authors[1]).toMatchObject({ family: null, given: null, initials: null, collective: 'First Group' });
  });

  it('gives authors for AU-only records', () => {
    const c = only('PMID- 1\nAU  - van Raaij MJ\nAU  - Hellinger FR Jr\nAU  - Selvamani\nAU  - et al.\n');
    expect(c.authors.map((a) => [a.family, a.initials, a.suffix])).toEqual([
      ['van Raaij', 'MJ', null],
      ['Hellinger', 'FR', 'Jr'],
      ['Selvamani', null, null],
    ]);
    expect(c.authorsTruncated).toBe(true);
  });

  it('reads suffixes and particles in full names', () => {
    const c = only('PMID- 1\nFAU - Hellinger, Frank R Jr\nAU  - Hellinger FR Jr\nFAU - van Raaij, M J\nAU  - van Raaij MJ\nFAU - Selvamani\nAU  - Selvamani\n');
    expect(c.authors.map((a) => [a.family, a.given, a.initials, a.suffix])).toEqual([
      ['Hellinger', 'Frank R', 'FR', 'Jr'],
      ['van Raaij', 'M J', 'MJ', null],
      ['Selvamani', null, null, null],
    ]);
  });

  it('keeps a wrapped comment link whole, with its PMID', () => {
    const c = only('PMID- 1\nCIN - Clin Transl Med. 2021 Mar;11(3):e300. doi: 10.1002/ctm2.300. \n      PMID: 33783990\nEIN - Nature. 2020;1:2.\n');
    expect(c.relations).toEqual([
      {
        type: 'commentIn',
        tag: 'CIN',
        citation: 'Clin Transl Med. 2021 Mar;11(3):e300. doi: 10.1002/ctm2.300. PMID: 33783990',
        pmid: '33783990',
      },
      { type: 'erratumIn', tag: 'EIN', citation: 'Nature. 2020;1:2.', pmid: null },
    ]);
  });

  it('keeps the PII out of the DOI and the pages, the DOI without trailing space', () => {
    const c = only('PMID- 1\nPG  - 1199-205\nLID - S0092-8674(13)01084-2 [pii] \nLID - 10.1016/j.cell.2013.08.048 [doi]  \nAID - S0092-8674(13)01084-2 [pii]\n');
    expect(c.ids).toMatchObject({ doi: '10.1016/j.cell.2013.08.048', pii: 'S0092-8674(13)01084-2', other: [] });
    expect(c.pages).toMatchObject({ first: '1199', last: '1205' });
  });

  it('keeps every value of repeated tags', () => {
    const c = only('PMID- 1\nLA  - eng\nLA  - fre\nRN  - 0 (A)\nRN  - EC 3.4.21.68 (Tissue Plasminogen Activator)\nGR  - a/b/c\nGR  - d/e/f\nPHST- 2016 [ecollection]\nPHST- 2017/10/17 [received]\n');
    expect(c.languages).toEqual(['eng', 'fre']);
    expect(c.chemicals).toEqual([
      { registryNumber: '0', name: 'A' },
      { registryNumber: 'EC 3.4.21.68', name: 'Tissue Plasminogen Activator' },
    ]);
    expect(c.grants).toHaveLength(2);
    expect(c.history).toEqual([
      { status: 'ecollection', date: '2016' },
      { status: 'received', date: '2017-10-17' },
    ]);
  });

  it('keeps abstracts that contain "Copyright", and every dash as written', () => {
    const c = only('PMID- 1\nAB  - Results – good — better ‐ best. Copyright © 2015 Elsevier Inc. All rights \n      reserved.\n');
    expect(c.abstract).toBe('Results – good — better ‐ best. Copyright © 2015 Elsevier Inc. All rights reserved.');
  });

  it('splits structured abstracts, upper case or named sections', () => {
    const upper = only('PMID- 1\nAB  - BACKGROUND: Why. MATERIALS AND METHODS: How (n = 3). RESULTS: What: this. \n      CONCLUSIONS: So.\n');
    expect(upper.abstractSections).toEqual([
      { label: 'BACKGROUND', text: 'Why.' },
      { label: 'MATERIALS AND METHODS', text: 'How (n = 3).' },
      { label: 'RESULTS', text: 'What: this.' },
      { label: 'CONCLUSIONS', text: 'So.' },
    ]);
    const named = only('PMID- 1\nAB  - Background: Why. Methods: How. Note: not a section. Results: What.\n');
    expect(named.abstractSections.map((s) => s.label)).toEqual(['Background', 'Methods', 'Results']);
    expect(named.abstractSections[1]!.text).toBe('How. Note: not a section.');
    expect(only('PMID- 1\nAB  - Plain text. METHODS: not structured.\n').abstractSections).toEqual([]);
  });

  it('puts tags without a typed home, and repeats of single tags, in extra', () => {
    const { citations, diagnostics } = parse('PMID- 1\nTI  - One\nTI  - Two\nXYZ - new tag\nSO  invalid line\n');
    expect(citations[0]!.title).toBe('One');
    expect(citations[0]!.extra).toEqual({ TI: ['Two'], XYZ: ['new tag'], _malformed: ['SO  invalid line'] });
    expect(diagnostics.map((d) => d.code).sort()).toEqual(['MALFORMED_LINE', 'REPEATED_TAG', 'UNKNOWN_TAG']);
  });

  it('attaches ORCIDs given as URLs and keeps other author ids', () => {
    const c = only('PMID- 1\nFAU - A, B\nAU  - A B\nAUID- ORCID: https://orcid.org/0000-0002-1825-009X\nAUID- ISNI: 0000 0001 2103 4996\n');
    expect(c.authors[0]).toMatchObject({ orcid: '0000-0002-1825-009X', identifiers: ['ISNI: 0000 0001 2103 4996'] });
  });

  it('pairs PS and FPS in either order', () => {
    const c = only('PMID- 1\nPS  - Cushing H\nFPS - Cushing, Harvey\n');
    expect(c.personsAsSubject).toEqual([expect.objectContaining({ family: 'Cushing', given: 'Harvey', initials: 'H' })]);
  });
});

describe('dialects', () => {
  it('reads PMC exports: PMC before PMID, empty AB, PHST without time', () => {
    const { citations } = parse(readFixture('pmc-medlars-dialect.txt'));
    expect(citations).toHaveLength(5);
    const c = citations[0]!;
    expect([c.pmid, c.ids.pmc, c.abstract]).toEqual(['30042925', 'PMC6055010', null]);
    expect(c.history).toContainEqual({ status: 'received', date: '2017-10-17' });
    expect(c.otherAbstracts).toEqual([{ text: 'Publisher: Abstract available from the publisher.', language: null }]);
    expect(c.pages).toMatchObject({ first: '283', last: '298' });
  });

  it('reads a GeneReviews book chapter with editors', () => {
    const c = only(readFixture('book-chapter-genereviews.nbib'));
    expect(c.book).toMatchObject({ title: 'GeneReviews(®)', publisher: 'University of Washington, Seattle' });
    expect(c.editors.length).toBeGreaterThan(3);
    expect(c.editors[0]).toMatchObject({ family: 'Adam', given: 'Margaret P', initials: 'MP' });
    expect(c.ids.bookAccession).toMatch(/^NBK\d+$/);
  });
});
