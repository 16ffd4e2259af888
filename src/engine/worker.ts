/** A worker thread of `--jobs`: converts the units it is sent and posts back their pieces. */
import { parentPort, workerData } from 'node:worker_threads';
import { createFormatter, type FormatName, type FormatOptions } from '../formats/index.js';
import type { Citation } from '../types.js';
import { convertUnit, type Unit } from './unit.js';
import { loadSource } from './convert.js';
import { SpareBuffers } from './spare-buffers.js';
import type { KeyKind } from '../node/pieces.js';

export interface WorkerSetup {
  readonly format: FormatName;
  readonly formatOptions: FormatOptions;
  readonly check: boolean;
  /** Records' keys are wanted (--dedupe, --pmids): pieces come back one by one, not joined. */
  readonly keys: KeyKind;
}

/** A unit to convert, or an output buffer the main thread has written and hands back. */
export type ToWorker = { id: number; unit: Unit } | { spare: ArrayBuffer };

const setup = workerData as WorkerSetup;
const port = parentPort!;
// warnings of the output format (--ascii) travel with the unit's diagnostics
let warnings: Array<{ message: string; pmid: string | null }> = [];
const formatter = setup.check ? null : createFormatter(setup.format, { ...setup.formatOptions, warn: (message, pmid) => warnings.push({ message, pmid }) });
const prepare = formatter && ((c: Citation) => formatter.prepare(c));
// a plain format's pieces are joined here; with keys, the main thread writes the chosen ones
const join = formatter?.plain ? { separator: formatter.separator } : null;

const spares = new SpareBuffers(4);

port.on('message', async (message: ToWorker) => {
  if ('spare' in message) return spares.give(message.spare);
  const { id, unit } = message;
  warnings = [];
  try {
    await loadSource(unit.kind);
    const result = convertUnit(unit, prepare, join, setup.keys, spares);
    // the unit's bytes go back too, for the main thread to read the next unit into
    const input = unit.bytes.buffer as ArrayBuffer;
    const moved = result.encoded ? [result.encoded.bytes.buffer as ArrayBuffer, input] : [input];
    port.postMessage({ id, result, warnings, input }, moved);
  } catch (error) {
    port.postMessage({ id, failure: (error as Error).stack ?? String(error) });
  }
});
