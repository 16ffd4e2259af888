/**
 * UTF-8 for the byte-level tokenizer: a default line decoder (the Node layer injects a
 * faster one) and the walk that finds invalid sequences in a line that decoded to U+FFFD.
 * No Node imports.
 */

/** Decodes `bytes[from, to)` as UTF-8, invalid sequences as U+FFFD (WHATWG). */
export type Utf8Decode = (bytes: Uint8Array, from: number, to: number) => string;

const standardDecoder = new TextDecoder('utf-8');

export const decodeUtf8: Utf8Decode = (bytes, from, to) => standardDecoder.decode(bytes.subarray(from, to));

export interface InvalidSequence {
  /** Index in the line's bytes. */
  readonly byte: number;
  /** The bytes replaced by one U+FFFD. */
  readonly length: number;
  /** Index of that U+FFFD in the decoded line, in UTF-16 code units. */
  readonly char: number;
}

/**
 * The invalid sequences of `bytes[from, to)`, walked as the WHATWG decoder does, so that a
 * real U+FFFD in the text (EF BF BD) is told apart from replaced bytes. With `complete`
 * false the bytes are a chunk of a stream: a sequence cut off at its end is not invalid
 * (the next chunk completes it) and the walk stops there.
 */
export function invalidSequences(bytes: Uint8Array, from: number, to: number, complete = true): InvalidSequence[] {
  const found: InvalidSequence[] = [];
  let chars = 0;
  let i = from;
  while (i < to) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      chars++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    } else {
      found.push({ byte: i - from, length: 1, char: chars++ });
      i++;
      continue;
    }
    let j = 1;
    while (j <= need && i + j < to) {
      const c = bytes[i + j]!;
      if (c < lower || c > upper) break;
      lower = 0x80;
      upper = 0xbf;
      j++;
    }
    if (j > need) {
      chars += need === 3 ? 2 : 1;
    } else if (i + j >= to && !complete) {
      break;
    } else {
      found.push({ byte: i - from, length: j, char: chars++ });
    }
    i += j;
  }
  return found;
}

/** The message of an INVALID_UTF8 diagnostic: the bytes, as hex, and where they are. */
export function invalidUtf8Message(bytes: Uint8Array, at: number, length: number, byteOffset: number): string {
  const shown = Array.from(bytes.subarray(at, at + Math.max(1, length)), (b) => '0x' + b.toString(16).toUpperCase().padStart(2, '0'));
  return `invalid UTF-8 byte${shown.length > 1 ? 's' : ''} ${shown.join(' ')} at byte offset ${byteOffset} replaced by U+FFFD (is the file Latin-1? try --encoding latin1)`;
}
