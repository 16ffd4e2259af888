/**
 * The command line's options: declared once with commander, then normalised into one
 * complete, frozen RunOptions; every bad value is a UsageError that names what it got.
 */
import { Command, CommanderError, Help, InvalidArgumentError, Option } from 'commander';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DEFAULT_COLUMNS, DEFAULT_JOIN } from '../formats/csv.js';
import { LONG_TABLE_NAMES } from '../formats/long-tables.js';
import { FORMAT_NAMES, formatForPath, NEEDS_RAW, outputName, type FormatName, type FormatOptions } from '../formats/index.js';
import type { ConvertOptions } from '../engine/convert.js';
import type { EngineOptions } from '../engine/options.js';
import type { InputEncoding } from '../node/decoder.js';
import { MedlineError } from './errors.js';
import { csvOptions, encodingName, formatName, inputKind, jobsValue, wholeNumber } from '../engine/normalise.js';
import type { InputKind } from '../engine/input.js';

export interface RunOptions {
  readonly files: readonly string[];
  readonly format: FormatName;
  readonly output: string | null;
  readonly raw: boolean;
  readonly strict: boolean;
  readonly check: boolean;
  readonly pretty: boolean;
  /** `--compact`: JSON without null, false and empty values. */
  readonly compact: boolean;
  readonly fields: readonly string[] | null;
  readonly join: string;
  readonly excel: boolean;
  /** `--long`: a long table of one repeated field. */
  readonly long: string | null;
  readonly key: 'author-year-title' | 'pmid';
  readonly ascii: boolean;
  readonly encoding: InputEncoding | null;
  readonly jobs: number | 'auto';
  readonly quiet: boolean;
  readonly stats: boolean;
  readonly color: boolean | null;
  readonly verbose: boolean;
  readonly maxWarnings: number;
  readonly dedupe: boolean;
  /** `--from`: what the inputs hold, when their first bytes should not decide. */
  readonly from: InputKind | null;
  readonly pmids: string | null;
  readonly excludePmids: string | null;
  /** `--deleted`: where the PMIDs of PubMed XML DeleteCitation blocks are listed. */
  readonly deleted: string | null;
  /** `--duplicates`: the audit file of what --dedupe left out. */
  readonly duplicates: string | null;
  /** `--keep`: which copy of a work --dedupe writes: the first read, or the most complete (two readings). */
  readonly keep: 'first' | 'complete';
  /** `--sources`: each record says every input it was read from. */
  readonly sources: boolean;
  /** `--latest`: each PMID's last version, deletions applied (the inputs are read newest first). */
  readonly latest: boolean;
  /** `--out-dir`: one output per input in this folder, restartable. */
  readonly outDir: string | null;
  /** `--report`: the run's counts as JSON, for scripts. */
  readonly report: string | null;
  /** Things to tell the user before the run (an option that does not apply, a capped --jobs). */
  readonly notices: readonly string[];
}

export const DEFAULT_MAX_WARNINGS = 50;


export const HELP_AFTER = `
Formats:
  json      one JSON array of citations (default)
  ndjson    one JSON citation per line
  csv, tsv  one row per record, a header row (--fields, --join, --excel)
  bibtex    BibTeX entries of the classic types, for LaTeX and reference managers
            (--key, --ascii)
  biblatex  the same with biblatex's types (@online preprints, @dataset)
  ris       RIS for Zotero, EndNote, JabRef, Mendeley
  csl       CSL-JSON for pandoc, citeproc and Zotero
  medline   MEDLINE text again, cleanly wrapped (round-trips)

Examples:
  In a pipeline:
    cat pubmed-export.txt | medline --to ndjson | jq -r .title
    medline a.nbib b.nbib --to csv --fields pmid,title,ids.doi | csvlook
  A systematic review (several overlapping exports; the included studies):
    medline search-*.nbib --dedupe -o screening.ris
    medline search-*.nbib --dedupe --pmids included.txt -o included.bib
  Batch conversion:
    medline exports/*.txt.gz -o all.ndjson --stats
    medline --check big-export.txt && medline big-export.txt -o refs.bib
  PubMed XML (efetch's default, the baseline and update files):
    efetch -db pubmed -id 33634996 | medline --to bibtex
    medline pubmed26n*.xml.gz -o pubmed.ndjson --jobs 4 --deleted deleted.txt
  One-off (npx medline once it is on npm; until then from a clone after
  npm link, or from a tarball: npx --yes ./medline-0.1.0.tgz):
    medline pubmed-export.txt --to csv > sheet.csv
    medline citations.nbib -o refs.bib

Shell completions: medline completion bash (or zsh, fish); the manual: man medline.

Exit status: 0 converted (warnings allowed), 1 data errors (--strict, --check,
input without any record, XML that breaks off), 2 usage or I/O errors (bad
option, missing file, binary input).
Diagnostics go to stderr as FILE:LINE:COLUMN: CODE message.`;

/**
 * Text wrapped to `width` columns: a line longer than that is broken at spaces, its
 * continuation indented two more than the line (the examples stay readable on a narrow
 * terminal; a single word longer than the width is left whole).
 */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      const indent = /^ */.exec(line)![0];
      const out: string[] = [];
      let current = '';
      for (const word of line.trim().split(/ +/)) {
        const lead = out.length === 0 ? indent : `${indent}  `;
        if (current !== '' && lead.length + current.length + 1 + word.length > width) {
          out.push(lead + current);
          current = word;
        } else current = current === '' ? word : `${current} ${word}`;
      }
      out.push((out.length === 0 ? indent : `${indent}  `) + current);
      return out.join('\n');
    })
    .join('\n');
}

/** The program; its help is wrapped to `width` columns (the terminal's, else 80). */
export function buildProgram(version: string, width = 80): Command {
  return new Command()
    .name('medline')
    .description('Convert MEDLINE/PubMed text records (PubMed export, .nbib, efetch) and PubMed XML to JSON, CSV, BibTeX, RIS, CSL-JSON or MEDLINE.')
    .version(version, '-V, --version', 'print the version and exit')
    .argument('[files...]', 'MEDLINE files to convert, in order (.gz read transparently); none or - reads stdin')
    .addOption(
      new Option('-t, --to <format>', `output format: ${FORMAT_NAMES.join(', ')} (default: from -o's extension, else json)`).argParser(parseFormatName),
    )
    .option('-o, --output <file>', 'write to FILE atomically instead of stdout; its extension picks the format')
    .option('--raw', 'json/ndjson: add each record\'s ordered list of tags and values', false)
    .option('--strict', 'stop at the first problem in the input, exit 1', false)
    .option('--check', 'only read and report problems, write nothing; exit 1 unless the input is clean', false)
    .option('--pretty', 'json, csl: indent each citation', false)
    .option('--compact', 'json, ndjson: leave out null, false and empty values and abstract sections the abstract repeats (about two thirds of the bytes; medline reads it back to the same citations)', false)
    .option('--fields <list>', 'csv/tsv: comma-separated columns, dotted paths allowed (journal.title, ids.doi)')
    .option('--join <separator>', 'csv/tsv: separator between the values of one cell', DEFAULT_JOIN)
    .option('--excel', 'csv: UTF-8 BOM, CRLF, and formulas neutralised for spreadsheets', false)
    .addOption(new Option('--long <table>', 'csv/tsv: a long (tidy) table of one repeated field, a row per value, keyed by pmid').choices(LONG_TABLE_NAMES))
    .addOption(new Option('--key <style>', 'bibtex: citation keys').choices(['author-year-title', 'pmid']).default('author-year-title'))
    .option('--ascii', 'bibtex: LaTeX escapes instead of UTF-8; reports what cannot be converted', false)
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be or latin1 (default: BOM, else utf-8)')
    .option('-j, --jobs <n>', 'convert on N worker threads (inputs cut into units of whole records); output and messages stay those of one job; auto: the cores (at most 4) for inputs of 48 MB or more, else 1', 'auto')
    .option('-q, --quiet', 'no progress, no summary, no warnings (errors still shown)', false)
    .option('--stats', 'print the summary line even when stderr is not a terminal', false)
    .option('--color', 'colour diagnostics even when stderr is not a terminal')
    .option('--no-color', 'never colour (NO_COLOR in the environment does the same)')
    .option('--max-warnings <n>', 'print at most N diagnostics per file; the summary still counts all', String(DEFAULT_MAX_WARNINGS))
    .addOption(new Option('--from <format>', 'what the inputs hold: medline text, PubMed xml, or medline\'s json/ndjson (default: their first bytes decide)').choices(['medline', 'xml', 'json', 'ndjson']))
    .option('--dedupe', 'write each work once: records sharing a PMID or PMC id, or a title and its DOI (or year and first page), are one work; the first read is kept (see --keep), the others left out and reported', false)
    .option('--pmids <file>', 'write only the records whose PMID is listed in FILE (one a line, # comments)')
    .option('--exclude-pmids <file>', 'leave out the records whose PMID is listed in FILE')
    .option('--duplicates <file>', 'with --dedupe: write each record left out as a duplicate to FILE (TSV: where it was, its PMID, DOI and title, the record it duplicates, the rule), and each possible duplicate kept to check, instead of a line each on stderr')
    .addOption(new Option('--keep <copy>', 'with --dedupe: which copy of a work to write: the first read, or the most complete (abstract, MeSH, pages…; reads the inputs twice, so not stdin)').choices(['first', 'complete']).default('first'))
    .option('--sources', 'json, ndjson, csv, tsv, ris: say every input each record was read from (with --dedupe, every copy\'s; reads the inputs twice, so not stdin)', false)
    .option('--latest', 'PubMed baseline and update files in NLM\'s order: write each PMID once, in the version of the last input holding it, without those a later DeleteCitation deletes', false)
    .option('--out-dir <dir>', 'write one output per input into DIR, named after it (pubmed26n0001.xml.gz → pubmed26n0001.ndjson); a run started again skips the inputs done: for long batch jobs')
    .option('--report <file>', 'write the run\'s counts to FILE as JSON (records read per input, duplicates removed, possible duplicates, written, warnings, errors) for scripts')
    .option('--deleted <file>', 'PubMed XML update files: list the PMIDs their DeleteCitation blocks delete in FILE, one a line, instead of a DELETED warning each')
    .option('--verbose', 'print stack traces of internal errors', false)
    .addHelpText('after', wrapText(HELP_AFTER, width))
    .configureHelp({
      // on a terminal too narrow for two columns, each description goes under its option
      formatItem(term, termWidth, description, helper) {
        if (width - termWidth - 4 >= 36 || description === '') return Help.prototype.formatItem.call(this, term, termWidth, description, helper);
        return `  ${term}\n${helper.boxWrap(description, width - 6).replace(/^/gm, '      ')}`;
      },
    })
    .showSuggestionAfterError(true)
    .exitOverride();
}

/** `--to`: any case, a few aliases, and a suggestion for a near miss (the library reads `to` the same way). */
function parseFormatName(value: string): FormatName {
  try {
    return formatName(value, '--to');
  } catch (error) {
    throw new InvalidArgumentError(error instanceof MedlineError ? error.message.replace(/^--to: /, '') : String(error));
  }
}

interface RawOptions {
  to?: FormatName;
  output?: string;
  raw: boolean;
  strict: boolean;
  check: boolean;
  pretty: boolean;
  compact: boolean;
  fields?: string;
  join: string;
  excel: boolean;
  long?: string;
  key: 'author-year-title' | 'pmid';
  ascii: boolean;
  encoding?: string;
  jobs: string;
  quiet: boolean;
  stats: boolean;
  color?: boolean;
  maxWarnings: string;
  verbose: boolean;
  dedupe: boolean;
  from?: 'medline' | 'xml' | 'json' | 'ndjson';
  pmids?: string;
  excludePmids?: string;
  deleted?: string;
  duplicates?: string;
  keep: 'first' | 'complete';
  sources: boolean;
  latest: boolean;
  outDir?: string;
  report?: string;
}

/** The formats each format-specific option applies to; given with another, it is reported and ignored. */
const APPLIES_TO: ReadonlyArray<readonly [keyof RawOptions, string, readonly FormatName[]]> = [
  ['pretty', '--pretty', ['json', 'csl']],
  ['compact', '--compact', ['json', 'ndjson']],
  ['raw', '--raw', ['json', 'ndjson']],
  ['key', '--key', ['bibtex', 'biblatex']],
  ['ascii', '--ascii', ['bibtex', 'biblatex']],
];

/**
 * Normalises commander's parse into RunOptions; throws UsageError for bad values.
 * `given(name)` tells whether an option was on the command line (not a default).
 */
export function normaliseOptions(
  files: string[],
  o: RawOptions,
  given: (name: string) => boolean = () => false,
  cores: number = availableParallelism(),
): RunOptions {
  const notices: string[] = [];
  let format: FormatName | undefined = o.to;
  // `-o -` is stdout, as for most tools
  const output = o.output === '-' ? undefined : o.output;
  if (format === undefined && output !== undefined && !isSpecialFile(output)) {
    const inferred = formatForPath(output);
    if (inferred === null) {
      throw new MedlineError(
        'OPTION',
        null,
        `cannot tell the format from the extension of "${o.output}"; add --to (${FORMAT_NAMES.join(', ')})`,
      );
    }
    format = inferred;
  }
  const encoding: InputEncoding | null = o.encoding === undefined ? null : encodingName(o.encoding, '--encoding');
  let jobs = jobsValue(o.jobs, '--jobs');
  if (jobs !== 'auto' && jobs > cores) {
    notices.push(`--jobs ${jobs}: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores}`);
    jobs = cores;
  }
  const maxWarnings = wholeNumber('--max-warnings', o.maxWarnings, 0, Number.MAX_SAFE_INTEGER);
  // one output per input: NDJSON, which concatenates
  const chosen = format ?? (o.outDir !== undefined ? 'ndjson' : 'json');
  if (o.duplicates !== undefined && !o.dedupe) throw new MedlineError('OPTION', null, '--duplicates lists what --dedupe leaves out: add --dedupe');
  if (o.outDir !== undefined) {
    if (o.output !== undefined) throw new MedlineError('OPTION', null, '--out-dir writes one output per input: leave out -o');
    if (o.dedupe) throw new MedlineError('OPTION', null, '--out-dir converts each input on its own, and --dedupe compares them all: run --dedupe over the outputs afterwards');
    if (files.length === 0 || files.includes('-')) throw new MedlineError('OPTION', null, '--out-dir names each output after its input: give files, not stdin');
    const names = files.map((f) => outputName(f, chosen));
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice !== undefined) throw new MedlineError('OPTION', null, `--out-dir: two inputs would both be written as ${twice}: rename one`);
  }
  if (o.latest && o.dedupe) throw new MedlineError('OPTION', null, '--latest writes each PMID\'s last version and --dedupe a work\'s first copy: choose one');
  if (o.keep === 'complete' && !o.dedupe) throw new MedlineError('OPTION', null, '--keep complete chooses among the copies --dedupe finds: add --dedupe');
  const fileList = files.length === 0 ? ['-'] : files;
  // the second reading needs inputs that can be read again
  const twice = o.dedupe && (o.keep === 'complete' || o.sources);
  if (twice && fileList.includes('-')) {
    throw new MedlineError('OPTION', null, `${o.keep === 'complete' ? '--keep complete' : '--sources with --dedupe'} reads the inputs twice, and stdin cannot be read again: save it to a file first`);
  }
  if (o.sources && !['json', 'ndjson', 'csv', 'tsv', 'ris'].includes(format ?? 'json') && !o.check) notices.push(`--sources applies to json, ndjson, csv, tsv and ris, not ${format}; ignored`);
  // a record's inputs are put in as it is read, in this thread
  if (o.sources && jobs !== 1) jobs = 1;
  const csv = csvOptions(chosen, o, { fields: '--fields', join: '--join', excel: '--excel', long: '--long' });
  // --sources is a column of its own in CSV, after those chosen
  const fields = o.sources && csv.long === null && (chosen === 'csv' || chosen === 'tsv') && !(csv.fields ?? []).includes('sources') ? [...(csv.fields ?? DEFAULT_COLUMNS), 'sources'] : csv.fields;
  if (!o.check) {
    for (const [name, flag, formats] of APPLIES_TO) {
      if (given(name) && !formats.includes(chosen)) notices.push(`${flag} applies to ${formats.join(' and ')}, not ${chosen}; ignored`);
    }
  }
  return Object.freeze({
    // --latest reads the newest input first: its copy of a PMID is the one written
    files: o.latest ? [...fileList].reverse() : fileList,
    format: chosen,
    output: output ?? null,
    raw: o.raw,
    strict: o.strict,
    check: o.check,
    pretty: o.pretty,
    compact: o.compact,
    fields,
    join: o.join,
    excel: o.excel,
    long: csv.long,
    key: o.key,
    ascii: o.ascii,
    encoding,
    jobs,
    quiet: o.quiet,
    stats: o.stats,
    color: o.color ?? null,
    verbose: o.verbose,
    maxWarnings,
    dedupe: o.dedupe,
    from: o.from === undefined ? null : inputKind(o.from, '--from'),
    pmids: o.pmids ?? null,
    excludePmids: o.excludePmids ?? null,
    deleted: o.deleted ?? null,
    duplicates: o.duplicates ?? null,
    keep: o.keep,
    sources: o.sources,
    latest: o.latest,
    outDir: o.outDir ?? null,
    report: o.report ?? null,
    notices,
  });
}

/** What the convert loop needs to know. */
export function convertOptions(options: RunOptions): ConvertOptions {
  return { encoding: options.encoding, raw: options.raw || NEEDS_RAW.has(options.format) };
}

/** What the engine is told: the conversion, without the command line's own matters. */
export function engineOptions(options: RunOptions): EngineOptions {
  return {
    files: options.files,
    from: options.from,
    ...convertOptions(options),
    jobs: options.jobs,
    format: options.format,
    formatOptions: formatOptions(options),
    check: options.check,
    sources: options.sources,
  };
}

/** The formatter's options; plain data, so that worker threads get them too. */
export function formatOptions(options: RunOptions): FormatOptions {
  return {
    pretty: options.pretty,
    ...(options.compact ? { compact: true } : {}),
    ...(options.fields !== null ? { fields: options.fields } : {}),
    join: options.join,
    excel: options.excel,
    ...(options.long !== null ? { long: options.long } : {}),
    key: options.key,
    ascii: options.ascii,
  };
}

/** A device or a FIFO (`-o /dev/null`), asked of the file: its name tells no format, and needs none. */
function isSpecialFile(path: string): boolean {
  try {
    const stats = statSync(path);
    return !stats.isFile() && !stats.isDirectory();
  } catch {
    return false;
  }
}

export { CommanderError };
