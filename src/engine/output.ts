/**
 * Where the converted text goes. Writes are batched and wait for the stream to drain, so
 * memory stays flat. A regular file is written under a temporary name beside it and renamed
 * over the target only when the run succeeds: a failed or interrupted run leaves the
 * previous file, if any, untouched. Anything else (a device, a FIFO, /dev/stdout) is opened
 * and written through, and a symbolic link is followed: its target is what gets replaced.
 */
import { closeSync, constants, lstatSync, readlinkSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { chmod, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { onInterrupt } from './cleanup.js';
import { describeFsError, OutputError } from './errors.js';

export interface Output {
  /** Queues text; returns a promise when the caller should wait before producing more. */
  write(text: string): Promise<void> | undefined;
  /**
   * Writes bytes already encoded (UTF-8), after the text queued before them. `release` is
   * called when the bytes have been written and may be reused; never, when that cannot be known.
   */
  writeBytes(bytes: Uint8Array, release?: () => void): Promise<void>;
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
  /** Compress each batch as a gzip member (`-o refs.bib.gz`): members in a row are one gzip file. */
  protected gzip = false;
  private sentAny = false;

  /** Sends bytes to the destination; `release`, if given, once they are written. */
  protected abstract send(data: Uint8Array, release?: () => void): Promise<void>;
  abstract commit(): Promise<void>;
  abstract abort(): Promise<void>;

  write(text: string): Promise<void> | undefined {
    if (text.length === 0) return undefined;
    // a UTF-16 code unit takes at most 3 bytes in UTF-8
    if (this.used + text.length * 3 > this.batch.length) {
      if (text.length * 3 > BATCH_BYTES) return this.flush().then(() => this.writeBytes(Buffer.from(text, 'utf8')));
      return this.flush().then(() => this.write(text));
    }
    this.used += this.batch.write(text, this.used, 'utf8');
    return undefined;
  }

  async writeBytes(bytes: Uint8Array, release?: () => void): Promise<void> {
    await this.flush();
    this.sentAny = true;
    if (this.gzip) {
      const compressed = gzipSync(bytes);
      release?.();
      await this.send(compressed);
    } else {
      await this.send(bytes, release);
    }
  }

  protected async flush(): Promise<void> {
    if (this.used === 0) return;
    const full = this.batch.subarray(0, this.used);
    this.batch = Buffer.allocUnsafe(BATCH_BYTES);
    this.used = 0;
    this.sentAny = true;
    await this.send(this.gzip ? gzipSync(full) : full);
  }

  /** Flushes; a gzip output that got no text still gets one (empty) member, to be a gzip file. */
  protected async flushAll(): Promise<void> {
    await this.flush();
    if (this.gzip && !this.sentAny) await this.writeBytes(new Uint8Array(0));
    await this.settle();
  }

  /** Waits until everything sent is written; a failure to write is thrown here at the latest. */
  protected async settle(): Promise<void> {}

  protected discard(): void {
    this.used = 0;
  }
}

export class StreamOutput extends BatchedOutput {
  private broken = false;
  private failure: Error | null = null;
  /**
   * Whether a write's callback means the bytes are written: true of the process's own
   * stdout and stderr, which end at the system; a stream handed in (a PassThrough) may still
   * hold a chunk after its callback, so its chunks are never reused.
   */
  private readonly endsAtSystem: boolean;

  constructor(private readonly stream: Writable) {
    super();
    this.endsAtSystem = stream === process.stdout || stream === process.stderr;
    stream.on('error', this.onError);
  }

  private readonly onError = (error: NodeJS.ErrnoException): void => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.broken = true;
    else this.failure = error;
  };

  protected async send(data: Uint8Array, release?: () => void): Promise<void> {
    this.check();
    const written = release !== undefined && this.endsAtSystem ? (error?: Error | null) => error || release() : undefined;
    if (!this.stream.write(data, written)) {
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
    if (this.failure !== null) throw new OutputError('<stdout>', describeFsError(this.failure));
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

/** Where `-o NAME` leads once symbolic links are followed, and what is there. */
export interface OutputTarget {
  /** The name as the user gave it, for messages. */
  readonly name: string;
  /** The path written: the last target of any chain of symbolic links. */
  readonly path: string;
  /** What is there now: null when nothing is. */
  readonly stats: Stats | null;
  /** False for devices, FIFOs and the like, which are written through, never replaced. */
  readonly replaceable: boolean;
  /** `-o /dev/stdout` (or /dev/fd/1, …) names the process's own stream, which may be a socket no path opens. */
  readonly stream: 'stdout' | 'stderr' | null;
}

const STANDARD_STREAMS: ReadonlyMap<string, 'stdout' | 'stderr'> = new Map([
  ['/dev/stdout', 'stdout'],
  ['/dev/fd/1', 'stdout'],
  ['/proc/self/fd/1', 'stdout'],
  ['/dev/stderr', 'stderr'],
  ['/dev/fd/2', 'stderr'],
  ['/proc/self/fd/2', 'stderr'],
]);

export function resolveOutputTarget(name: string, cwd: string): OutputTarget {
  const given = resolve(cwd, name);
  const stream = STANDARD_STREAMS.get(given) ?? null;
  if (stream !== null) return { name, path: given, stats: null, replaceable: false, stream };
  // /dev/stdout and /proc/self/fd/N lead to whatever the shell opened (a pipe has no path):
  // open them as they are and write through, as the shell would
  const special = given.startsWith('/dev/') || given.startsWith('/proc/');
  const path = special ? given : followLinks(given, name);
  let stats: Stats | null = null;
  try {
    stats = statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputError(name, describeFsError(error));
  }
  if (stats?.isDirectory()) throw new OutputError(name, 'is a directory, not a file');
  return { name, path, stats, replaceable: !special && (stats === null || stats.isFile()), stream: null };
}

/** Follows symbolic links by hand, so that a link to a file not yet made leads to that file. */
function followLinks(path: string, name: string): string {
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(path).isSymbolicLink()) return path;
      link = readlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return path;
      throw new OutputError(name, describeFsError(error));
    }
    path = isAbsolute(link) ? link : resolve(dirname(path), link);
  }
  throw new OutputError(name, 'too many levels of symbolic links');
}

/** Opens the output for a resolved target: the process's own stream, atomic replacement, or writing through. */
export async function openOutput(target: OutputTarget, streams: { stdout: Writable; stderr: Writable }): Promise<Output> {
  if (target.stream !== null) return new StreamOutput(streams[target.stream]);
  return target.replaceable ? AtomicFileOutput.create(target) : WriteThroughOutput.create(target);
}

/** `-o NAME.gz` is written gzip-compressed. */
const compressedName = (name: string) => name.toLowerCase().endsWith('.gz');

/** Writes all of `data`, however many calls it takes; a write of no bytes means a full device. */
async function writeAll(handle: FileHandle, data: Uint8Array): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done);
    if (bytesWritten <= 0) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    done += bytesWritten;
  }
}

/** Output to a file handle, gzip-compressed when the name ends in `.gz`. */
abstract class FileHandleOutput extends BatchedOutput {
  protected handle: FileHandle | null = null;

  constructor(protected readonly target: OutputTarget) {
    super();
    this.gzip = compressedName(target.name);
  }

  /**
   * The write under way. The next batch is made while it runs and waits for it before its
   * own write (the thread sat idle for each write before: `-o` was 6% slower than `>`).
   */
  private writing: Promise<void> = Promise.resolve();

  protected async send(data: Uint8Array, release?: () => void): Promise<void> {
    await this.writing;
    const writing = this.writeOut(data, release);
    writing.catch(() => undefined); // awaited by the next send or by settle
    this.writing = writing;
  }

  private async writeOut(data: Uint8Array, release?: () => void): Promise<void> {
    try {
      await writeAll(this.handle!, data);
    } catch (error) {
      throw new OutputError(this.target.name, describeFsError(error));
    }
    release?.();
  }

  protected override async settle(): Promise<void> {
    await this.writing;
  }

  /** Lets a write under way end, whatever its outcome, before the handle is closed. */
  protected async quiesce(): Promise<void> {
    await this.writing.catch(() => undefined);
  }
}

export class AtomicFileOutput extends FileHandleOutput {
  private readonly temp: string;
  private removeOnInterrupt: (() => void) | null = null;

  private constructor(target: OutputTarget) {
    super(target);
    this.temp = join(dirname(target.path), `.${basename(target.path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  }

  static async create(target: OutputTarget): Promise<AtomicFileOutput> {
    const output = new AtomicFileOutput(target);
    await output.open();
    return output;
  }

  private async open(): Promise<void> {
    try {
      this.handle = await open(this.temp, 'wx');
    } catch (error) {
      throw new OutputError(this.target.name, `cannot write here: ${describeFsError(error)}`);
    }
    const fd = this.handle.fd;
    this.removeOnInterrupt = onInterrupt(() => {
      try {
        closeSync(fd);
      } finally {
        unlinkSync(this.temp);
      }
    });
    // the replacement keeps the permissions of the file it replaces
    if (this.target.stats !== null) await chmod(this.temp, this.target.stats.mode & 0o7777).catch(() => undefined);
  }

  async commit(): Promise<void> {
    try {
      await this.flushAll();
      await this.handle!.sync();
      await this.handle!.close();
      this.handle = null;
      await rename(this.temp, this.target.path);
    } catch (error) {
      await this.abort();
      throw error instanceof OutputError ? error : new OutputError(this.target.name, describeFsError(error));
    }
    this.removeOnInterrupt?.();
  }

  async abort(): Promise<void> {
    this.removeOnInterrupt?.();
    this.discard();
    await this.quiesce();
    if (this.handle !== null) {
      await this.handle.close().catch(() => undefined);
      this.handle = null;
    }
    await unlink(this.temp).catch(() => undefined);
  }
}

/**
 * A device, a FIFO or the shell's own stdout: opened for writing (appending, so that a
 * `>>` redirection behind /dev/stdout is kept) and written as the run goes. Nothing can be
 * taken back, so a failed run may leave part of its output there, as any pipe would.
 */
export class WriteThroughOutput extends FileHandleOutput {
  private constructor(target: OutputTarget, handle: FileHandle) {
    super(target);
    this.handle = handle;
  }

  static async create(target: OutputTarget): Promise<WriteThroughOutput> {
    try {
      return new WriteThroughOutput(target, await open(target.path, constants.O_WRONLY | constants.O_APPEND));
    } catch (error) {
      throw new OutputError(target.name, `cannot write here: ${describeFsError(error)}`);
    }
  }

  async commit(): Promise<void> {
    await this.flushAll();
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  async abort(): Promise<void> {
    this.discard();
    await this.quiesce();
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }
}
