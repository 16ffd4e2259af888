/**
 * A unit of `--jobs`: a run of whole records cut from one input at a blank line, converted
 * alone (in a worker thread, or in the main thread when it is the only one). Its line
 * numbers count from its own start; the main thread adds the lines of the units before it.
 */
import { BinaryInputError, type InputEncoding } from '../node/decoder.js';
import { sourceFor } from './convert.js';
import type { InputKind } from './input.js';
import type { Citation, Diagnostic, RecordKey } from '../types.js';

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
}

export interface UnitResult<P> {
  /** Pieces to finish in the main thread; empty when `encoded` holds them. */
  readonly pieces: P[];
  /** For a plain format: the pieces joined and encoded as UTF-8, and how many there were. */
  readonly encoded?: { bytes: Uint8Array; count: number };
  /** Each record's key, with lines counted from the unit's first line (with `keys`). */
  readonly keys?: RecordKey[];
  /** Diagnostics, with lines counted from the unit's first line. */
  readonly diagnostics: Diagnostic[];
  readonly lines: number;
  readonly records: number;
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

export function convertUnit<P>(unit: Unit, prepare: ((c: Citation) => P) | null, join: Joining | null = null, keys = false): UnitResult<P> {
  const diagnostics: Diagnostic[] = [];
  const maker = sourceFor<P>(unit.kind, prepare, (d) => diagnostics.push(d), {
    encoding: unit.encoding,
    raw: unit.raw,
    keys,
    unit: { first: unit.first, last: unit.last, byteOffset: unit.byteOffset },
  });
  try {
    maker.write(unit.bytes);
    maker.end();
  } catch (error) {
    if (error instanceof BinaryInputError) return { pieces: [], diagnostics: [], lines: 0, records: 0, sawText: false, binary: error.message };
    throw error;
  }
  const pieces = maker.take();
  const counts = {
    diagnostics,
    lines: maker.lines,
    records: maker.records,
    sawText: maker.sawAnyText,
    ...(maker.stopped ? { stopped: true } : {}),
    ...(keys ? { keys: maker.takeKeys() } : {}),
  };
  if (join !== null && prepare !== null) {
    const bytes = encodeJoined(pieces as unknown as string[], join.separator);
    return { ...counts, pieces: [], encoded: { bytes, count: pieces.length } };
  }
  return { ...counts, pieces };
}

/**
 * The pieces and separators as UTF-8, written one by one into a buffer of its own (so that it
 * moves to the main thread without a copy): no joined string, no second pass to encode it.
 * Sized for the worst case (3 bytes a UTF-16 unit); the pages never written are never touched.
 */
function encodeJoined(pieces: readonly string[], separator: string): Uint8Array {
  let units = separator.length * Math.max(0, pieces.length - 1);
  for (const p of pieces) units += p.length;
  const out = Buffer.allocUnsafeSlow(units * 3);
  let at = 0;
  pieces.forEach((piece, i) => {
    if (i > 0 && separator !== '') at += out.write(separator, at);
    at += out.write(piece, at);
  });
  return new Uint8Array(out.buffer, 0, at);
}

const XML_RECORD_ENDS = ['</PubmedArticle>', '</PubmedBookArticle>'].map((tag) => Buffer.from(tag));

/**
 * Where a unit of PubMed XML may end in `bytes`: after the last record's end tag and the line
 * end that follows it. -1 when there is none.
 */
export function lastXmlBoundary(bytes: Buffer): number {
  let cut = -1;
  for (const tag of XML_RECORD_ENDS) {
    const at = bytes.lastIndexOf(tag);
    if (at !== -1 && at + tag.length > cut) cut = at + tag.length;
  }
  if (cut === -1) return -1;
  if (bytes[cut] === 0x0d && bytes[cut + 1] === 0x0a) return cut + 2;
  if (bytes[cut] === 0x0a) return cut + 1;
  return cut;
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
