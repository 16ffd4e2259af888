/**
 * The `medline` command as a function: `main(argv, io)` resolves to the exit status. It
 * never calls process.exit(), so stdout drains and tests run it in-process.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { createFormatter } from '../formats/index.js';
import type { Formatter } from '../formats/formatter.js';
import { UnknownFieldError } from '../formats/csv.js';
import { CliError, EXIT, MedlineError, StrictStop, UsageError } from './errors.js';
import { convertInputs } from '../engine/run.js';
import { sizeOnDisk } from '../engine/input.js';
import type { CliIO } from './io.js';
import { buildProgram, CommanderError, engineOptions, formatOptions, normaliseOptions, type RunOptions } from './options.js';
import { BrokenPipe, commitAll, openOutput, refuseClashes, resolveOutputTarget, StreamOutput, type Output, type OutputTarget } from '../engine/output.js';
import { Reporter, visible } from './reporter.js';
import { readPmidList } from '../engine/pmid-list.js';
import { Selection, type DuplicateRow } from '../selection.js';
import { FormattedWriter } from '../engine/writer.js';
import { completionScript, SHELLS, type Shell } from './completion.js';
import { LatestVersions } from '../dedupe/latest.js';
import { convertEach } from './out-dir.js';

const version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  // `medline completion bash`, unless a file is named so (as `medline help`)
  if (argv[0] === 'completion' && !existsSync(resolve(io.cwd, 'completion'))) return completion(argv.slice(1), io);
  let options: RunOptions;
  try {
    options = parseArguments(argv, io);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and the version are printed already; an error is ours to word
      if (error.code === 'medline.usage') return EXIT.USAGE;
      if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.OK;
      return usageError(io, commanderMessage(error, argv));
    }
    if (error instanceof UsageError || (error instanceof MedlineError && error.code === 'OPTION')) return usageError(io, error.message);
    throw error;
  }
  return run(options, io);
}

/** Prints the completion script for a shell. */
function completion(args: readonly string[], io: CliIO): number {
  const shell = args[0];
  if (args.length !== 1 || !(SHELLS as readonly string[]).includes(shell!)) {
    return usageError(io, `completion: name one shell: ${SHELLS.join(', ')} (medline completion bash)`);
  }
  io.stdout.write(completionScript(shell as Shell, buildProgram(version)));
  return EXIT.OK;
}

/** Every usage error in one style: `medline: what is wrong`, then where to look. */
function usageError(io: CliIO, message: string): number {
  io.stderr.write(`medline: ${visible(message)}\nTry 'medline --help' for more information.\n`);
  return EXIT.USAGE;
}

/** Options people reach for from other tools, and what medline calls them. */
const NEAR_MISSES: ReadonlyMap<string, string> = new Map([
  ['--format', '--to'],
  // pandoc's -f is --from (and its -t is ours)
  ['-f', '--from'],
  ['--output-format', '--to'],
  ['--type', '--to'],
  ['-to', '--to'],
  ['--out', '-o, --output'],
  ['--outfile', '-o, --output'],
  ['--output-file', '-o, --output'],
  ['-out', '-o, --output'],
  ['--input', 'the input files as arguments (medline a.txt b.nbib)'],
  ['-i', 'the input files as arguments (medline a.txt b.nbib)'],
]);

/** Commander's message without its `error: ` prefix, with a suggestion for a near miss. */
function commanderMessage(error: CommanderError, argv: readonly string[]): string {
  let message = error.message
    .replace(/^error: /, '')
    .replace(/^option '(?:-\w, )?(--[\w-]+)[^']*' argument '([^']*)' is invalid\. Allowed choices are (.*)\.$/, '$1: "$2" is not one of $3')
    .replace(/^option '(?:-\w, )?(--[\w-]+)[^']*' argument '[^']*' is invalid\. /, '$1: ')
    .replace(/\n\(Did you mean (.*)\?\)$/, ' (did you mean $1?)');
  // a name people bring from other tools beats a spelling suggestion (`--format` is `--to`, not `--from`)
  const miss = argv.find((a) => NEAR_MISSES.has(a.split('=')[0]!));
  if (miss !== undefined && message.startsWith(`unknown option '${miss.split('=')[0]}'`)) {
    message = `${message.replace(/ \(did you mean .*\?\)$/, '')} (did you mean ${NEAR_MISSES.get(miss.split('=')[0]!)}?)`;
  }
  return message;
}

function parseArguments(argv: readonly string[], io: CliIO): RunOptions {
  // the help fits the terminal it is shown on (stdout for --help, stderr for the usage)
  const width = Math.max(40, Math.min(io.stdoutColumns ?? 80, 120));
  const program = buildProgram(version, width).configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => io.stderr.write(s),
    getOutHelpWidth: () => width,
    getErrHelpWidth: () => Math.max(40, Math.min(io.columns ?? 80, 120)),
    // errors are worded by usageError
    outputError: () => undefined,
  });
  // `medline` alone on a terminal would wait for typing: show the usage instead, as jq does;
  // `medline help` is `medline --help` unless a file is named so
  if (argv.length === 0 && io.stdinIsTTY === true) {
    program.outputHelp({ error: true });
    throw new CommanderError(EXIT.USAGE, 'medline.usage', '');
  }
  if (argv.length === 1 && argv[0] === 'help' && !existsSync(resolve(io.cwd, 'help'))) {
    program.outputHelp();
    throw new CommanderError(EXIT.OK, 'commander.helpDisplayed', '');
  }
  // single-dash spellings commander would read as short options with a value (-to → -t o)
  const misspelt = argv.find((a) => /^-[a-z]{2,}$/.test(a.split('=')[0]!) && NEAR_MISSES.has(a.split('=')[0]!));
  if (misspelt !== undefined) throw new UsageError(`unknown option '${misspelt}' (did you mean ${NEAR_MISSES.get(misspelt.split('=')[0]!)}?)`);
  program.parse(argv as string[], { from: 'user' });
  return normaliseOptions(program.args, program.opts(), (name) => program.getOptionValueSource(name) === 'cli');
}

async function run(options: RunOptions, io: CliIO): Promise<number> {
  const reporter = new Reporter(io, options);
  for (const notice of options.notices) reporter.notice(notice);
  // progress over the whole job: every input's size on disk, read twice with --keep complete
  reporter.job(options.files.map((f) => sizeOnDisk(f, io.cwd)), options.dedupe && (options.keep === 'complete' || options.sources) ? 2 : 1);
  let status: number = EXIT.OK;
  // every output is opened before anything is read, and put in place together at the end
  const outputs: Output[] = [];
  try {
    const targets = outputTargets(options, io);
    const selection = await makeSelection(options, io, reporter);
    const formatter = options.check ? null : makeFormatter(options, reporter);
    // --out-dir: each input's output is its own, opened when its turn comes
    const perInput = options.outDir !== null && !options.check;
    const main = options.check || perInput ? null : targets.output === null ? new StreamOutput(io.stdout) : await openOutput(targets.output, io);
    if (main !== null) outputs.push(main);
    const deletedList = targets.deleted === null ? null : await openOutput(targets.deleted, io);
    if (deletedList !== null) outputs.push(deletedList);
    // --duplicates: the audit of what --dedupe left out, one row a record, in input order
    const audit = targets.duplicates === null ? null : await openOutput(targets.duplicates, io);
    const duplicateRows: DuplicateRow[] = [];
    if (audit !== null) {
      outputs.push(audit);
      selection.onDuplicate = (row) => duplicateRows.push(row);
    }
    const report = targets.report === null ? null : await openOutput(targets.report, io);
    if (report !== null) outputs.push(report);
    const writer = main === null ? null : new FormattedWriter(formatter!, main);
    await writer?.begin();
    const failedInput = perInput
      ? await convertEach(options, io, reporter, selection, () => makeFormatter(options, reporter))
      : await convertInputs(engineOptions(options), io, reporter, formatter, writer, selection);
    if (failedInput) status = EXIT.USAGE;
    // a study a reviewer included that no export holds is a finding, not a silence
    const missing = selection.missingFromList();
    if (missing.count > 0) {
      reporter.notice(`--pmids: ${missing.count.toLocaleString('en-US')} listed PMID${missing.count === 1 ? '' : 's'} in no input: ${missing.some.join(', ')}${missing.count > missing.some.length ? ', …' : ''}`);
    }
    const failed = status !== EXIT.OK || reporter.errors > 0;
    // a run that failed without converting one record leaves the previous output as it was;
    // the list of deletions is whole only when every input was read without an error
    if (options.output !== null && failed && reporter.records === 0) {
      for (const output of outputs.splice(0)) await output.abort();
      reporter.error(`no record converted, so ${options.output} was not written${options.deleted === null ? '' : ` (nor ${options.deleted})`}`);
    } else {
      if (deletedList !== null) {
        if (failed) {
          await deletedList.abort();
          outputs.splice(outputs.indexOf(deletedList), 1);
          reporter.error(`an input failed, so the list of deletions may be incomplete: ${options.deleted} was not written`);
        } else await writeLines(deletedList, reporter.deletedPmids ?? []);
      }
      if (audit !== null) await writeLines(audit, duplicatesTsv(duplicateRows));
      if (report !== null) await report.write(`${JSON.stringify(runReport(options, reporter, selection), null, 2)}\n`);
      await writer?.end();
      await commitAll(outputs);
    }
  } catch (error) {
    for (const output of outputs) await output.abort();
    if (error instanceof BrokenPipe) return status;
    if (error instanceof UsageError) return usageError(io, error.message);
    if (error instanceof MedlineError) {
      if (error.code === 'OPTION' || error.code === 'CLASH') return usageError(io, error.message);
      reporter.error(error.message);
      reporter.summary(options.format, false);
      return EXIT.USAGE;
    }
    if (error instanceof CliError) {
      if (error instanceof StrictStop) reporter.stoppedBecause = error.message;
      else reporter.error(error.message);
      reporter.summary(options.format, false);
      return error.exitCode;
    }
    reporter.error(`internal error: ${(error as Error).message}${options.verbose ? '' : ' (run with --verbose for details)'}`);
    if (options.verbose) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
    return EXIT.USAGE;
  }
  reporter.summary(options.format, !options.check);
  if (status !== EXIT.OK) return status;
  if (reporter.errors > 0) return EXIT.DATA;
  if (options.check && reporter.warnings > 0) return EXIT.DATA;
  return EXIT.OK;
}

/**
 * The audit file: a header, then a row for each record left out (`removed`) and each possible
 * duplicate kept for a reviewer to check (`check`); tabs and line breaks in values made spaces.
 */
function duplicatesTsv(rows: readonly DuplicateRow[]): string[] {
  const cell = (v: string | number | null) => (v === null ? '' : String(v).replace(/[\t\r\n]+/g, ' '));
  return [
    'file\tline\tpmid\tdoi\ttitle\tduplicate_of_file\tduplicate_of_line\tduplicate_of_pmid\trule\tdecision',
    ...rows.map((r) => [r.file, r.line, r.pmid, r.doi, r.title, r.keptFile, r.keptLine, r.keptPmid, r.rule, r.removed ? 'removed' : 'check'].map(cell).join('\t')),
  ];
}

/** `--report FILE`: the run's counts for scripts, as the PRISMA line and the summary say them. */
function runReport(options: RunOptions, reporter: Reporter, selection: Selection) {
  const missing = selection.missingFromList(Infinity);
  const read = reporter.records;
  return {
    medline: version,
    inputs: reporter.perFile.map((f) => ({ file: f.file, records: f.records })),
    output: options.output,
    format: options.check ? null : options.format,
    records: {
      read,
      duplicatesRemoved: selection.duplicates,
      notChosenByLists: selection.leftOut,
      written: options.check ? 0 : read - selection.notWritten,
    },
    latest: selection.latest === null ? null : { superseded: selection.latest.superseded, deleted: selection.latest.deleted, deletions: selection.latest.deletions },
    dedupe: options.dedupe
      ? { keep: options.keep, removedByRule: Object.fromEntries(selection.byRule), possibleDuplicates: selection.possible, auditFile: options.duplicates }
      : null,
    pmidsListedNotFound: options.pmids === null ? null : missing.some,
    deletedPmids: reporter.deleted,
    warnings: reporter.warnings,
    errors: reporter.errors,
  };
}

/** Lines to an output, a batch at a time. */
async function writeLines(output: Output, lines: readonly string[]): Promise<void> {
  for (let at = 0; at < lines.length; at += 8192) await output.write(`${lines.slice(at, at + 8192).join('\n')}\n`);
}

/**
 * `-o`, `--deleted` and `--duplicates`, resolved (what each path is, asked of the file) and checked against
 * the files the run reads and each other, before anything is read. `--check` writes nothing.
 */
function outputTargets(options: RunOptions, io: CliIO): { output: OutputTarget | null; deleted: OutputTarget | null; duplicates: OutputTarget | null; report: OutputTarget | null } {
  // --check writes nothing but the report it is asked for
  const report = options.report === null ? null : resolveOutputTarget(options.report, io.cwd);
  if (options.check) {
    if (report !== null) refuseClashes([{ flag: '--report', target: report }], readsOf(options), io);
    return { output: null, deleted: null, duplicates: null, report };
  }
  const output = options.output === null ? null : resolveOutputTarget(options.output, io.cwd);
  const deleted = options.deleted === null ? null : resolveOutputTarget(options.deleted, io.cwd);
  const duplicates = options.duplicates === null ? null : resolveOutputTarget(options.duplicates, io.cwd);
  const named = [
    ...(output === null ? [] : [{ flag: '-o', target: output }]),
    ...(deleted === null ? [] : [{ flag: '--deleted', target: deleted }]),
    ...(duplicates === null ? [] : [{ flag: '--duplicates', target: duplicates }]),
    ...(report === null ? [] : [{ flag: '--report', target: report }]),
  ];
  refuseClashes(named, readsOf(options), io);
  return { output, deleted, duplicates, report };
}

/** Every file the run reads: its inputs and its PMID lists. */
function readsOf(options: RunOptions): Array<{ role: string; name: string }> {
  return [
    ...options.files.map((name) => ({ role: 'input', name })),
    ...(options.pmids === null ? [] : [{ role: '--pmids list', name: options.pmids }]),
    ...(options.excludePmids === null ? [] : [{ role: '--exclude-pmids list', name: options.excludePmids }]),
  ];
}

function makeFormatter(options: RunOptions, reporter: Reporter): Formatter {
  try {
    return createFormatter(options.format, { ...formatOptions(options), warn: (m, pmid) => reporter.outputWarning(m, pmid) });
  } catch (error) {
    if (error instanceof UnknownFieldError) throw new UsageError(error.message);
    throw error;
  }
}

/** The records to write: --dedupe, --pmids, --exclude-pmids; their lists' bad lines reported. */
async function makeSelection(options: RunOptions, io: CliIO, reporter: Reporter): Promise<Selection> {
  const list = (path: string | null) =>
    path === null
      ? null
      : readPmidList(path, io, (line, text) =>
          reporter.report(path, { code: 'NOT_A_PMID', severity: 'warning', message: `not a PMID, skipped: "${text.slice(0, 60)}"`, line, column: 1, pmid: null }),
        );
  const latest = options.latest ? new LatestVersions() : null;
  const selection = new Selection(options.dedupe, await list(options.pmids), await list(options.excludePmids), options.keep, options.sources, latest);
  reporter.selection = selection;
  return selection;
}

