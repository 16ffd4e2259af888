/**
 * `--jobs N`: files are converted on N worker threads at once; the main thread finishes
 * their pieces (separators, unique keys) and writes them, and their diagnostics, in input
 * order, exactly as a single-threaded run would.
 */
import { Worker } from 'node:worker_threads';
import type { Formatter } from '../formats/formatter.js';
import type { Diagnostic } from '../types.js';
import { EXIT } from './errors.js';
import { convertOptions, type RunOptions } from './options.js';
import type { Output } from './output.js';
import type { Reporter } from './reporter.js';

export interface WorkerSetup {
  readonly cwd: string;
  readonly format: string;
  readonly formatOptions: Record<string, unknown>;
  readonly encoding: RunOptions['encoding'];
  readonly raw: boolean;
  readonly check: boolean;
}

export type ToWorker = { type: 'job'; index: number; file: string } | { type: 'written' };

type FromWorker =
  | { type: 'pieces'; index: number; pieces: unknown[]; bytes: number }
  | { type: 'diagnostic'; index: number; diagnostic: Diagnostic }
  | { type: 'warn'; index: number; message: string; pmid: string | null }
  | { type: 'done'; index: number; records: number; name: string }
  | { type: 'failed'; index: number; message: string; internal?: boolean };

/** Messages of one file, waited for in order. */
class Inbox {
  private queue: FromWorker[] = [];
  private waiting: ((m: FromWorker) => void) | null = null;
  worker: Worker | null = null;

  push(message: FromWorker): void {
    if (this.waiting !== null) {
      const waiting = this.waiting;
      this.waiting = null;
      waiting(message);
    } else {
      this.queue.push(message);
    }
  }

  next(): Promise<FromWorker> {
    const message = this.queue.shift();
    if (message !== undefined) return Promise.resolve(message);
    return new Promise((ok) => (this.waiting = ok));
  }
}

/** Converts `files` on worker threads; returns the exit status for the files (OK or USAGE). */
export async function convertInParallel(
  options: RunOptions,
  cwd: string,
  reporter: Reporter,
  formatter: Formatter | null,
  output: Output | null,
  formatOptions: Record<string, unknown>,
): Promise<number> {
  const files = options.files;
  const setup: WorkerSetup = {
    cwd,
    format: options.format,
    formatOptions,
    encoding: options.encoding,
    raw: convertOptions(options).raw,
    check: options.check,
  };
  const inboxes = files.map(() => new Inbox());
  const workers: Worker[] = [];
  let next = 0;
  let crash: Error | null = null;
  const assign = (worker: Worker) => {
    if (next >= files.length) return;
    const index = next++;
    inboxes[index]!.worker = worker;
    worker.postMessage({ type: 'job', index, file: files[index]! } satisfies ToWorker);
  };
  for (let i = 0; i < Math.min(options.jobs, files.length); i++) {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: setup });
    worker.on('message', (m: FromWorker) => {
      inboxes[m.index]!.push(m);
      if (m.type === 'done' || m.type === 'failed') assign(worker);
    });
    worker.on('error', (error) => {
      crash = error;
      for (const inbox of inboxes) inbox.push({ type: 'failed', index: -1, message: `internal error: ${error.message}`, internal: true });
    });
    workers.push(worker);
    assign(worker);
  }

  let status: number = EXIT.OK;
  let bytesBefore = 0;
  try {
    for (let index = 0; index < files.length; index++) {
      const inbox = inboxes[index]!;
      reporter.startFile();
      let name = files[index]!;
      let fileBytes = 0;
      for (;;) {
        const m = await inbox.next();
        if (crash !== null) throw crash;
        if (m.type === 'pieces') {
          if (output !== null && m.pieces.length > 0) await output.write(m.pieces.map((p) => formatter!.finish(p)).join(''));
          inbox.worker!.postMessage({ type: 'written' } satisfies ToWorker);
          fileBytes = m.bytes;
          reporter.progress(name, bytesBefore + fileBytes, null);
        } else if (m.type === 'diagnostic') {
          reporter.report(name, m.diagnostic);
        } else if (m.type === 'warn') {
          reporter.outputWarning(m.message, m.pmid);
        } else if (m.type === 'done') {
          name = m.name;
          reporter.records += m.records;
          bytesBefore += fileBytes;
          reporter.endFile(name);
          break;
        } else {
          if (m.internal) throw new Error(m.message);
          reporter.error(m.message);
          status = EXIT.USAGE;
          break;
        }
      }
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return status;
}
