/**
 * The engine for library users: `convert(inputs, options)` does what the command does,
 * without a command line. With `output` it writes that path atomically and resolves with a
 * summary; without it, it returns a Node stream of the output text. Diagnostics go to
 * `onDiagnostic`; nothing is printed.
 */
import { PassThrough, type Readable } from 'node:stream';
import { createFormatter } from '../formats/index.js';
import type { Formatter } from '../formats/formatter.js';
import { Selection } from '../selection.js';
import { LatestVersions } from '../dedupe/latest.js';
import { MedlineError } from './errors.js';
import { normaliseConvertOptions, type ConvertOptions } from './normalise.js';
import type { Diagnostic } from '../types.js';
import type { EngineEvents } from './options.js';
import { openOutput, refuseClashes, resolveOutputTarget, StreamOutput, type Output } from './output.js';
import { convertInputs } from './run.js';
import { FormattedWriter } from './writer.js';

export type { ConvertOptions };

export interface ConvertSummary {
  readonly records: number;
  /** Inputs read to their end. */
  readonly files: number;
  /** One message for each input that could not be used (missing, binary, another format). */
  readonly failedInputs: readonly string[];
  readonly warnings: number;
  readonly errors: number;
}

/** Counts what the engine tells and passes diagnostics on. */
class Collector implements EngineEvents {
  records = 0;
  files = 0;
  warnings = 0;
  errors = 0;
  readonly failedInputs: string[] = [];
  constructor(private readonly onDiagnostic: ConvertOptions['onDiagnostic']) {}
  startFile(): void {}
  endFile(): void {
    this.files++;
  }
  report(file: string, d: Diagnostic): void {
    if (d.severity === 'error') this.errors++;
    else if (d.severity === 'warning') this.warnings++;
    this.onDiagnostic?.(file, d);
  }
  error(message: string): void {
    this.failedInputs.push(message);
  }
  progress(): void {}
  outputWarning(message: string, pmid: string | null): void {
    this.report('<output>', { code: 'UNCONVERTIBLE_CHARACTER', severity: 'warning', message, line: 0, column: 0, pmid });
  }
  converted(count: number): void {
    this.records += count;
  }
  summary(): ConvertSummary {
    const { records, files, failedInputs, warnings, errors } = this;
    return { records, files, failedInputs, warnings, errors };
  }
}

/** Writes `output` atomically (the previous file stays if the run fails) and resolves with a summary. */
export function convert(inputs: readonly string[], options: ConvertOptions & { readonly output: string }): Promise<ConvertSummary>;
/** Returns the output as a stream of text; it ends with an error if the run fails. */
export function convert(inputs: readonly string[], options?: ConvertOptions & { readonly output?: undefined }): Readable;
/**
 * A bad option, or an output that is one of the inputs, is a MedlineError (code `OPTION`,
 * `CLASH`): thrown by the stream's `error` event or the promise's rejection, never a crash.
 */
export function convert(inputs: readonly string[], options: ConvertOptions = {}): Promise<ConvertSummary> | Readable {
  if (options.output !== undefined) return convertToFile(inputs, options as ConvertOptions & { output: string });
  const stream = new PassThrough();
  Promise.resolve()
    .then(() => run(inputs, options, () => Promise.resolve(new StreamOutput(stream))))
    .then(
      () => stream.end(),
      (error: Error) => stream.destroy(error),
    );
  return stream;
}

async function convertToFile(inputs: readonly string[], options: ConvertOptions & { output: string }): Promise<ConvertSummary> {
  if (typeof options.output !== 'string' || options.output === '') throw new MedlineError('OPTION', null, 'output: expected a path');
  const place = { cwd: options.cwd ?? process.cwd(), stdin: options.stdin ?? process.stdin };
  return run(inputs, options, async (files) => {
    // the same checks as the command's -o: what the path is, asked of the file; never an input or a list
    const target = resolveOutputTarget(options.output, place.cwd);
    refuseClashes([{ flag: 'output', target }], files.map((name) => ({ role: 'input', name })), place);
    return openOutput(target, { stdout: process.stdout, stderr: process.stderr });
  });
}

async function run(inputs: readonly string[], options: ConvertOptions, openTheOutput: (files: readonly string[]) => Promise<Output>): Promise<ConvertSummary> {
  const { engine, dedupe, keep, latest, pmids, excludePmids } = normaliseConvertOptions(inputs, options);
  if (options.onDiagnostic !== undefined && typeof options.onDiagnostic !== 'function') throw new MedlineError('OPTION', null, 'onDiagnostic: expected a function');
  const events = new Collector(options.onDiagnostic);
  const selection = new Selection(dedupe, pmids, excludePmids, keep, engine.sources === true, latest ? new LatestVersions() : null);
  const formatter: Formatter = createFormatter(engine.format, { ...engine.formatOptions, warn: (m, pmid) => events.outputWarning(m, pmid) });
  const output = await openTheOutput(engine.files);
  const writer = new FormattedWriter(formatter, output);
  try {
    await writer.begin();
    await convertInputs(engine, { cwd: options.cwd ?? process.cwd(), stdin: options.stdin ?? process.stdin }, events, formatter, writer, selection);
    if (events.records === 0 && events.failedInputs.length > 0) throw new MedlineError('NO_RECORD', null, `no record converted: ${events.failedInputs.join('; ')}`);
    await writer.end();
    await output.commit();
  } catch (error) {
    await output.abort();
    throw error;
  }
  return events.summary();
}
