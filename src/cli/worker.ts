/**
 * A worker thread of `--jobs`: converts whole files to prepared pieces and posts them to
 * the main thread, which finishes and writes them in input order. A worker stops reading
 * while too many of its batches wait to be written, so memory stays flat.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createFormatter, type FormatName, type FormatOptions } from '../formats/index.js';
import type { InputEncoding } from '../node/decoder.js';
import { convertInput } from './convert.js';
import { CliError, describeFsError } from './errors.js';
import { openInput } from './input.js';
import type { CliIO } from './io.js';
import type { ToWorker, WorkerSetup } from './parallel.js';

/** Batches posted and not yet written by the main thread, before this worker waits. */
const MAX_UNWRITTEN = 8;

const setup = workerData as WorkerSetup;
const port = parentPort!;
let unwritten = 0;
let wake: (() => void) | null = null;
let current = -1;

const formatter = setup.check
  ? null
  : createFormatter(setup.format as FormatName, {
      ...(setup.formatOptions as FormatOptions),
      warn: (message, pmid) => port.postMessage({ type: 'warn', index: current, message, pmid }),
    });

// nothing here reads stdin: workers get files only
const io = { cwd: setup.cwd } as unknown as CliIO;

port.on('message', (message: ToWorker) => {
  if (message.type === 'written') {
    unwritten--;
    wake?.();
    return;
  }
  void convert(message.index, message.file);
});

async function convert(index: number, file: string): Promise<void> {
  current = index;
  try {
    const input = await openInput(file, io);
    const records = await convertInput(
      input,
      formatter && ((c) => formatter.prepare(c)),
      { encoding: setup.encoding, raw: setup.raw },
      {
        pieces: async (pieces, bytes) => {
          port.postMessage({ type: 'pieces', index, pieces, bytes });
          unwritten++;
          while (unwritten > MAX_UNWRITTEN) await new Promise<void>((ok) => (wake = ok));
        },
        diagnostic: (diagnostic) => port.postMessage({ type: 'diagnostic', index, diagnostic }),
      },
    );
    port.postMessage({ type: 'done', index, records, name: input.name });
  } catch (error) {
    if (error instanceof CliError) port.postMessage({ type: 'failed', index, message: error.message });
    else port.postMessage({ type: 'failed', index, message: `internal error: ${describeFsError(error)}`, internal: true });
  }
}

export type { InputEncoding };
