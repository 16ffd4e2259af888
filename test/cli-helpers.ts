/** Runs `main(argv, io)` in-process with captured stdout and stderr. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import { main } from '../src/cli/main.js';
import type { CliIO } from '../src/cli/io.js';
import { ROOT } from './helpers.js';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  stdin?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
  tty?: boolean;
  /** stdin is a terminal (`medline` alone then shows its usage). */
  stdinTty?: boolean;
  columns?: number;
  /** Width of a terminal on stdout (--help). */
  stdoutColumns?: number;
}

class Capture extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _e: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    done();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export async function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = options.stdin === undefined ? Readable.from([]) : Readable.from([Buffer.from(options.stdin)]);
  const io: CliIO = {
    stdin: stdin as unknown as PassThrough,
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
    stderrIsTTY: options.tty ?? false,
    stdinIsTTY: options.stdinTty ?? false,
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
    ...(options.stdoutColumns !== undefined ? { stdoutColumns: options.stdoutColumns } : {}),
    colorDepth: 8,
  };
  const status = await main(argv, io);
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'medline-test-'));
}
