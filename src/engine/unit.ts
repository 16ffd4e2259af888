/**
 * A unit of `--jobs`: a run of whole records cut from one input at a blank line, converted
 * alone (in a worker thread, or in the main thread when it is the only one). Its line
 * numbers count from its own start; the main thread adds the lines of the units before it.
 */
import { BinaryInputError, type InputEncoding } from '../node/decoder.js';
import { sourceFor } from './convert.js';
import type { InputKind } from './input.js';
import type { Citation, Diagnostic, RecordKey } from '../types.js';
import type { SpareBuffers } from './spare-buffers.js';
import type { KeyKind } from '../node/pieces.js';

export interface Unit {
  readonly bytes: Uint8Array;
  /** Where the unit starts in its input, in bytes. */
  readonly byteOffset: number;
  /** The first unit of its input: looks for a BOM and for binary data. */
  readonly first: boolean;
  readonly encoding: InputEncoding | null;
  readonly raw: boolean;
  /** MEDLINE text or PubMed XML (cut after a record's end tag). */
  readonly kind: Exclude<InputKind, 'json'>;
  /** The last unit of its input (XML: the one that closes the set). */
  readonly last: boolean;
  /** XML: the set a later unit starts inside (`PubmedArticleSet`, `MedlineCitationSet`). */
  readonly root?: string;
}

export interface UnitResult<P> {
  /** Pieces to finish in the main thread; empty when `encoded` holds them. */
  readonly pieces: P[];
  /**
   * For a plain format: the pieces joined and encoded as UTF-8, and how many there were; with
   * `keys`, where each piece ends in the bytes, for the main thread to write the chosen ones.
   */
  readonly encoded?: { bytes: Uint8Array; count: number; ends?: Uint32Array };
  /** Each record's key, with lines counted from the unit's first line (with `keys`). */
  readonly keys?: RecordKey[];
  /** Diagnostics, with lines counted from the unit's first line. */
  readonly diagnostics: Diagnostic[];
  readonly lines: number;
  readonly records: number;
  /** Records with a PMID, a title or another identifier. */
  readonly identified: number;
  readonly sawText: boolean;
  /** The input broke off in this unit (malformed XML): the units after it are not read. */
  readonly stopped?: boolean;
  /** Set when the input is binary: the whole input is refused. */
  readonly binary?: string;
}

/** How a worker joins the pieces of a plain format itself. */
export interface Joining {
  readonly separator: string;
}

export function convertUnit<P>(
  unit: Unit,
  prepare: ((c: Citation) => P) | null,
  join: Joining | null = null,
  keys: KeyKind = false,
  spares: SpareBuffers | null = null,
): UnitResult<P> {
  const diagnostics: Diagnostic[] = [];
  // a plain format's text is encoded as each record is written: held whole to the unit's
  // end, the strings outlived the worker's young generation and were copied twice more
  const sink = join !== null && prepare !== null ? new Utf8Sink(join.separator, unit.bytes.length, spares, keys !== false) : null;
  const write = sink !== null ? (c: Citation) => sink.add(prepare!(c) as unknown as string) as unknown as P : prepare;
  const maker = sourceFor<P>(unit.kind, write, (d) => diagnostics.push(d), {
    encoding: unit.encoding,
    raw: unit.raw,
    keys,
    unit: { first: unit.first, last: unit.last, byteOffset: unit.byteOffset, ...(unit.root !== undefined ? { root: unit.root } : {}) },
  });
  try {
    maker.write(unit.bytes);
    maker.end();
  } catch (error) {
    if (error instanceof BinaryInputError) return { pieces: [], diagnostics: [], lines: 0, records: 0, identified: 0, sawText: false, binary: error.message };
    throw error;
  }
  const pieces = maker.take();
  const counts = {
    diagnostics,
    lines: maker.lines,
    records: maker.records,
    identified: maker.identified,
    sawText: maker.sawAnyText,
    ...(maker.stopped ? { stopped: true } : {}),
    ...(keys ? { keys: maker.takeKeys() } : {}),
  };
  if (sink !== null) return { ...counts, pieces: [], encoded: { bytes: sink.take(), count: sink.count, ...(sink.ends !== null ? { ends: Uint32Array.from(sink.ends) } : {}) } };
  return { ...counts, pieces };
}

/**
 * A plain format's pieces and separators as UTF-8, written one by one as they come into a
 * buffer of its own (so that it moves to the main thread without a copy): no joined string,
 * no second pass to encode it. It starts at twice the unit's size and doubles when a piece
 * might not fit (3 bytes a UTF-16 unit at worst); pages never written are never touched.
 * With `marked`, it notes where each piece ends (a selection writes some of them).
 */
class Utf8Sink {
  private buffer: Buffer;
  private at = 0;
  count = 0;
  readonly ends: number[] | null;

  constructor(
    private readonly separator: string,
    unitBytes: number,
    spares: SpareBuffers | null,
    marked = false,
  ) {
    const size = Math.max(64 * 1024, 2 * unitBytes);
    this.buffer = spares !== null ? spares.take(size) : Buffer.allocUnsafeSlow(size);
    this.ends = marked ? [] : null;
  }

  add(piece: string): void {
    const needed = this.at + 3 * (piece.length + this.separator.length);
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.buffer.length, needed));
      grown.set(this.buffer.subarray(0, this.at));
      this.buffer = grown;
    }
    if (this.count > 0 && this.separator !== '') this.at += this.buffer.write(this.separator, this.at);
    this.at += this.buffer.write(piece, this.at);
    this.ends?.push(this.at);
    this.count++;
  }

  take(): Uint8Array {
    return new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.at);
  }
}

/**
 * Where a unit may end in `bytes`: just after the last empty line (LF LF, CR LF CR LF, or
 * CR CR in text with CR line ends), which always ends a record. -1 when there is none.
 */
export function lastBoundary(bytes: Uint8Array): number {
  for (let i = bytes.lastIndexOf(0x0a); i > 0; i = bytes.lastIndexOf(0x0a, i - 1)) {
    // the line this LF ends is empty if it ends right after another line's end
    const before = bytes[i - 1];
    if (before === 0x0a) return i + 1;
    if (before === 0x0d && i >= 2 && (bytes[i - 2] === 0x0a || bytes[i - 2] === 0x0d)) return i + 1;
  }
  // CR line ends only: CR CR not followed by LF (which would make the second CR part of CR LF)
  for (let i = bytes.lastIndexOf(0x0d); i > 0; i = bytes.lastIndexOf(0x0d, i - 1)) {
    if (bytes[i - 1] === 0x0d && i + 1 < bytes.length && bytes[i + 1] !== 0x0a) return i + 1;
  }
  return -1;
}
