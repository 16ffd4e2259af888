import { describe, expect, it } from 'vitest';
import { isoDate, parsePublicationDate } from '../../src/citation/dates.js';
import { parseGrant, parseMesh } from '../../src/citation/indexing.js';
import { parseArticleId } from '../../src/citation/identifiers.js';
import { parsePages } from '../../src/citation/pages.js';

describe('pages (PG)', () => {
  it.each([
    ['6913-7', '6913', '6917', '6913-6917'],
    ['454-81', '454', '481', '454-481'],
    ['1199-205', '1199', '1205', '1199-1205'],
    ['R494-6', 'R494', 'R496', 'R494-R496'],
    ['e297', 'e297', null, 'e297'],
    ['1759-1764.e6', '1759', '1764.e6', '1759-1764.e6'],
    ['R52-R58', 'R52', 'R58', 'R52-R58'],
    ['34-6, 87-91 passim', '34', '36', '34-36, 87-91 passim'],
    ['12-24', '12', '24', '12-24'],
    ['iii-iv', 'iii', 'iv', 'iii-iv'],
    ['99-102', '99', '102', '99-102'],
  ])('%s → first %s, last %s', (raw, first, last, expanded) => {
    expect(parsePages(raw)).toEqual({ raw, first, last, expanded });
  });
});

describe('publication date (DP)', () => {
  it.each([
    ['2021 Feb', 2021, 2, null, null],
    ['1996 Jul 9', 1996, 7, 9, null],
    ['2023 Apr-Jun', 2023, 4, null, null],
    ['2019 Winter', 2019, null, null, 'Winter'],
    ['1998 Dec 15-31', 1998, 12, 15, null],
    ['2016', 2016, null, null, null],
    ['Apr 2019', 2019, 4, null, null],
    ['2013 06 10', 2013, 6, 10, null],
    ['Article 10 2019', 2019, null, null, null],
    ['1999 Dec-2000 Jan', 1999, 12, null, null],
    ['2001 Fall-Winter', 2001, null, null, 'Fall'],
    ['unknown', null, null, null, null],
  ])('%s', (raw, year, month, day, season) => {
    expect(parsePublicationDate(raw)).toEqual({ raw, year, month, day, season });
  });
});

describe('machine dates', () => {
  it.each([
    ['20210510', '2021-05-10'],
    ['201003', '2010-03'],
    ['201013', null],
    ['2021/02/27 06:00', '2021-02-27T06:00'],
    ['2021/01/27', '2021-01-27'],
    ['2016', '2016'],
    ['2019/08', '2019-08'],
    ['2021/13/01', null],
    ['soon', null],
  ])('%s → %s', (raw, iso) => {
    expect(isoDate(raw)).toBe(iso);
  });
});

describe('grants (GR)', () => {
  it.each([
    ['R01 CA183444/CA/NCI NIH HHS/United States', 'R01 CA183444', 'CA', 'NCI NIH HHS', 'United States'],
    ['2020C03125/the Zhejiang Key Research and Development Program/', '2020C03125', null, 'the Zhejiang Key Research and Development Program', null],
    ['090532/Z/09/Z/Wellcome Trust/United Kingdom', '090532/Z/09/Z', null, 'Wellcome Trust', 'United Kingdom'],
    ['074833/Z/04/Z/WT_/Wellcome Trust/United Kingdom', '074833/Z/04/Z', 'WT_', 'Wellcome Trust', 'United Kingdom'],
    ['0000/Cancer Research UK (CRUK)', '0000', null, 'Cancer Research UK (CRUK)', null],
    ['Japan Agency for Medical Research and Development', null, null, 'Japan Agency for Medical Research and Development', null],
  ])('%s', (raw, id, acronym, agency, country) => {
    expect(parseGrant(raw)).toEqual({ id, acronym, agency, country });
  });
});

describe('MeSH (MH)', () => {
  it('reads old files with every heading in one field', () => {
    expect(parseMesh('Adult ; Antibodies/*immunology ; *Liver Cirrhosis, Biliary/immunology/pathology')).toEqual([
      { descriptor: 'Adult', ui: null, major: false, qualifiers: [] },
      { descriptor: 'Antibodies', ui: null, major: false, qualifiers: [{ name: 'immunology', ui: null, major: true }] },
      {
        descriptor: 'Liver Cirrhosis, Biliary',
        ui: null,
        major: true,
        qualifiers: [
          { name: 'immunology', ui: null, major: false },
          { name: 'pathology', ui: null, major: false },
        ],
      },
    ]);
  });
});

describe('article ids (AID, LID)', () => {
  it.each([
    ['10.1002/ctm2.297 [doi]', 'LID', 'doi', '10.1002/ctm2.297'],
    ['S0092-8674(13)01084-2 [pii]', 'LID', 'pii', 'S0092-8674(13)01084-2'],
    ['e297', 'LID', 'elocation', 'e297'],
    ['NBK1826 [bookaccession]', 'AID', 'bookaccession', 'NBK1826'],
    ['http://eric.ed.gov/?id=EJ1227990', 'LID', 'url', 'http://eric.ed.gov/?id=EJ1227990'],
    ['doi:10.1016/j.cpr.2005.02.002', 'AID', 'doi', '10.1016/j.cpr.2005.02.002'],
    ['https://doi.org/10.1/x [doi]', 'AID', 'doi', '10.1/x'],
  ] as const)('%s', (raw, tag, type, value) => {
    expect(parseArticleId(raw, tag)).toEqual({ type, value });
  });
});

describe('unique names (BibTeX keys, CSL ids)', () => {
  it('gives the base, then suffixes, never a name twice, even when a suffixed name is also a base', async () => {
    const { UniqueNames } = await import('../../src/formats/unique-names.js');
    const names = new UniqueNames((n) => String.fromCharCode(97 + n));
    expect(['Xu2021', 'Xu2021', 'Xu2021a', 'Xu2021', 'Xu2021b'].map((b) => names.take(b))).toEqual([
      'Xu2021', 'Xu2021a', 'Xu2021aa', 'Xu2021b', 'Xu2021ba',
    ]);
  });

  it('stays fast for many copies of one base', async () => {
    const { UniqueNames } = await import('../../src/formats/unique-names.js');
    const names = new UniqueNames((n) => `-${n + 2}`);
    const taken = new Set(Array.from({ length: 100_000 }, () => names.take('pmid:1')));
    expect(taken.size).toBe(100_000);
  });
});
