/**
 * Defects that other parsers' test suites exposed (issue 11), each with a regression test
 * from a real record, and a check on the whole corpus for the rest of its family.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GRANT_COUNTRIES } from '../src/citation/countries.js';
import type { Citation } from '../src/types.js';
import { allInputs, fixture, parseByteChunks } from './helpers.js';

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
