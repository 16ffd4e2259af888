/**
 * Everything the command says on stderr: diagnostics as `file:line:column: CODE message`,
 * the progress line on a terminal, and the closing summary. Colour is decided once.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Diagnostic } from '../types.js';
import { StrictStop } from './errors.js';
import type { CliIO } from './io.js';
import type { EngineEvents } from '../engine/options.js';
import type { RunOptions } from './options.js';
import { progressLine } from './progress.js';

const PROGRESS_INTERVAL_MS = 200;

export class Reporter implements EngineEvents {
  readonly chalk: ChalkInstance;
  warnings = 0;
  errors = 0;
  records = 0;
  files = 0;
  /** PMIDs deleted by the DeleteCitation blocks of PubMed XML update files. */
  deleted = 0;
  /**
   * Those PMIDs, with --deleted (for its list: no DELETED warning is printed then) and with
   * --out-dir (each input's go in its done mark, for the snapshot step to apply).
   */
  readonly deletedPmids: string[] | null;
  /** Records left out by --dedupe / --pmids, for the summary. */
  selection: { duplicates: number; leftOut: number; possible: number; notWritten: number; latest: { superseded: number; deleted: number } | null } | null = null;
  /** Records read from each input, in order: the "identified" counts of a PRISMA diagram. */
  readonly perFile: Array<{ file: string; records: number }> = [];
  private recordsAtFileStart = 0;
  /** Why the run stopped early (--strict), for the summary. */
  stoppedBecause: string | null = null;
  private shownInFile = 0;
  private hiddenInFile = 0;
  private progressShown = false;
  private lastProgress = 0;
  /** The whole job (job()): inputs and bytes on disk; what is done of it. */
  private jobFiles = 0;
  private jobBytes: number | null = null;
  private bytesDone = 0;
  private filesDone = 0;
  private progressFile: string | null = null;
  private progressBytes = 0;
  private readonly started = Date.now();
  private readonly progressEnabled: boolean;

  constructor(
    private readonly io: CliIO,
    private readonly options: RunOptions,
  ) {
    this.chalk = new Chalk({ level: colorLevel(io, options) });
    this.deletedPmids = options.deleted === null && options.outDir === null ? null : [];
    // a dumb terminal cannot rewrite its line: no progress there
    this.progressEnabled = io.stderrIsTTY && !options.quiet && io.env['TERM'] !== 'dumb';
  }

  /** An input --out-dir did not read again: its output is done (its mark gives what it held). */
  skipped(file: string, records: number, deleteCitationCount: number, deleteCitations: readonly string[]): void {
    this.files++;
    this.records += records;
    this.skippedFiles++;
    this.perFile.push({ file, records });
    this.deleted += deleteCitationCount;
    this.deletedPmids?.push(...deleteCitations);
    // its bytes count as done for the progress line
    this.progress(`${file} (done before)`, 0, null);
  }

  /** Inputs --out-dir found done by an earlier run. */
  skippedFiles = 0;

  converted(count: number): void {
    this.records += count;
  }

  startFile(): void {
    this.shownInFile = 0;
    this.hiddenInFile = 0;
    this.recordsAtFileStart = this.records;
  }

  endFile(file: string): void {
    this.files++;
    this.perFile.push({ file, records: this.records - this.recordsAtFileStart });
    if (this.hiddenInFile > 0) {
      this.print(
        `${this.chalk.bold(visible(file))}: ${this.hiddenInFile} more diagnostic${this.hiddenInFile === 1 ? '' : 's'} not shown (--max-warnings ${this.options.maxWarnings})`,
      );
    }
  }

  diagnostic(file: string, d: Diagnostic): void {
    if (d.code === 'DELETED') {
      this.deleted++;
      if (this.deletedPmids !== null && d.pmid !== null) this.deletedPmids.push(d.pmid);
      // applied by --latest, listed in --deleted's file or kept in --out-dir's done marks: data, not a problem
      if (this.options.latest || this.options.deleted !== null || this.options.outDir !== null) return;
    }
    if (d.severity === 'info') {
      // what --dedupe did, not a problem: never counted, never capped; in the audit file when there is one
      if (this.options.quiet || (d.code === 'DUPLICATE' && this.options.duplicates !== null)) return;
      const where = d.line > 0 ? `${visible(file)}:${d.line}:${d.column || 1}` : visible(file);
      this.print(`${this.chalk.bold(where)}: ${this.chalk.dim(d.code)} ${visible(d.message)}${d.pmid !== null ? this.chalk.dim(` (PMID ${visible(d.pmid)})`) : ''}`);
      return;
    }
    if (d.severity === 'error') this.errors++;
    else this.warnings++;
    if (d.severity === 'warning' && this.options.quiet) return;
    if (this.shownInFile >= this.options.maxWarnings && d.severity === 'warning') {
      this.hiddenInFile++;
      return;
    }
    this.shownInFile++;
    const c = this.chalk;
    const name = visible(file);
    const where = d.line > 0 ? `${name}:${d.line}:${d.column || 1}` : name;
    const code = d.severity === 'error' ? c.red.bold(d.code) : c.yellow(d.code);
    const pmid = d.pmid !== null ? c.dim(` (PMID ${visible(d.pmid)})`) : '';
    this.print(`${c.bold(where)}: ${code} ${visible(d.message)}${pmid}`);
  }

  /** Prints a diagnostic; in --strict, the first one ends the run. */
  report(file: string, d: Diagnostic): void {
    this.diagnostic(file, d);
    if (d.code === 'DELETED' && (this.deletedPmids !== null || this.options.latest)) return;
    if (d.severity === 'info') return;
    if (this.options.strict) throw new StrictStop(`stopped at the first problem (--strict): ${d.code}`);
  }

  /** A problem writing one citation in the output format. */
  outputWarning(message: string, pmid: string | null): void {
    this.report('<output>', { code: 'UNCONVERTIBLE_CHARACTER', severity: 'warning', message, line: 0, column: 0, pmid });
  }

  /** Something the user should know that is no problem in the data (an ignored option); not with --quiet. */
  notice(message: string): void {
    if (!this.options.quiet) this.print(`${this.chalk.yellow('medline:')} ${visible(message)}`);
  }

  /** A problem with a whole file (missing, unreadable, binary) or with the run. */
  error(message: string): void {
    this.errors++;
    this.print(`${this.chalk.red.bold('medline:')} ${visible(message)}`);
  }

  /**
   * The job's size, for progress over all inputs: each input's size on disk (null for stdin),
   * read `readings` times (two with --keep complete).
   */
  job(sizes: ReadonlyArray<number | null>, readings = 1): void {
    this.jobFiles = sizes.length * readings;
    this.jobBytes = sizes.some((s) => s === null) ? null : sizes.reduce<number>((n, s) => n + s!, 0) * readings;
  }

  /**
   * Progress within the input `file`: `bytes` read of it on disk, `inFile` of its records not
   * yet in `records`. Drawn over the whole job, at most five times a second.
   */
  progress(file: string, bytes: number, _size: number | null, inFile = 0): void {
    if (file !== this.progressFile) {
      // the previous input is done: its bytes count as read
      if (this.progressFile !== null) {
        this.bytesDone += this.progressBytes;
        this.filesDone++;
      }
      this.progressFile = file;
    }
    this.progressBytes = bytes;
    if (!this.progressEnabled) return;
    const now = Date.now();
    if (now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    // one line narrower than the terminal, or it wraps and `\r` no longer reaches its start
    const width = Math.max(20, (this.io.columns ?? 80) - 1);
    const line = progressLine(
      {
        file: visible(file),
        filesDone: this.filesDone,
        files: Math.max(this.jobFiles, this.filesDone + 1),
        bytes: this.bytesDone + bytes,
        total: this.jobBytes,
        records: this.records + inFile,
        seconds: (now - this.started) / 1000,
        phase: null,
      },
      width,
    );
    this.io.stderr.write(`\r\x1b[K${this.chalk.dim(line)}`);
    this.progressShown = true;
  }

  summary(format: string, wrote: boolean): void {
    this.clearProgress();
    // a systematic review reports these counts (PRISMA): said whenever --dedupe is on
    if (this.options.dedupe && !this.options.quiet) this.print(this.prismaLine());
    if (this.options.latest && !this.options.quiet) this.print(this.latestLine());
    if (this.options.quiet && !this.options.stats) return;
    if (!this.io.stderrIsTTY && !this.options.stats) return;
    const seconds = (Date.now() - this.started) / 1000;
    // the file written, when it is one: where to look next
    const into = !wrote ? '' : this.options.output !== null ? ` into ${visible(this.options.output)}` : this.options.outDir !== null ? ` into ${visible(this.options.outDir)}/` : '';
    const verb = wrote ? `converted to ${format}${into}` : 'checked';
    const problems = `${plural(this.warnings, 'warning')}, ${plural(this.errors, 'error')}`;
    const colour = this.errors > 0 ? this.chalk.red : this.warnings > 0 ? this.chalk.yellow : this.chalk.green;
    const s = this.selection;
    const left =
      s === null || (s.duplicates === 0 && s.leftOut === 0)
        ? ''
        : `; left out ${[s.duplicates > 0 ? plural(s.duplicates, 'duplicate') : '', s.leftOut > 0 ? `${plural(s.leftOut, 'record')} not chosen by --pmids/--exclude-pmids` : ''].filter(Boolean).join(' and ')}`;
    const listed = this.options.deleted !== null ? `, listed in ${visible(this.options.deleted)}` : this.options.outDir !== null ? ', kept in the done marks' : '';
    const deleted = this.deleted > 0 ? `; ${this.deleted === 1 ? '1 PMID' : `${this.deleted} PMIDs`} deleted (DeleteCitation)${listed}` : '';
    // records read and written apart when some were left out
    const chose = s !== null && s.notWritten > 0;
    const counted = chose
      ? `${plural(this.records, 'record')} read from ${plural(this.files, 'file')}, ${(this.records - s.notWritten).toLocaleString('en-US')} ${wrote ? `written as ${format}${into}` : 'chosen'}`
      : `${plural(this.records, 'record')} from ${plural(this.files, 'file')} ${verb}`;
    const stopped = this.stoppedBecause === null ? '' : `; ${this.stoppedBecause}`;
    const again = this.skippedFiles > 0 ? `; ${plural(this.skippedFiles, 'input')} done by an earlier run, not read again` : '';
    this.print(`${colour('medline:')} ${counted} in ${seconds.toFixed(2)} s${left}${deleted}${again}; ${problems}${stopped}`);
  }

  /** --latest: records read, older versions and deleted ones left out, records written. */
  latestLine(): string {
    const l = this.selection?.latest ?? { superseded: 0, deleted: 0 };
    const written = this.records - (this.selection?.notWritten ?? 0);
    return `${this.chalk.bold('medline:')} --latest: ${plural(this.records, 'record')} read from ${plural(this.files, 'file')}, newest first; ${l.superseded.toLocaleString('en-US')} superseded by a later version, ${l.deleted.toLocaleString('en-US')} deleted by a later DeleteCitation; ${plural(written, 'record')} written`;
  }

  /** Records identified per input, duplicates removed, records written. */
  prismaLine(): string {
    const s = this.selection ?? { duplicates: 0, leftOut: 0, possible: 0 };
    const inputs = this.perFile.map((f) => `${visible(f.file)} ${f.records.toLocaleString('en-US')}`).join(', ');
    const written = this.records - (this.selection?.notWritten ?? 0);
    const chosen = s.leftOut > 0 ? `, ${plural(s.leftOut, 'record')} not chosen by --pmids/--exclude-pmids` : '';
    const where = this.options.duplicates === null ? '--duplicates FILE lists them' : `listed in ${visible(this.options.duplicates)}`;
    const possible = s.possible > 0 ? `; ${plural(s.possible, 'possible duplicate')} kept to check (${where})` : '';
    return `${this.chalk.bold('medline:')} --dedupe: ${plural(this.records, 'record')} identified (${inputs}); ${plural(s.duplicates, 'duplicate')} removed${chosen}; ${plural(written, 'record')} written${possible}`;
  }

  private print(line: string): void {
    this.clearProgress();
    this.io.stderr.write(line + '\n');
  }

  private clearProgress(): void {
    if (this.progressShown) {
      this.io.stderr.write('\r\x1b[K');
      this.progressShown = false;
    }
  }
}

/**
 * Colour only on a terminal that is not dumb, never with NO_COLOR or --no-color; --color
 * and FORCE_COLOR (1, 2, 3 or empty; 0 or false forbids) force it.
 */
function colorLevel(io: CliIO, options: RunOptions): 0 | 1 | 2 | 3 {
  if (options.color === false) return 0;
  const force = io.env['FORCE_COLOR'];
  if (options.color !== true && force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return force === '2' ? 2 : force === '3' ? 3 : 1;
  }
  const noColor = io.env['NO_COLOR'];
  if (options.color !== true && noColor !== undefined && noColor !== '') return 0;
  if (options.color !== true && (!io.stderrIsTTY || io.env['TERM'] === 'dumb')) return 0;
  const depth = io.colorDepth;
  return depth >= 24 ? 3 : depth >= 8 ? 2 : 1;
}

/**
 * Text from the input or the command line, made safe for a terminal: control characters
 * (C0, DEL, C1: escape sequences that could clear the screen, set the window title or
 * plant a hyperlink) and bidirectional overrides are shown as `\xHH` / `\u{HHHH}`.
 */
export function visible(text: string): string {
  return /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(text)
    ? text.replace(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
        const code = ch.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
      })
    : text;
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}
