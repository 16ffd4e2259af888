/**
 * Every input in order, through the parser and the formatter's `prepare`, into the writer
 * (null for a check): in this thread, or cut into units for worker threads (`jobs` > 1),
 * with the same output and the same events either way.
 */
import type { Formatter } from '../formats/formatter.js';
import { selectBatch, type Selection } from '../selection.js';
import type { Diagnostic } from '../types.js';
import { convertInput } from './convert.js';
import { InputError } from './errors.js';
import { openInput, withKind } from './input.js';
import type { EngineEvents, EngineOptions, InputPlace } from './options.js';
import { convertInParallel } from './parallel.js';
import type { FormattedWriter } from './writer.js';

/** Converts the inputs; true when one of them could not be used (the others were converted). */
export async function convertInputs(
  options: EngineOptions,
  place: InputPlace,
  events: EngineEvents,
  formatter: Formatter | null,
  writer: FormattedWriter | null,
  selection: Selection,
): Promise<boolean> {
  if (options.jobs > 1) return convertInParallel(options, place, events, formatter, writer, selection);
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
  const input = await withKind(await openInput(file, io), options.from);
  reporter.startFile();
  // with a selection, a batch's diagnostics wait for its duplicates, to go out in line order
  const fileIndex = selection.active ? selection.addFile(input.name) : 0;
  let batch: Diagnostic[] = [];
  const records = await convertInput(input, formatter && ((c) => formatter.prepare(c)), { encoding: options.encoding, raw: options.raw, keys: selection.active }, {
    pieces: async (pieces, bytes, records, keys) => {
      if (selection.active) {
        const chosen = selectBatch(selection, fileIndex, 0, pieces, keys, batch);
        batch = [];
        for (const d of chosen.diagnostics) reporter.report(input.name, d);
        pieces = chosen.pieces;
      }
      if (writer !== null) await writer.pieces(pieces);
      reporter.progress(input.name, bytes, input.size, records);
    },
    diagnostic: (d) => (selection.active ? batch.push(d) : reporter.report(input.name, d)),
  });
  reporter.converted(records);
  reporter.endFile(input.name);
}
