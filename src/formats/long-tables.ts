/**
 * Long ("tidy") tables of a citation's repeated fields, keyed by PMID: one row per author (with
 * position and the affiliations of that author), per MeSH heading and qualifier, grant,
 * keyword, publication type, chemical and reference. What R, pandas or DuckDB join on, where
 * the wide CSV joins a field's values into one cell (`--to csv --long authors`).
 */
import type { Citation, Person } from '../types.js';

export type Cell = string | number | boolean | null;

export interface LongTable {
  readonly columns: readonly string[];
  readonly rows: (c: Citation, join: string) => Cell[][];
}

const person = (c: Citation, p: Person, i: number, join: string): Cell[] => [
  c.pmid,
  i + 1,
  p.family,
  p.given,
  p.initials,
  p.suffix,
  p.collective,
  p.orcid,
  p.affiliations.join(join),
  p.identifiers.join(join),
];

const PERSON_COLUMNS = ['pmid', 'position', 'family', 'given', 'initials', 'suffix', 'collective', 'orcid', 'affiliations', 'identifiers'];

export const LONG_TABLES: Readonly<Record<string, LongTable>> = {
  authors: { columns: PERSON_COLUMNS, rows: (c, j) => c.authors.map((p, i) => person(c, p, i, j)) },
  investigators: { columns: PERSON_COLUMNS, rows: (c, j) => c.investigators.map((p, i) => person(c, p, i, j)) },
  editors: { columns: PERSON_COLUMNS, rows: (c, j) => c.editors.map((p, i) => person(c, p, i, j)) },
  // one row per heading and qualifier; a heading without qualifiers has one row with none
  mesh: {
    columns: ['pmid', 'descriptor', 'descriptor_ui', 'descriptor_major', 'qualifier', 'qualifier_ui', 'qualifier_major'],
    rows: (c) =>
      c.mesh.flatMap((m) =>
        m.qualifiers.length === 0
          ? [[c.pmid, m.descriptor, m.ui, m.major, null, null, null]]
          : m.qualifiers.map((q) => [c.pmid, m.descriptor, m.ui, m.major, q.name, q.ui ?? null, q.major]),
      ),
  },
  grants: { columns: ['pmid', 'id', 'acronym', 'agency', 'country'], rows: (c) => c.grants.map((g) => [c.pmid, g.id, g.acronym, g.agency, g.country]) },
  keywords: {
    columns: ['pmid', 'keyword', 'major', 'owner'],
    rows: (c) => c.keywords.map((k) => [c.pmid, k, c.majorKeywords.includes(k), c.keywordsOwner]),
  },
  publicationTypes: { columns: ['pmid', 'publication_type'], rows: (c) => c.publicationTypes.map((t) => [c.pmid, t]) },
  chemicals: { columns: ['pmid', 'registry_number', 'name'], rows: (c) => c.chemicals.map((x) => [c.pmid, x.registryNumber, x.name]) },
  references: {
    columns: ['pmid', 'position', 'citation', 'cited_pmid', 'cited_doi', 'cited_pmc', 'other_ids'],
    rows: (c, j) => c.references.map((r, i) => [c.pmid, i + 1, r.citation, r.pmid, r.doi, r.pmc, r.otherIds.join(j)]),
  },
};

export const LONG_TABLE_NAMES: readonly string[] = Object.keys(LONG_TABLES);
