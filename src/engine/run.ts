/**
 * Every input in order, through the parser and the formatter's `prepare`, into the writer
 * (null for a check): in this thread, or cut into units for worker threads (`jobs` > 1),
 * with the same output and the same events either way.
 */
import { availableParallelism } from 'node:os';
import type { Formatter } from '../formats/formatter.js';
import { selectBatch, type Selection } from '../selection.js';
import type { Citation, Diagnostic } from '../types.js';
import { convertInput } from './convert.js';
import { reportCarried } from './done-mark.js';
import { InputError } from './errors.js';
import { openInput, sizeOnDisk, withKind } from './input.js';
import type { EngineEvents, EngineOptions, InputPlace } from './options.js';
import { convertInParallel, type KeptWorkers } from './parallel.js';
import type { FormattedWriter } from './writer.js';

/**
 * Under `jobs: 'auto'`, inputs holding less than this are converted in this thread: each
 * worker loads the code and warms it up on its own, which costs more than it gains below
 * about 30 MB on 2 cores (measured: 11% faster at 50 MB, 1.5× at 100 MB, 2× at 400 MB).
 */
export const AUTO_PARALLEL_BYTES = 48 * 1024 * 1024;

/** The most worker threads `auto` starts: past four, memory grows faster than speed. */
export const AUTO_MAX_JOBS = 4;

/** How much text a gzip file holds for each byte of it, about (MEDLINE text: 3.7, PubMed XML: 7). */
const GZIP_RATIO = 4;

/**
 * The worker threads for a run: `jobs` as given, or for `auto` the cores when the inputs'
 * size on disk (a `.gz` counted at four times its size; stdin, of unknown size, not at all)
 * reaches AUTO_PARALLEL_BYTES.
 */
export function jobsFor(options: Pick<EngineOptions, 'jobs' | 'files'>, place: Pick<InputPlace, 'cwd'>, cores = availableParallelism()): number {
  if (options.jobs !== 'auto') return options.jobs;
  if (cores < 2) return 1;
  let bytes = 0;
  for (const file of options.files) bytes += (sizeOnDisk(file, place.cwd) ?? 0) * (file.toLowerCase().endsWith('.gz') ? GZIP_RATIO : 1);
  return bytes >= AUTO_PARALLEL_BYTES ? Math.min(cores, AUTO_MAX_JOBS) : 1;
}

/**
 * Converts the inputs; true when one of them could not be used (the others were converted).
 * When the selection asks for two readings (`--keep complete`, `--sources` with `--dedupe`),
 * a first reading finds each work's copies: every input read for its records' keys alone,
 * nothing written and nothing told but progress.
 */
export async function convertInputs(
  options: EngineOptions,
  place: InputPlace,
  events: EngineEvents,
  formatter: Formatter | null,
  writer: FormattedWriter | null,
  selection: Selection,
  /** Worker threads to use and keep for a later call (--out-dir: a call per input). */
  kept: KeptWorkers | null = null,
): Promise<boolean> {
  if (selection.twoReadings) {
    const quiet: EngineEvents = {
      startFile: () => undefined,
      endFile: () => undefined,
      report: () => undefined,
      error: () => undefined,
      progress: (file, bytes, size, records) => events.progress(`${file} (first reading)`, bytes, size, records),
      outputWarning: () => undefined,
      converted: () => undefined,
    };
    selection.startFirstReading();
    await convertAll({ ...options, check: true, raw: false, sources: false }, place, quiet, null, null, selection, kept);
    selection.startSecondReading();
  }
  return convertAll(options, place, events, formatter, writer, selection, kept);
}

async function convertAll(
  options: EngineOptions,
  place: InputPlace,
  events: EngineEvents,
  formatter: Formatter | null,
  writer: FormattedWriter | null,
  selection: Selection,
  kept: KeptWorkers | null,
): Promise<boolean> {
  const jobs = jobsFor(options, place);
  if (jobs > 1) return convertInParallel({ ...options, jobs }, place, events, formatter, writer, selection, kept);
  let failed = false;
  for (const file of options.files) {
    try {
      await convertFile(file, options, place, events, formatter, writer, selection);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      events.error(error.message);
      failed = true;
    }
  }
  return failed;
}

/** Converts one file in this thread, writing its pieces as they come. */
async function convertFile(
  file: string,
  options: EngineOptions,
  io: InputPlace,
  reporter: EngineEvents,
  formatter: Formatter | null,
  writer: FormattedWriter | null,
  selection: Selection,
): Promise<void> {
  const input = await withKind(await openInput(file, io), options.from, options.encoding);
  reporter.startFile();
  // with a selection, a batch's diagnostics wait for its duplicates, to go out in line order
  const fileIndex = selection.active ? selection.addFile(input.name) : 0;
  let batch: Diagnostic[] = [];
  // --sources: each citation is given its inputs before it is formatted (this thread only)
  const prepare =
    formatter === null ? null
    : options.sources === true ? (c: Citation, line: number) => formatter.prepare({ ...c, sources: selection.active ? selection.sourcesOf(fileIndex, line) : [input.name] })
    : (c: Citation) => formatter.prepare(c);
  const records = await convertInput(input, prepare, { encoding: options.encoding, raw: options.raw, keys: selection.keyKind }, {
    pieces: async (pieces, _bytes, records, keys) => {
      if (selection.active) {
        const chosen = selectBatch(selection, fileIndex, 0, pieces, keys, batch);
        batch = [];
        for (const d of chosen.diagnostics) reporter.report(input.name, d);
        pieces = chosen.pieces;
      }
      if (writer !== null) await writer.pieces(pieces);
      reporter.progress(input.name, input.read.bytes, input.size, records);
    },
    diagnostic: (d) => (selection.active ? batch.push(d) : reporter.report(input.name, d)),
  });
  // an output read back: its input's deletions (done mark), after its records
  reportCarried(input.carried, input.name, fileIndex, selection, reporter);
  reporter.converted(records);
  reporter.endFile(input.name);
}
