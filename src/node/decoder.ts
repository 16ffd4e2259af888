/**
 * Bytes → text, at the edge. A BOM picks UTF-8 or UTF-16, and the head of the input is
 * checked for binary data. `feed` hands UTF-8 on as bytes (the tokenizer decodes it line
 * by line and reports invalid sequences) and anything else as text; `write`/`end` always
 * give text: a UTF-8 character split between chunks is decoded whole, invalid UTF-8
 * becomes U+FFFD and each bad sequence is reported with its byte offset.
 */
import { TextDecoder } from 'node:util';
import type { OffsetNote } from '../core/tokenizer.js';
import { invalidSequences, invalidUtf8Message, type Utf8Decode } from '../core/utf8.js';
import { isCitationJson, recogniseCompressed, recogniseText, type Recognised } from '../core/recognise.js';

const utf8Slice = (Buffer.prototype as unknown as { utf8Slice(this: Uint8Array, from: number, to: number): string }).utf8Slice;

/** Node's UTF-8 decoder for one line: an ASCII line becomes a one-byte string, cheap to slice, compare and write. */
export const nodeUtf8Decode: Utf8Decode = (bytes, from, to) => utf8Slice.call(bytes, from, to);

export type InputEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1';

/** An input refused whole: binary data, a compressed file medline cannot open, or another format. */
export class BinaryInputError extends Error {
  readonly code = 'BINARY_INPUT';
  constructor(
    readonly byteOffset: number,
    expected = 'MEDLINE text',
    message = `this looks like a binary file, not ${expected} (binary data at byte offset ${byteOffset})`,
  ) {
    super(message);
  }
}

function refuse(found: Recognised, expected: string): BinaryInputError {
  return new BinaryInputError(0, expected, `this is ${found.what}, not ${expected}; ${found.advice}`);
}

/** How many leading bytes are checked for NUL bytes, the mark of a binary file. */
const SNIFF_BYTES = 8192;

export interface DecodedChunk {
  text: string;
  notes: OffsetNote[];
}

/** Where `feed` puts what it decodes: a MedlineParser or MedlineTokenizer. */
export interface DecodedSink {
  write(text: string): void;
  writeBytes(bytes: Uint8Array): void;
  note(notes: readonly OffsetNote[]): void;
}

export class InputDecoder {
  private decoder: TextDecoder | null = null;
  private encoding: InputEncoding | null;
  private byteOffset = 0;
  private charOffset = 0;
  /** Bytes at the end of the previous chunk that begin an unfinished UTF-8 sequence. */
  private tail: Uint8Array = new Uint8Array(0);
  /** Bytes held back until there are enough to look for a BOM and for binary data. */
  private held: Uint8Array = new Uint8Array(0);
  /** Invalid UTF-8 sequences reported so far (by `write`/`end`). */
  invalidSequences = 0;
  /** Set by `feed` once the input is known to be UTF-8: bytes go on undecoded. */
  private bytesThrough = false;
  private sniffed = false;

  /**
   * `encoding` forces one; by default a BOM decides, else UTF-8. A decoder for a later part
   * of an input (`--jobs`) starts at `byteOffset` and does not look for a binary file again.
   */
  constructor(
    encoding: InputEncoding | null = null,
    private readonly part: { byteOffset: number } | null = null,
    /**
     * What the input should be, for messages ("not PubMed XML"); MEDLINE text also refuses
     * text in another format (RIS, XML, …), told from its first bytes.
     */
    private readonly expected: 'MEDLINE text' | 'PubMed XML' | 'a list of PMIDs' | 'citations in JSON' = 'MEDLINE text',
  ) {
    this.encoding = encoding;
    if (part !== null) this.byteOffset = part.byteOffset;
  }

  /** Decodes into `sink`: UTF-8 as bytes (`writeBytes`), other encodings as text. */
  feed(bytes: Uint8Array, sink: DecodedSink): void {
    if (!this.sniffed) {
      if (this.held.length + bytes.length < SNIFF_BYTES) {
        this.held = concat(this.held, bytes);
        return;
      }
      // a chunk long enough to sniff is read where it is: a copy of each `--jobs` unit (a
      // megabyte, in a worker thread) was garbage that piled up in its malloc arena
      const head = this.held.length === 0 ? bytes : concat(this.held, bytes);
      this.held = new Uint8Array(0);
      bytes = this.startFeeding(head);
    }
    this.pass(bytes, sink);
  }

  /** Ends a `feed` run. */
  finish(sink: DecodedSink): void {
    if (!this.sniffed) {
      if (this.held.length === 0) return;
      const head = this.startFeeding(this.held);
      this.held = new Uint8Array(0);
      this.pass(head, sink);
    }
    if (this.bytesThrough) return;
    const { text, notes } = this.end();
    if (notes.length > 0) sink.note(notes);
    if (text.length > 0) sink.write(text);
  }

  /**
   * Sniffs the head; for UTF-8, bytes go through from here on (a BOM too: the tokenizer
   * drops a U+FEFF that starts the first line).
   */
  private startFeeding(head: Uint8Array): Uint8Array {
    this.sniff(head);
    if (this.encoding === 'utf-8') this.bytesThrough = true;
    return head;
  }

  private pass(bytes: Uint8Array, sink: DecodedSink): void {
    if (this.bytesThrough) {
      if (bytes.length > 0) sink.writeBytes(bytes);
      return;
    }
    const { text, notes } = this.decode(bytes);
    if (notes.length > 0) sink.note(notes);
    if (text.length > 0) sink.write(text);
  }

  write(bytes: Uint8Array): DecodedChunk {
    if (this.decoder === null) {
      // the BOM and the binary check look at the same first bytes however the input is cut
      if (this.held.length + bytes.length < SNIFF_BYTES) {
        this.held = concat(this.held, bytes);
        return { text: '', notes: [] };
      }
      const head = this.held.length === 0 ? bytes : concat(this.held, bytes);
      this.held = new Uint8Array(0);
      this.sniff(head);
      bytes = head;
    }
    return this.decode(bytes);
  }

  end(): DecodedChunk {
    let first: DecodedChunk = { text: '', notes: [] };
    if (this.decoder === null) {
      if (this.held.length === 0) return first;
      this.sniff(this.held);
      first = this.decode(this.held);
      this.held = new Uint8Array(0);
    }
    const text = this.decoder!.decode();
    const notes = this.encoding === 'utf-8' && text.length > 0 ? this.locateInvalid(new Uint8Array(0), true) : [];
    this.charOffset += text.length;
    return { text: first.text + text, notes: [...first.notes, ...notes] };
  }

  private decode(bytes: Uint8Array): DecodedChunk {
    const text = this.decoder!.decode(bytes, { stream: true });
    const notes =
      this.encoding === 'utf-8' && text.indexOf('\uFFFD') !== -1 ? this.locateInvalid(bytes, false) : [];
    if (this.encoding === 'utf-8') this.tail = unfinishedTail(this.tail.length > 0 ? concat(this.tail, bytes) : bytes);
    this.byteOffset += bytes.length;
    this.charOffset += text.length;
    return { text, notes };
  }

  private sniff(bytes: Uint8Array): void {
    this.sniffed = true;
    if (this.encoding === null) {
      if (bytes[0] === 0xff && bytes[1] === 0xfe) this.encoding = 'utf-16le';
      else if (bytes[0] === 0xfe && bytes[1] === 0xff) this.encoding = 'utf-16be';
      else this.encoding = 'utf-8';
    }
    if (this.part === null) {
      const compressed = recogniseCompressed(bytes);
      if (compressed !== null) throw refuse(compressed, this.expected);
      if (this.encoding === 'utf-8' || this.encoding === 'latin1') {
        const nul = binaryAt(bytes.subarray(0, SNIFF_BYTES));
        if (nul !== -1) throw new BinaryInputError(nul, this.expected);
      }
      const head = new TextDecoder(this.encoding === 'latin1' ? 'windows-1252' : this.encoding).decode(bytes.subarray(0, SNIFF_BYTES));
      const other = isCitationJson(head) || this.expected !== 'MEDLINE text' ? null : recogniseText(head);
      if (other !== null) throw refuse(other, this.expected);
    }
    // a later part of an input starts mid-file: a U+FEFF there is a character, not a BOM
    this.decoder = new TextDecoder(this.encoding === 'latin1' ? 'windows-1252' : this.encoding, { ignoreBOM: this.part !== null });
  }

  /**
   * The slow path, taken only when a chunk decoded to U+FFFD: walks the bytes as the
   * WHATWG decoder does, to tell real U+FFFD characters from replaced bytes and to find
   * the stream offsets of the latter.
   */
  private locateInvalid(bytes: Uint8Array, atEnd: boolean): OffsetNote[] {
    const tail = this.tail;
    const all = new Uint8Array(tail.length + bytes.length);
    all.set(tail, 0);
    all.set(bytes, tail.length);
    const base = this.byteOffset - tail.length;
    const found = invalidSequences(all, 0, all.length, atEnd);
    this.invalidSequences += found.length;
    return found.map((bad) => ({
      offset: this.charOffset + bad.char,
      code: 'INVALID_UTF8',
      message: invalidUtf8Message(all, bad.byte, bad.length, base + bad.byte),
    }));
  }
}

/** File signatures of the binary files people give by mistake: PDF, ZIP (docx, xlsx), PNG, GIF, JPEG. */
const MAGIC: readonly number[][] = [
  [0x25, 0x50, 0x44, 0x46, 0x2d],
  [0x50, 0x4b, 0x03, 0x04],
  [0x89, 0x50, 0x4e, 0x47],
  [0x47, 0x49, 0x46, 0x38],
  [0xff, 0xd8, 0xff],
];

/**
 * Where the first NUL byte is, when the head of the input looks binary: a known binary
 * signature, or NUL bytes making up 1% of it or more. A stray NUL in a text file is kept
 * as a character. -1 for text.
 */
function binaryAt(head: Uint8Array): number {
  if (MAGIC.some((m) => m.every((b, i) => head[i] === b))) return Math.max(0, head.indexOf(0));
  // NUL bytes (UTF-16 without a BOM, most binary formats: one in a hundred), or control
  // characters no text has (random or compressed data: one in ten; one in twenty suffices).
  // Bytes above 0x7F are not counted: text in another 8-bit encoding is text, read with U+FFFD.
  let nuls = 0;
  let controls = 0;
  let first = -1;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1a) {
      if (first === -1) first = i;
      controls++;
      if (b === 0) nuls++;
    }
  }
  if (first === -1) return -1;
  return nuls * 100 >= head.length || controls * 20 >= head.length ? first : -1;
}

/** The bytes at the end of `bytes` that start a UTF-8 sequence still missing bytes. */
function unfinishedTail(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]!;
    if (b < 0x80) return new Uint8Array(0);
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return back < need ? new Uint8Array(bytes.subarray(n - back)) : new Uint8Array(0);
    }
  }
  return new Uint8Array(0);
}

/** `a` then `b` in a buffer of their own (the caller may reuse `b`'s). */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  // a copy (new Uint8Array of an array copies; a Buffer's slice() would not)
  if (a.length === 0) return new Uint8Array(b);
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
