/** Opens the inputs named on the command line: files, `-` for stdin, gzip recognised by its magic bytes. */
import { close, open, read, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { carriedDeletions, type CarriedDeletions } from './done-mark.js';
import { describeFsError, InputError } from './errors.js';
import type { InputPlace } from './options.js';
import { kindOf, type InputKind } from '../core/recognise.js';
import type { InputEncoding } from '../node/decoder.js';
import { loadSource } from './convert.js';

export interface OpenedInput {
  /** How diagnostics name it: the path as given, or `<stdin>`. */
  readonly name: string;
  /** Size in bytes on disk when known (for progress). */
  readonly size: number | null;
  /**
   * The bytes, in chunks. A chunk is valid until the next one is asked for (a file is read
   * into one reused buffer: no dead buffers pile up for the GC); whoever keeps bytes longer
   * copies them.
   */
  readonly chunks: AsyncIterable<Buffer>;
  /** Bytes read so far as they are on disk (before gunzip): what progress counts against `size`. */
  readonly read: { bytes: number };
  /** An --out-dir output read back: the DeleteCitation PMIDs of the input it came from (its done mark). */
  readonly carried?: CarriedDeletions;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * An input's size on disk, for progress and for choosing --jobs: null for stdin and what is
 * no regular file (a pipe), 0 for what is missing (reported when it is opened).
 */
export function sizeOnDisk(file: string, cwd: string): number | null {
  if (file === '-') return null;
  try {
    const stats = statSync(resolve(cwd, file));
    return stats.isFile() ? stats.size : null;
  } catch {
    return 0;
  }
}

export async function openInput(path: string, io: InputPlace): Promise<OpenedInput> {
  if (path === '-') {
    const read = { bytes: 0 };
    return { name: '<stdin>', size: null, chunks: gunzipIfCompressed('<stdin>', io.stdin, read), read };
  }
  const full = resolve(io.cwd, path);
  let size: number;
  try {
    const info = await stat(full);
    if (info.isDirectory()) throw new InputError(path, 'is a directory, not a file');
    size = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, describeFsError(error));
  }
  let fd: number;
  try {
    fd = await openFile(full, 'r');
  } catch (error) {
    throw new InputError(path, describeFsError(error));
  }
  const read = { bytes: 0 };
  let carried: CarriedDeletions | null;
  try {
    carried = carriedDeletions(path, full, size);
  } catch (error) {
    await closeFile(fd).catch(() => undefined);
    throw error;
  }
  return { name: path, size, chunks: gunzipIfCompressed(path, readReusing(fd), read, true), read, ...(carried !== null ? { carried } : {}) };
}

const openFile = promisify(open);
const readFile = promisify(read);
const closeFile = promisify(close);

/**
 * A file's bytes, read into two buffers in turn (see OpenedInput.chunks): the next chunk is
 * read while the caller works on this one, so that the thread does not sit idle for each
 * read (5% of a run, in profiles, before).
 */
async function* readReusing(fd: number): AsyncGenerator<Buffer> {
  const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
  let which = 0;
  const readInto = (buffer: Buffer) => {
    const reading = readFile(fd, buffer, 0, CHUNK_BYTES, null);
    reading.catch(() => undefined); // awaited in its turn; a failure must not go unhandled until then
    return reading;
  };
  let reading = readInto(buffers[0]!);
  try {
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) return;
      const current = buffers[which]!;
      // the caller is done with the other buffer: it asked for this chunk
      which ^= 1;
      reading = readInto(buffers[which]!);
      yield current.subarray(0, bytesRead);
    }
  } finally {
    // a read under way ends before the file is closed
    await reading.catch(() => undefined);
    await closeFile(fd).catch(() => undefined);
  }
}

async function* copies(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk);
}

/**
 * Passes the bytes through, or through gunzip when they start with gzip's magic bytes.
 * `reused`: the source reuses its buffer, so what gunzip holds on to is copied first.
 */
async function* gunzipIfCompressed(name: string, source: AsyncIterable<Buffer | string>, read: { bytes: number }, reused = false): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  let first: Buffer;
  try {
    const next = await iterator.next();
    if (next.done) return;
    first = toBuffer(next.value);
    read.bytes += first.length;
  } catch (error) {
    throw new InputError(name, describeFsError(error));
  }
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield first;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      const chunk = toBuffer(next.value);
      read.bytes += chunk.length;
      yield chunk;
    }
  };
  if (first[0] !== 0x1f || first[1] !== 0x8b) {
    try {
      yield* rest();
    } catch (error) {
      throw error instanceof InputError ? error : new InputError(name, describeFsError(error));
    }
    return;
  }
  const gunzip = Readable.from(reused ? copies(rest()) : rest()).pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    throw new InputError(name, `not a valid gzip file (${(error as Error).message})`);
  }
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/** What an input holds: MEDLINE text, PubMed XML, or citations as medline writes them in JSON. */
export type { InputKind };

/**
 * Looks at the first chunk (after gzip) to tell MEDLINE text from PubMed XML and medline's JSON, unless
 * `--from` says; the chunks are given again from the start.
 */
export async function withKind(input: OpenedInput, forced: InputKind | null, encoding: InputEncoding | null = null): Promise<OpenedInput & { kind: InputKind }> {
  const iterator = input.chunks[Symbol.asyncIterator]();
  // the head is what the first reads gave, up to HEAD_BYTES: a pipe may give a few bytes first
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    // a chunk is valid until the next is asked for: copied when more are to come
    head.push(next.value);
    size += next.value.length;
    if (size < HEAD_BYTES) head[head.length - 1] = Buffer.from(next.value);
  }
  const kind: InputKind = forced ?? (size === 0 ? 'medline' : kindOf(head.length === 1 ? head[0]! : Buffer.concat(head), encoding));
  await loadSource(kind);
  async function* again(): AsyncGenerator<Buffer> {
    yield* head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { ...input, kind, chunks: again() };
}

/** How much of an input's start tells its kind. */
const HEAD_BYTES = 8192;
