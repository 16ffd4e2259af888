/**
 * Every file medline writes goes through here: `-o`, `--deleted`, and any report added
 * later (resolveOutputTarget, refuseClashes, openOutput, commitAll). Writes are batched and
 * wait for the stream to drain, so memory stays flat. A regular file (or a name where there
 * is none yet) is written under a temporary name beside it, created exclusively, and renamed
 * over the target only when the run succeeds: a failed or interrupted run leaves the
 * previous file, if any, untouched. Anything else (a device, a FIFO, /dev/stdout) is opened
 * and written through. What a path is, is asked of the file (stat), never read from its
 * name; a symbolic link is followed, and its target is what gets replaced.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, readlinkSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { chmod, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { onInterrupt } from './cleanup.js';
import { describeFsError, MedlineError, OutputError } from './errors.js';

export interface Output {
  /** Queues text; returns a promise when the caller should wait before producing more. */
  write(text: string): Promise<void> | undefined;
  /**
   * Writes bytes already encoded (UTF-8), after the text queued before them. `release` is
   * called when the bytes have been written and may be reused; never, when that cannot be known.
   */
  writeBytes(bytes: Uint8Array, release?: () => void): Promise<void>;
  /** Flushes and, for a file, puts it in place (`finish`, then `place`). */
  commit(): Promise<void>;
  /** Everything written and, for a file, synced and closed: what may fail has failed now. */
  finish(): Promise<void>;
  /** After `finish`: for a file, the rename over the target; nothing for a stream. */
  place(): Promise<void>;
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
  abstract finish(): Promise<void>;
  abstract place(): Promise<void>;
  abstract abort(): Promise<void>;

  async commit(): Promise<void> {
    await this.finish();
    await this.place();
  }

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

  async finish(): Promise<void> {
    await this.flush();
    this.stream.off('error', this.onError);
    // keep swallowing a late EPIPE: the data is out, the reader just left
    this.stream.on('error', () => undefined);
  }

  async place(): Promise<void> {}

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
  let stats: Stats | null = null;
  try {
    // follows links, /proc/self/fd/N's too: a pipe or a device there is written through
    stats = statSync(given);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new OutputError(name, describeFsError(error));
  }
  if (stats?.isDirectory()) throw new OutputError(name, 'is a directory, not a file');
  if (stats !== null && !stats.isFile()) return { name, path: given, stats, replaceable: false, stream: null };
  // a regular file, or nothing yet: replaced (or made) where the links lead
  return { name, path: followLinks(given, name), stats, replaceable: true, stream: null };
}

/** A file medline reads: an input (`-` is standard input) or a PMID list, as the user named it. */
export interface ReadFile {
  /** How messages name its role: `input`, `--pmids list`. */
  readonly role: string;
  readonly name: string;
}

/** An output and the option that names it (`-o`, `--deleted`). */
export interface NamedOutput {
  readonly flag: string;
  readonly target: OutputTarget;
}

/**
 * Refuses, before anything is read, an output that is a file medline reads (an input, a
 * PMID list) or another output: the same file whatever the path (links, hard links, `..`),
 * compared by device and inode; a name not yet made, by where its links lead.
 */
export function refuseClashes(outputs: readonly NamedOutput[], reads: readonly ReadFile[], place: { cwd: string; stdin?: unknown }): void {
  const identity = (s: Stats) => `${s.dev}:${s.ino}`;
  const readIds = reads.map((file) => ({ file, id: readIdentity(file.name, place) }));
  const seen = new Map<string, NamedOutput>();
  for (const output of outputs) {
    const { target } = output;
    if (target.stream !== null) continue;
    // a device or a FIFO written through destroys nothing: only replaced files are guarded
    if (target.replaceable && target.stats !== null) {
      const id = identity(target.stats);
      const read = readIds.find((r) => r.id === id);
      if (read !== undefined) {
        const what = read.file.name === '-' ? 'standard input' : `${read.file.role} ${read.file.name}`;
        const never = read.file.role === 'input' ? 'its input' : 'a file it reads';
        throw new MedlineError('CLASH', null, `${output.flag} ${target.name} is the same file as ${what}; medline never writes over ${never}`);
      }
    }
    const key = target.stats !== null && target.replaceable ? identity(target.stats) : `path:${target.path}`;
    const other = seen.get(key);
    if (other !== undefined && target.replaceable) {
      throw new MedlineError('CLASH', null, `${output.flag} ${target.name} is the same file as ${other.flag} ${other.target.name}; give each its own file`);
    }
    seen.set(key, output);
  }
}

/** `dev:ino` of a file medline reads, or null when it cannot be asked (reported when it is read). */
function readIdentity(name: string, place: { cwd: string; stdin?: unknown }): string | null {
  try {
    let stats: Stats;
    if (name === '-') {
      const fd = (place.stdin as { fd?: unknown } | undefined)?.fd;
      if (typeof fd !== 'number') return null;
      stats = fstatSync(fd);
    } else stats = statSync(resolve(place.cwd, name));
    return `${stats.dev}:${stats.ino}`;
  } catch {
    return null;
  }
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

/** The longest file name most file systems take (ext4, XFS, tmpfs, btrfs: 255 bytes). */
const NAME_MAX = 255;

/**
 * A temporary name beside `path`: `.NAME.RANDOM.tmp`, NAME cut (at a character boundary) so
 * that the whole fits in NAME_MAX bytes, as an output name of 255 bytes must still work.
 */
export function temporaryName(path: string): string {
  const suffix = `.${randomBytes(6).toString('hex')}.tmp`;
  let base = basename(path);
  const room = NAME_MAX - 1 - suffix.length;
  if (Buffer.byteLength(base) > room) {
    const bytes = Buffer.from(base).subarray(0, room);
    // drop a character cut in two (its lead byte and any continuation bytes)
    let end = bytes.length;
    let lead = end - 1;
    while (lead > 0 && (bytes[lead]! & 0xc0) === 0x80) lead--;
    const need = bytes[lead]! >= 0xf0 ? 4 : bytes[lead]! >= 0xe0 ? 3 : bytes[lead]! >= 0xc0 ? 2 : 1;
    if (lead + need > end) end = lead;
    base = bytes.subarray(0, end).toString('utf8');
  }
  return join(dirname(path), `.${base}${suffix}`);
}

/** Created exclusively, never through a link planted at its name (O_EXCL refuses any existing name). */
const CREATE_EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export class AtomicFileOutput extends FileHandleOutput {
  private temp = '';
  private removeOnInterrupt: (() => void) | null = null;
  private finished = false;

  private constructor(target: OutputTarget) {
    super(target);
  }

  static async create(target: OutputTarget): Promise<AtomicFileOutput> {
    const output = new AtomicFileOutput(target);
    await output.open();
    return output;
  }

  private async open(): Promise<void> {
    // a name taken (by chance, or by a link planted there) is passed over for another
    for (let attempt = 0; ; attempt++) {
      this.temp = temporaryName(this.target.path);
      try {
        this.handle = await open(this.temp, CREATE_EXCLUSIVE, 0o666);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 8) continue;
        throw new OutputError(this.target.name, `cannot write here: ${describeFsError(error)}`);
      }
    }
    const fd = this.handle.fd;
    const temp = this.temp;
    this.removeOnInterrupt = onInterrupt(() => {
      try {
        closeSync(fd);
      } finally {
        unlinkSync(temp);
      }
    });
    // the replacement keeps the permissions of the file it replaces
    if (this.target.stats !== null) await chmod(this.temp, this.target.stats.mode & 0o7777).catch(() => undefined);
  }

  async finish(): Promise<void> {
    try {
      await this.flushAll();
      await this.handle!.sync();
      await this.handle!.close();
      this.handle = null;
      this.finished = true;
    } catch (error) {
      await this.abort();
      throw error instanceof OutputError ? error : new OutputError(this.target.name, describeFsError(error));
    }
  }

  async place(): Promise<void> {
    if (!this.finished) throw new Error('AtomicFileOutput.place() before finish()');
    try {
      await rename(this.temp, this.target.path);
    } catch (error) {
      await this.abort();
      throw new OutputError(this.target.name, describeFsError(error));
    }
    this.removeOnInterrupt?.();
    this.removeOnInterrupt = null;
  }

  async abort(): Promise<void> {
    this.removeOnInterrupt?.();
    this.removeOnInterrupt = null;
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

  async finish(): Promise<void> {
    try {
      await this.flushAll();
    } catch (error) {
      await this.abort();
      throw error;
    }
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  async place(): Promise<void> {}

  async abort(): Promise<void> {
    this.discard();
    await this.quiesce();
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Puts several outputs in place together (`-o` and `--deleted`): each is finished first
 * (everything written and synced: a full disk fails here), and only when all are, each is
 * renamed over its target. One that fails leaves every previous file as it was.
 */
export async function commitAll(outputs: readonly Output[]): Promise<void> {
  try {
    for (const output of outputs) await output.finish();
  } catch (error) {
    for (const output of outputs) await output.abort();
    throw error;
  }
  for (const output of outputs) await output.place();
}
