/** A worker thread of `--jobs`: converts the units it is sent and posts back their pieces. */
import { parentPort, workerData } from 'node:worker_threads';
import { createFormatter, type FormatName, type FormatOptions } from '../formats/index.js';
import type { Citation } from '../types.js';
import { convertUnit, type Unit } from './unit.js';
import { loadSource } from './convert.js';

export interface WorkerSetup {
  readonly format: FormatName;
  readonly formatOptions: FormatOptions;
  readonly check: boolean;
  /** Records' keys are wanted (--dedupe, --pmids): pieces come back one by one, not joined. */
  readonly keys: boolean;
}

export type ToWorker = { id: number; unit: Unit };

const setup = workerData as WorkerSetup;
const port = parentPort!;
// warnings of the output format (--ascii) travel with the unit's diagnostics
let warnings: Array<{ message: string; pmid: string | null }> = [];
const formatter = setup.check ? null : createFormatter(setup.format, { ...setup.formatOptions, warn: (message, pmid) => warnings.push({ message, pmid }) });
const prepare = formatter && ((c: Citation) => formatter.prepare(c));
const join = formatter?.plain && !setup.keys ? { separator: formatter.separator } : null;

port.on('message', async ({ id, unit }: ToWorker) => {
  warnings = [];
  try {
    await loadSource(unit.kind);
    const result = convertUnit(unit, prepare, join, setup.keys);
    port.postMessage({ id, result, warnings }, result.encoded ? [result.encoded.bytes.buffer as ArrayBuffer] : []);
  } catch (error) {
    port.postMessage({ id, failure: (error as Error).stack ?? String(error) });
  }
});
