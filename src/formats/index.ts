/** The output formats: names, file extensions, and how to make each formatter. */
import type { Formatter } from './formatter.js';
import { createBibtexFormatter } from './bibtex.js';
import { createCslFormatter } from './csl.js';
import { createCsvFormatter, createTsvFormatter } from './csv.js';
import { createJsonFormatter, createNdjsonFormatter } from './json.js';
import { createMedlineFormatter } from './medline.js';
import { createRisFormatter } from './ris.js';

export const FORMAT_NAMES = ['json', 'ndjson', 'csv', 'tsv', 'bibtex', 'biblatex', 'ris', 'csl', 'medline'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Everything any formatter may be told; each reads what concerns it. */
export interface FormatOptions {
  /** JSON: indent citations. */
  readonly pretty?: boolean;
  /** JSON/NDJSON: leave out null, false and empty values (read back to the same citations). */
  readonly compact?: boolean;
  /** CSV/TSV: the columns, in order (dotted paths such as `journal.title`). */
  readonly fields?: readonly string[];
  /** CSV/TSV: separator between the values of a multi-valued cell. */
  readonly join?: string;
  /** CSV: UTF-8 BOM, CRLF and formula neutralisation for spreadsheets. */
  readonly excel?: boolean;
  /** CSV/TSV: a long table of one repeated field instead of a row per record (`authors`, `mesh`…; long-tables.ts). */
  readonly long?: string;
  /** BibTeX: citation key style. */
  readonly key?: 'author-year-title' | 'pmid';
  /** BibTeX: LaTeX escapes instead of UTF-8; every character that cannot be converted is reported. */
  readonly ascii?: boolean;
  /** Receives a warning about one citation (a character BibTeX --ascii cannot write, …). */
  readonly warn?: (message: string, pmid: string | null) => void;
}

/** File extensions that name a format, for `-o out.bib` without `--to`. */
export const FORMAT_BY_EXTENSION: ReadonlyMap<string, FormatName> = new Map([
  ['.json', 'json'],
  ['.ndjson', 'ndjson'],
  ['.jsonl', 'ndjson'],
  ['.csv', 'csv'],
  ['.tsv', 'tsv'],
  ['.bib', 'bibtex'],
  ['.bibtex', 'bibtex'],
  ['.ris', 'ris'],
  ['.csl.json', 'csl'],
  ['.medline', 'medline'],
  ['.nbib', 'medline'],
  ['.txt', 'medline'],
]);

/** The extension each format's files get when medline names them (`--out-dir`). */
export const FORMAT_EXTENSION: Readonly<Record<FormatName, string>> = {
  json: '.json',
  ndjson: '.ndjson',
  csv: '.csv',
  tsv: '.tsv',
  bibtex: '.bib',
  biblatex: '.bib',
  ris: '.ris',
  csl: '.csl.json',
  medline: '.txt',
};

/** An output named after its input: `pubmed26n0001.xml.gz` → `pubmed26n0001.ndjson`. */
export function outputName(input: string, format: FormatName): string {
  const base = input.replace(/^.*[\\/]/, '').replace(/\.gz$/i, '').replace(/\.(xml|txt|nbib|medline|med|ndjson|jsonl|json)$/i, '');
  return `${base}${FORMAT_EXTENSION[format]}`;
}

export function formatForPath(path: string): FormatName | null {
  const lower = path.toLowerCase().replace(/\.gz$/, '');
  let best: FormatName | null = null;
  let bestLength = 0;
  for (const [ext, name] of FORMAT_BY_EXTENSION) {
    if (lower.endsWith(ext) && ext.length > bestLength) {
      best = name;
      bestLength = ext.length;
    }
  }
  return best;
}

/** Formats that need each citation's raw field list. */
export const NEEDS_RAW: ReadonlySet<FormatName> = new Set(['medline']);

/** Each format's formatter, made from the options that concern it. */
const FORMATTERS: Readonly<Record<FormatName, (options: FormatOptions) => Formatter>> = {
  json: createJsonFormatter,
  ndjson: createNdjsonFormatter,
  csv: createCsvFormatter,
  tsv: createTsvFormatter,
  bibtex: (options) => createBibtexFormatter({ ...options, dialect: 'bibtex' }),
  biblatex: (options) => createBibtexFormatter({ ...options, dialect: 'biblatex' }),
  ris: createRisFormatter,
  csl: createCslFormatter,
  medline: createMedlineFormatter,
};

export function createFormatter(name: FormatName, options: FormatOptions = {}): Formatter {
  return FORMATTERS[name](options);
}
