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

/** Bytes gathered before they go out; a batch is sent when the next text may not fit. */
const BATCH_BYTES = 256 * 1024;

/**
 * Text is encoded straight into batches of bytes (no joining of strings first) and sent a
 * batch at a time.
 */
abstract class BatchedOutput implements Output {
  private batch = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;

  /** Sends bytes to the destination; the buffer is not touched again afterwards. */
  protected abstract send(data: Uint8Array): Promise<void>;
  abstract commit(): Promise<void>;
  abstract abort(): Promise<void>;

  write(text: string): Promise<void> | undefined {
    if (text.length === 0) return undefined;
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.used + text.length * 3 > this.batch.length) {
      if (text.length * 3 > BATCH_BYTES) return this.flush().then(() => this.send(Buffer.from(text, 'utf8')));
      return this.flush().then(() => this.write(text));
    }
    this.used += this.batch.write(text, this.used, 'utf8');
    return undefined;
  }

  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush();
    await this.send(bytes);
  }

  protected async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.batch.subarray(0, this.used);
    this.batch = Buffer.allocUnsafe(BATCH_BYTES);
    this.used = 0;
    await this.send(full);
  }

  protected discard(): void {
    this.used = 0;
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

  protected async send(data: Uint8Array): Promise<void> {
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

  protected async send(data: Uint8Array): Promise<void> {
    try {
      await this.handle!.write(data);
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
