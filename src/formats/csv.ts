/**
 * CSV (RFC 4180 through csv-stringify) and TSV: one row per record under a header row.
 * Columns are a table of name → getter; `--fields` picks and orders them, dotted paths
 * into the citation included.
 */
import { stringify } from 'csv-stringify/sync';
import { nearest } from '../nearest.js';
import { emptyBook, emptyCitation } from '../citation/to-citation.js';
import { parsePages } from '../citation/pages.js';
import { LONG_TABLES } from './long-tables.js';
import { parsePublicationDate } from '../citation/dates.js';
import { displayName } from '../citation/names.js';
import type { Citation, Grant, MeshHeading, Person } from '../types.js';
import { textFormatter, type Formatter } from './formatter.js';
import { citedPages, recordUrl } from './work-type.js';

export const DEFAULT_JOIN = ' | ';

type Cell = string | number | boolean | null;
type Getter = (c: Citation, join: string) => Cell;

const names = (people: Person[], join: string) => people.map(displayName).join(join);
const list = (values: string[], join: string) => values.join(join);

/** MeSH in MEDLINE's own notation: `COVID-19/blood/*therapy`, `*Menstruation`. */
export function meshNotation(m: MeshHeading): string {
  const star = (major: boolean) => (major ? '*' : '');
  return [star(m.major) + m.descriptor, ...m.qualifiers.map((q) => star(q.major) + q.name)].join('/');
}

export function grantNotation(g: Grant): string {
  return [g.id, g.acronym, g.agency, g.country].filter((p) => p !== null).join('/');
}

/** Named columns: the defaults and the convenient aliases. */
const NAMED: ReadonlyMap<string, Getter> = new Map<string, Getter>([
  ['pmid', (c) => c.pmid],
  ['title', (c) => c.title],
  ['authors', (c, j) => names(c.authors, j)],
  ['firstAuthor', (c) => (c.authors[0] ? displayName(c.authors[0]) : null)],
  ['journal', (c) => c.journal.title ?? c.journal.abbreviation],
  ['year', (c) => c.published?.year ?? null],
  ['month', (c) => c.published?.month ?? null],
  ['volume', (c) => c.volume],
  ['issue', (c) => c.issue],
  ['pages', (c) => citedPages(c)],
  ['doi', (c) => c.ids.doi],
  ['pmcid', (c) => c.ids.pmc],
  ['pii', (c) => c.ids.pii],
  ['publicationTypes', (c, j) => list(c.publicationTypes, j)],
  ['mesh', (c, j) => c.mesh.map(meshNotation).join(j)],
  ['keywords', (c, j) => list(c.keywords, j)],
  ['languages', (c, j) => list(c.languages, j)],
  ['abstract', (c) => c.abstract],
  ['affiliations', (c, j) => [...new Set(c.authors.flatMap((a) => a.affiliations))].join(j)],
  ['orcids', (c, j) => c.authors.flatMap((a) => (a.orcid ? [`${displayName(a)}: ${a.orcid}`] : [])).join(j)],
  ['investigators', (c, j) => names(c.investigators, j)],
  ['editors', (c, j) => names(c.editors, j)],
  ['grants', (c, j) => c.grants.map(grantNotation).join(j)],
  ['chemicals', (c, j) => c.chemicals.map((x) => x.name).join(j)],
  ['relations', (c, j) => c.relations.map((r) => `${r.type}: ${r.citation}`).join(j)],
  ['history', (c, j) => c.history.map((h) => `${h.status}: ${h.date}`).join(j)],
  ['date', (c) => c.published?.raw ?? null],
  ['url', (c) => recordUrl(c)],
  // with --sources: the inputs the record was read from
  ['sources', (c, j) => (c.sources === undefined ? null : c.sources.join(j))],
]);

export const DEFAULT_COLUMNS: readonly string[] = Object.freeze([
  'pmid', 'title', 'authors', 'journal', 'year', 'volume', 'issue', 'pages', 'doi', 'pmcid',
  'publicationTypes', 'mesh', 'keywords', 'languages', 'abstract',
]);

/** Dotted paths to every scalar or list-of-strings inside a citation (`journal.issn.print`). */
function dottedPaths(): string[] {
  const out: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    } else {
      out.push(path);
    }
  };
  // the objects an empty citation has as null, from the code that makes them: a key added
  // there is a column here at once (`book.chapter` was refused when this was a copy)
  walk({ ...emptyCitation(), pages: parsePages(''), published: parsePublicationDate(''), book: emptyBook() }, '');
  return out;
}

const PATHS: readonly string[] = dottedPaths();

export function columnNames(): string[] {
  return [...new Set([...NAMED.keys(), ...PATHS])];
}

function pathGetter(path: string): Getter {
  const keys = path.split('.');
  return (c, join) => {
    let v: unknown = c;
    for (const k of keys) {
      if (v === null || v === undefined) return null;
      v = (v as Record<string, unknown>)[k];
    }
    if (v === undefined || v === null) return null;
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : cellText(x))).join(join);
    if (typeof v === 'object') return JSON.stringify(v);
    return v as Cell;
  };
}

function cellText(x: unknown): string {
  if (x !== null && typeof x === 'object') {
    if ('descriptor' in x) return meshNotation(x as MeshHeading);
    if ('collective' in x) return displayName(x as Person);
    if ('agency' in x) return grantNotation(x as Grant);
    return JSON.stringify(x);
  }
  return String(x ?? '');
}

export class UnknownFieldError extends Error {
  constructor(readonly unknown: readonly string[]) {
    const named = (u: string) => {
      const near = nearest(u, [...columnNames(), ...PATHS]);
      return near === null ? `"${u}"` : `"${u}" (did you mean "${near}"?)`;
    };
    super(
      `--fields: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map(named).join(', ')}; the columns are ${[...NAMED.keys()].join(', ')}, and any dotted path into the citation (journal.title, ids.doi, published.season; see the README)`,
    );
  }
}

export function resolveColumns(fields: readonly string[] | undefined): Array<{ name: string; get: Getter }> {
  const names = fields ?? DEFAULT_COLUMNS;
  const unknown = names.filter((n) => !NAMED.has(n) && !PATHS.includes(n));
  if (unknown.length > 0) throw new UnknownFieldError(unknown);
  return names.map((name) => ({ name, get: NAMED.get(name) ?? pathGetter(name) }));
}

export interface TableOptions {
  readonly fields?: readonly string[];
  readonly join?: string;
  readonly excel?: boolean;
  /** A long table of one repeated field (LONG_TABLES) instead of a row per record. */
  readonly long?: string;
}

/** The table's header and each citation's rows: a row per record, or a long table's rows. */
function tableOf(options: TableOptions): { header: readonly string[]; rows: (c: Citation, join: string) => Cell[][] } {
  if (options.long !== undefined) {
    const table = LONG_TABLES[options.long];
    if (table === undefined) throw new UnknownFieldError([options.long]);
    return { header: table.columns, rows: table.rows };
  }
  const columns = resolveColumns(options.fields);
  return { header: columns.map((c) => c.name), rows: (c, join) => [columns.map((col) => col.get(c, join))] };
}

export function createCsvFormatter(options: TableOptions = {}): Formatter<string> {
  const table = tableOf(options);
  const join = options.join ?? DEFAULT_JOIN;
  const csvOptions = {
    record_delimiter: options.excel ? ('windows' as const) : ('unix' as const),
    escape_formulas: options.excel === true,
    cast: { boolean: (b: boolean) => String(b), number: (n: number) => String(n) },
  };
  const header = (options.excel ? '\uFEFF' : '') + stringify([[...table.header]], csvOptions);
  return textFormatter((c) => {
    const rows = table.rows(c, join);
    return rows.length === 0 ? '' : stringify(rows, csvOptions);
  }, header);
}

/** TSV cells escape `\`, tab, CR and LF so that no value can break a row. */
function tsvCell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[\\\t\r\n]/.test(s) ? s.replace(/[\\\t\r\n]/g, (ch) => TSV_ESCAPES[ch]!) : s;
}

const TSV_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\r': '\\r', '\n': '\\n' };

export function createTsvFormatter(options: TableOptions = {}): Formatter<string> {
  const table = tableOf(options);
  const join = options.join ?? DEFAULT_JOIN;
  return textFormatter(
    (c) =>
      table
        .rows(c, join)
        .map((row) => row.map(tsvCell).join('\t') + '\n')
        .join(''),
    table.header.map(tsvCell).join('\t') + '\n',
  );
}
