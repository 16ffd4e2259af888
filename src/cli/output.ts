/**
 * Where the converted text goes. Writes are batched and wait for the stream to drain, so
 * memory stays flat. A file is written under a temporary name beside it and renamed over
 * the target only when the run succeeds: a failed or interrupted run leaves the previous
 * file, if any, untouched.
 */
import { closeSync, unlinkSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { onInterrupt } from './cleanup.js';
import { describeFsError, FileError } from './errors.js';

export interface Output {
  /** Queues text; returns a promise when the caller should wait before producing more. */
  write(text: string): Promise<void> | undefined;
  /** Writes bytes already encoded (UTF-8), after the text queued before them. */
  writeBytes(bytes: Uint8Array): Promise<void>;
  /** Flushes and, for a file, puts it in place. */
  commit(): Promise<void>;
  /** Gives up: for a file, removes the temporary file. */
  abort(): Promise<void>;
}

/** The reader of stdout went away (`medline … | head -1`): a normal end, not an error. */
export class BrokenPipe extends Error {
  constructor() {
    super('broken pipe');
  }
}

const BATCH_CHARS = 64 * 1024;

/** Text is gathered into batches of about 64 k characters before it goes out. */
abstract class BatchedOutput implements Output {
  private parts: string[] = [];
  private size = 0;

  /** Sends one batch, or bytes, to the destination. */
  protected abstract send(data: string | Uint8Array): Promise<void>;
  abstract commit(): Promise<void>;
  abstract abort(): Promise<void>;

  write(text: string): Promise<void> | undefined {
    if (text.length === 0) return undefined;
    this.parts.push(text);
    this.size += text.length;
    return this.size >= BATCH_CHARS ? this.flush() : undefined;
  }

  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    await this.send(bytes);
  }

  protected async flush(): Promise<void> {
    if (this.size === 0) return;
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.send(text);
  }

  protected discard(): void {
    this.parts = [];
    this.size = 0;
  }
}

export class StreamOutput extends BatchedOutput {
  private broken = false;
  private failure: Error | null = null;

  constructor(private readonly stream: Writable) {
    super();
    stream.on('error', this.onError);
  }

  private readonly onError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.broken = true;
    else this.failure = error;
  };

  protected async send(data: string | Uint8Array): Promise<void> {
    this.check();
    if (!this.stream.write(data)) {
      await new Promise<void>((ok) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          this.stream.off('close', done);
          ok();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
        this.stream.on('close', done);
      });
    }
    this.check();
  }

  private check(): void {
    if (this.broken) throw new BrokenPipe();
    if (this.failure !== null) throw new FileError('<stdout>', describeFsError(this.failure));
  }

  async commit(): Promise<void> {
    await this.flush();
    this.stream.off('error', this.onError);
    // keep swallowing a late EPIPE: the data is out, the reader just left
    this.stream.on('error', () => undefined);
  }

  async abort(): Promise<void> {
    this.discard();
  }
}

export class AtomicFileOutput extends BatchedOutput {
  private handle: FileHandle | null = null;
  private readonly temp: string;
  private removeOnInterrupt: (() => void) | null = null;

  private constructor(
    private readonly name: string,
    private readonly target: string,
  ) {
    super();
    this.temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  }

  static async create(name: string, cwd: string): Promise<AtomicFileOutput> {
    const output = new AtomicFileOutput(name, resolve(cwd, name));
    await output.open();
    return output;
  }

  private async open(): Promise<void> {
    try {
      this.handle = await open(this.temp, 'wx');
    } catch (error) {
      throw new FileError(this.name, `cannot write here: ${describeFsError(error)}`);
    }
    const fd = this.handle.fd;
    this.removeOnInterrupt = onInterrupt(() => {
      try {
        closeSync(fd);
      } finally {
        unlinkSync(this.temp);
      }
    });
  }

  protected async send(data: string | Uint8Array): Promise<void> {
    try {
      if (typeof data === 'string') await this.handle!.write(data);
      else await this.handle!.write(data);
    } catch (error) {
      throw new FileError(this.name, describeFsError(error));
    }
  }

  async commit(): Promise<void> {
    await this.flush();
    try {
      await this.handle!.sync();
      await this.handle!.close();
      this.handle = null;
      await rename(this.temp, this.target);
    } catch (error) {
      await this.abort();
      throw new FileError(this.name, describeFsError(error));
    }
    this.removeOnInterrupt?.();
  }

  async abort(): Promise<void> {
    this.removeOnInterrupt?.();
    this.discard();
    if (this.handle !== null) {
      await this.handle.close().catch(() => undefined);
      this.handle = null;
    }
    await unlink(this.temp).catch(() => undefined);
  }
}
