/**
 * The one reading of the options the command and the library share (after csv-parse's
 * `normalize_options`): each value is checked and made canonical here, and a bad one is a
 * MedlineError `OPTION` that names the option and what it got. The command turns its
 * strings into these values through the same functions, so both agree by construction.
 */
import { DEFAULT_JOIN } from '../formats/csv.js';
import { FORMAT_NAMES, NEEDS_RAW, type FormatName, type FormatOptions } from '../formats/index.js';
import { LONG_TABLE_NAMES, LONG_TABLES } from '../formats/long-tables.js';
import { nearest } from '../nearest.js';
import type { InputEncoding } from '../node/decoder.js';
import { PmidSet } from '../selection.js';
import { MedlineError } from './errors.js';
import type { InputKind } from './input.js';
import type { EngineOptions } from './options.js';
import type { Readable } from 'node:stream';
import type { Diagnostic } from '../types.js';

const bad = (option: string, message: string) => new MedlineError('OPTION', null, `${option}: ${message}`);

/** Other names people give formats. */
export const FORMAT_ALIASES: ReadonlyMap<string, FormatName> = new Map([
  ['bib', 'bibtex'],
  ['jsonl', 'ndjson'],
  ['json-lines', 'ndjson'],
  ['csl-json', 'csl'],
  ['csljson', 'csl'],
  ['nbib', 'medline'],
  ['pubmed', 'medline'],
  ['txt', 'medline'],
]);

/** A format's name in any case, or an alias; a near miss gets a suggestion. */
export function formatName(value: unknown, option = 'to'): FormatName {
  const lower = String(value).toLowerCase();
  const name = (FORMAT_NAMES as readonly string[]).includes(lower) ? (lower as FormatName) : FORMAT_ALIASES.get(lower);
  if (name !== undefined) return name;
  const near = nearest(lower, [...FORMAT_NAMES, ...FORMAT_ALIASES.keys()]);
  const hint = near === null ? '' : ` (did you mean ${FORMAT_ALIASES.get(near) ?? near}?)`;
  throw bad(option, `unknown format "${String(value)}"${hint}; the formats are ${FORMAT_NAMES.join(', ')}`);
}

const ENCODINGS: ReadonlyMap<string, InputEncoding> = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['utf-16le', 'utf-16le'],
  ['utf16le', 'utf-16le'],
  ['utf-16be', 'utf-16be'],
  ['utf16be', 'utf-16be'],
  ['latin1', 'latin1'],
  ['latin-1', 'latin1'],
  ['iso-8859-1', 'latin1'],
  ['windows-1252', 'latin1'],
  ['cp1252', 'latin1'],
]);

export function encodingName(value: unknown, option = 'encoding'): InputEncoding {
  const e = ENCODINGS.get(String(value).toLowerCase());
  if (e === undefined) throw bad(option, `unknown encoding "${String(value)}" (utf-8, utf-16le, utf-16be, latin1)`);
  return e;
}

const KINDS: ReadonlyMap<string, InputKind> = new Map([
  ['medline', 'medline'],
  ['xml', 'xml'],
  ['json', 'json'],
  ['ndjson', 'json'],
]);

export function inputKind(value: unknown, option = 'from'): InputKind {
  const kind = KINDS.get(String(value).toLowerCase());
  if (kind === undefined) throw bad(option, `"${String(value)}" is not one of medline, xml, json, ndjson`);
  return kind;
}

/** A whole number from `min` to `max`, given as a number or as its digits. */
export function wholeNumber(option: string, value: unknown, min: number, max: number, or = ''): number {
  const n = typeof value === 'number' ? value : /^\d+$/.test(String(value)) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw bad(option, `expected a whole number from ${min} to ${max}${or ? ' ' + or : ''}, got "${String(value)}"`);
  }
  return n;
}

export function jobsValue(value: unknown, option = 'jobs'): number | 'auto' {
  return value === 'auto' ? 'auto' : wholeNumber(option, value, 1, 64, 'or auto');
}

/** The CSV options, checked against the format they apply to. */
export function csvOptions(
  format: FormatName,
  given: { fields?: readonly string[] | string | undefined; join?: string | undefined; excel?: boolean | undefined; long?: string | undefined },
  names = { fields: 'fields', join: 'join', excel: 'excel', long: 'long' },
): {
  fields: readonly string[] | null;
  join: string;
  excel: boolean;
  long: string | null;
} {
  const fields =
    given.fields === undefined
      ? null
      : (typeof given.fields === 'string' ? given.fields.split(',') : [...given.fields]).map((f) => String(f).trim()).filter((f) => f.length > 0);
  if (fields !== null && fields.length === 0) throw bad(names.fields, 'no column named');
  const join = given.join ?? DEFAULT_JOIN;
  if (join.length === 0) throw bad(names.join, 'the separator cannot be empty');
  if ((fields !== null || join !== DEFAULT_JOIN) && format !== 'csv' && format !== 'tsv') {
    throw new MedlineError('OPTION', null, `${names.fields} and ${names.join} apply to csv and tsv, not ${format}`);
  }
  const excel = given.excel === true;
  if (excel && format !== 'csv') {
    throw new MedlineError('OPTION', null, `${names.excel} applies to csv (spreadsheets open it with a BOM and CRLF), not ${format}; use --to csv --excel`);
  }
  const long = given.long ?? null;
  if (long !== null) {
    if (!LONG_TABLE_NAMES.includes(long)) {
      const near = nearest(long, LONG_TABLE_NAMES);
      throw bad(names.long, `no table "${long}"${near === null ? '' : ` (did you mean ${near}?)`}; the tables are ${LONG_TABLE_NAMES.join(', ')}`);
    }
    if (format !== 'csv' && format !== 'tsv') throw new MedlineError('OPTION', null, `${names.long} writes a table: use --to csv or --to tsv, not ${format}`);
    if (fields !== null) throw new MedlineError('OPTION', null, `${names.long} ${long} has its own columns (${LONG_TABLES[long]!.columns.join(', ')}): leave out ${names.fields}`);
  }
  return { fields, join, excel, long };
}

/** A list of PMIDs given as values (the library's `pmids`): each read as the command reads a list's lines. */
export function pmidValues(value: Iterable<string | number> | undefined, option: string): PmidSet | null {
  if (value === undefined) return null;
  if (typeof value === 'string' || typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw bad(option, 'expected a list (an array or other iterable) of PMIDs');
  }
  return PmidSet.of(value, (text) => {
    throw bad(option, `"${text.slice(0, 60)}" is not a PMID`);
  });
}

/** What the library's `convert()` accepts; every value is checked by `normaliseConvertOptions`. */
export interface ConvertOptions extends FormatOptions {
  /** Output format (default `json`), a name or alias as `--to` takes. */
  readonly to?: FormatName;
  /** Write this path atomically instead of returning a stream. */
  readonly output?: string;
  readonly from?: InputKind | 'ndjson';
  readonly encoding?: InputEncoding;
  /** json/ndjson: add each record's raw fields. */
  readonly raw?: boolean;
  /** Worker threads (default 1); `auto`: the cores, at most 4, for inputs of 48 MB or more, as the command does. */
  readonly jobs?: number | 'auto';
  /** Write each work once, as `--dedupe` (PMID, PMC id, title with DOI or year and first page). */
  readonly dedupe?: boolean;
  /** With `dedupe`: which copy of a work is written, as `--keep` (`complete` reads the inputs twice). */
  readonly keep?: 'first' | 'complete';
  /** Give each citation `sources`, the inputs it was read from, as `--sources`. */
  readonly sources?: boolean;
  /** PubMed baseline and update files in NLM's order: each PMID's last version, deletions applied, as `--latest`. */
  readonly latest?: boolean;
  /** Write only these PMIDs / leave these out, as `--pmids` and `--exclude-pmids` (`012345`, `PMID: 12345`, PubMed URLs read as the command reads its lists). */
  readonly pmids?: Iterable<string | number>;
  readonly excludePmids?: Iterable<string | number>;
  /** Where relative paths start (default the process's). */
  readonly cwd?: string;
  /** What `-` reads (default the process's stdin). */
  readonly stdin?: Readable;
  /** Each diagnostic, with the name of its input (`<output>` for the output format's). */
  readonly onDiagnostic?: (file: string, diagnostic: Diagnostic) => void;
}

const LIBRARY_KEYS = new Set(['to', 'output', 'from', 'encoding', 'raw', 'jobs', 'dedupe', 'keep', 'sources', 'latest', 'long', 'compact', 'pmids', 'excludePmids', 'cwd', 'stdin', 'onDiagnostic', 'pretty', 'fields', 'join', 'excel', 'key', 'ascii']);

/** The library's options, checked and complete: the engine's options and the selection's lists. */
export function normaliseConvertOptions(
  inputs: readonly string[],
  options: ConvertOptions,
): { engine: EngineOptions; dedupe: boolean; keep: 'first' | 'complete'; latest: boolean; pmids: PmidSet | null; excludePmids: PmidSet | null } {
  if (typeof options !== 'object' || options === null) throw new MedlineError('OPTION', null, 'options: expected an object');
  for (const key of Object.keys(options)) {
    if (!LIBRARY_KEYS.has(key)) {
      const near = nearest(key, [...LIBRARY_KEYS]);
      throw new MedlineError('OPTION', null, `unknown option "${key}"${near === null ? '' : ` (did you mean ${near}?)`}`);
    }
  }
  if (!Array.isArray(inputs) || inputs.some((i) => typeof i !== 'string')) throw new MedlineError('OPTION', null, 'inputs: expected an array of paths');
  const format = options.to === undefined ? 'json' : formatName(options.to);
  const csv = csvOptions(format, options);
  if (options.key !== undefined && options.key !== 'author-year-title' && options.key !== 'pmid') throw bad('key', `"${String(options.key)}" is not one of author-year-title, pmid`);
  const formatOptions: FormatOptions = {
    ...(options.pretty !== undefined ? { pretty: options.pretty === true } : {}),
    ...(options.compact === true ? { compact: true } : {}),
    ...(csv.fields !== null ? { fields: csv.fields } : {}),
    ...(options.join !== undefined ? { join: csv.join } : {}),
    ...(options.excel !== undefined ? { excel: csv.excel } : {}),
    ...(csv.long !== null ? { long: csv.long } : {}),
    ...(options.key !== undefined ? { key: options.key } : {}),
    ...(options.ascii !== undefined ? { ascii: options.ascii === true } : {}),
  };
  const keep = options.keep ?? 'first';
  if (keep !== 'first' && keep !== 'complete') throw bad('keep', `"${String(keep)}" is not one of first, complete`);
  if (keep === 'complete' && options.dedupe !== true) throw bad('keep', 'complete chooses among the copies dedupe finds: add dedupe: true');
  if (options.latest === true && options.dedupe === true) throw bad('latest', "writes each PMID's last version and dedupe a work's first copy: choose one");
  // latest reads the newest input first: its copy of a PMID is the one written
  const given = inputs.length > 0 ? inputs : ['-'];
  const files = options.latest === true ? [...given].reverse() : given;
  if (options.dedupe === true && (keep === 'complete' || options.sources === true) && files.includes('-')) {
    throw new MedlineError('OPTION', null, 'keep: complete and sources with dedupe read the inputs twice, and stdin cannot be read again');
  }
  return {
    engine: {
      files,
      from: options.from === undefined ? null : inputKind(options.from),
      encoding: options.encoding === undefined ? null : encodingName(options.encoding),
      raw: options.raw === true || NEEDS_RAW.has(format),
      // a citation's sources are put in as it is read, in this thread
      jobs: options.sources === true ? 1 : options.jobs === undefined ? 1 : jobsValue(options.jobs),
      format,
      formatOptions,
      check: false,
      sources: options.sources === true,
    },
    dedupe: options.dedupe === true,
    keep,
    latest: options.latest === true,
    pmids: pmidValues(options.pmids, 'pmids'),
    excludePmids: pmidValues(options.excludePmids, 'excludePmids'),
  };
}
