/**
 * The push tokenizer: MEDLINE text in, in chunks of any size, RawRecords out.
 *
 * It touches no stream and imports nothing from Node: `write(text)` and `end()` are the whole
 * interface, and every adapter (one-shot, Transform, async iterator) is a few lines around
 * it, so they cannot disagree. Splitting the input differently never changes the output:
 * the only state carried between chunks is an unfinished line (kept as parts, so that a
 * 50 MB line costs linear time) and whether the previous chunk ended with CR.
 */
import { MAX_TEXT_LENGTH } from './limits.js';
import { FLATTENED_MARKER_TAGS, MALFORMED_TAG, ONE_LINE_TAGS, TAG_INFO } from './tags.js';
import { decodeUtf8, invalidSequences, invalidUtf8Message, type Utf8Decode } from './utf8.js';
import type { Diagnostic, DiagnosticCode, RawField, RawRecord } from '../types.js';

export interface TokenizerHandlers {
  onRecord(record: RawRecord): void;
  onDiagnostic(diagnostic: Diagnostic): void;
}

export interface TokenizerOptions {
  /**
   * The text is one part of a larger input (a unit of `--jobs`): whether the input holds
   * no record at all (NO_RECORDS) is for the caller to say, from all parts.
   */
  readonly part?: boolean;
  /**
   * Decodes one line of UTF-8 for `writeBytes` (default: TextDecoder). The Node layer gives
   * Buffer's decoder, which makes one-byte strings of ASCII lines.
   */
  readonly decodeUtf8?: Utf8Decode;
  /** Where the bytes given to `writeBytes` start in their input, for messages (a `--jobs` unit). */
  readonly byteOffset?: number;
  /** The longest line or value kept (default MAX_TEXT_LENGTH). */
  readonly maxTextLength?: number;
}

/** A diagnostic the decoder found at a character offset of the decoded stream. */
export interface OffsetNote {
  /** 0-based offset in UTF-16 code units from the start of the decoded stream. */
  readonly offset: number;
  readonly code: DiagnosticCode;
  readonly message: string;
}

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const DASH = 45;
const BOM = 0xfeff;

const isUpper = (c: number): boolean => c >= 65 && c <= 90;

/** The longest line or value kept: one of the bounds every record source keeps (core/limits.ts). */
export { MAX_TEXT_LENGTH };

/**
 * How many diagnostics of one record are held back waiting for its PMID. Past that they
 * go out at once, without it: a record of a million bad lines must not hold a million.
 */
const MAX_HELD_DIAGNOSTICS = 1000;

/** A field being assembled: continuation lines are appended until the next tag line. */
interface OpenField {
  readonly tag: string;
  value: string;
  readonly line: number;
  readonly column: number;
}

export class MedlineTokenizer {
  private readonly handlers: TokenizerHandlers;

  // Line splitting state
  private partial: string[] = [];
  private skipLeadingLF = false;
  private lineNumber = 0;
  /** Offset in the decoded stream of the first character of the next chunk. */
  private streamOffset = 0;
  /** Offset in the decoded stream where the unfinished line (`partial`) begins. */
  private partialOffset = 0;
  private notes: OffsetNote[] = [];
  private ended = false;
  /** The kept start of a line too long to read whole. */
  private skippedBytes: Uint8Array | null = null;
  private skippedText: string | null = null;

  // Byte input (`writeBytes`): lines are found in the bytes and decoded one by one, so that
  // an ASCII line becomes a one-byte string whatever the rest of the input holds
  private readonly decode: Utf8Decode;
  private readonly maxText: number;
  /** Bytes of the input before the current chunk. */
  private byteOffset: number;
  /** The unfinished line's bytes, and where it starts in the input. */
  private partialBytes: Uint8Array[] = [];
  private partialByteOffset = 0;
  /** Length of the unfinished line so far (bytes or code units), and whether it is being skipped. */
  private partialLength = 0;
  private skippingLine = false;

  // Record assembly state
  private fields: RawField[] = [];
  private field: OpenField | null = null;
  /** The open field's lines so far, once it has a continuation line, and their length. */
  private continued: string[] | null = null;
  private continuedLength = 0;
  private recordLine = 0;
  private recordPmid: string | null = null;
  /** Diagnostics of the open record, held back until its PMID is known. */
  private recordDiagnostics: Array<Omit<Diagnostic, 'pmid'>> = [];
  /** A white-space-only line seen inside a record: a separator, unless a continuation follows. */
  private deferredBlank = false;
  private recordCount = 0;
  private sawText = false;

  constructor(
    handlers: TokenizerHandlers,
    private readonly options: TokenizerOptions = {},
  ) {
    this.handlers = handlers;
    this.decode = options.decodeUtf8 ?? decodeUtf8;
    this.maxText = options.maxTextLength ?? MAX_TEXT_LENGTH;
    this.byteOffset = options.byteOffset ?? 0;
  }

  /** Number of records emitted so far. */
  get records(): number {
    return this.recordCount;
  }

  /** Number of lines read so far. */
  get lines(): number {
    return this.lineNumber;
  }

  /** Whether any line so far held text other than white space. */
  get sawAnyText(): boolean {
    return this.sawText;
  }

  /**
   * Attaches diagnostics found by the decoder to positions not yet tokenized; each is
   * reported with its line and column once the tokenizer reaches it.
   */
  note(notes: readonly OffsetNote[]): void {
    for (const n of notes) this.notes.push(n);
  }

  write(text: string): void {
    if (this.ended) throw new Error('MedlineTokenizer: write() after end()');
    const n = text.length;
    if (n === 0) return;
    let start = 0;
    if (this.skipLeadingLF) {
      this.skipLeadingLF = false;
      if (text.charCodeAt(0) === LF) start = 1;
    }
    // each search runs once past each line end: no rescanning, whether lines end in LF or CR
    let cr = text.indexOf('\r', start);
    if (cr === -1) cr = n;
    let lf = text.indexOf('\n', start);
    if (lf === -1) lf = n;
    while (start < n) {
      if (lf < start) {
        lf = text.indexOf('\n', start);
        if (lf === -1) lf = n;
      }
      if (cr < start) {
        cr = text.indexOf('\r', start);
        if (cr === -1) cr = n;
      }
      const end = cr < lf ? cr : lf;
      if (end === n) break;
      if (this.skippingLine || (this.partial.length > 0 ? this.partialLength : 0) + end - start > this.maxText) {
        // too long, whether it came in pieces or in one chunk: the same either way
        if (!this.skippingLine) {
          if (this.partial.length === 0) {
            this.partialOffset = this.streamOffset + start;
            this.partialLength = 0;
          }
          this.partial.push(text.slice(start, Math.min(end, start + this.maxText)));
          this.partialLength += end - start;
          this.startSkipping();
        } else {
          this.partialLength += end - start;
        }
        this.skippedLine();
      } else if (this.partial.length > 0) {
        const line = this.takePartial(text.slice(start, end));
        this.line(line, 0, line.length, this.partialOffset);
      } else {
        this.line(text, start, end, this.streamOffset + start);
      }
      start = end + 1;
      if (end === cr) {
        if (start < n) {
          if (text.charCodeAt(start) === LF) start++;
        } else {
          this.skipLeadingLF = true;
        }
      }
    }
    if (start < n) {
      if (this.skippingLine) this.partialLength += n - start;
      else {
        if (this.partial.length === 0) {
          this.partialOffset = this.streamOffset + start;
          this.partialLength = 0;
        }
        this.partial.push(start === 0 ? text : text.slice(start));
        this.partialLength += n - start;
        if (this.partialLength > this.maxText) this.startSkipping();
      }
    }
    this.streamOffset += n;
  }

  /**
   * UTF-8 bytes in, in chunks of any size (the same tokenizer state as `write`, which a
   * caller should not mix with this). A U+FEFF that starts the first line is dropped, as in `write`.
   */
  writeBytes(bytes: Uint8Array): void {
    if (this.ended) throw new Error('MedlineTokenizer: writeBytes() after end()');
    const n = bytes.length;
    if (n === 0) return;
    let start = 0;
    if (this.skipLeadingLF) {
      this.skipLeadingLF = false;
      if (bytes[0] === LF) start = 1;
    }
    let cr = bytes.indexOf(CR, start);
    if (cr === -1) cr = n;
    let lf = bytes.indexOf(LF, start);
    if (lf === -1) lf = n;
    while (start < n) {
      if (lf < start) {
        lf = bytes.indexOf(LF, start);
        if (lf === -1) lf = n;
      }
      if (cr < start) {
        cr = bytes.indexOf(CR, start);
        if (cr === -1) cr = n;
      }
      const end = cr < lf ? cr : lf;
      if (end === n) break;
      if (this.skippingLine || (this.partialBytes.length > 0 ? this.partialLength : 0) + end - start > this.maxText) {
        if (!this.skippingLine) {
          if (this.partialBytes.length === 0) {
            this.partialByteOffset = this.byteOffset + start;
            this.partialLength = 0;
          }
          // a copy: the caller may reuse its buffer
          this.partialBytes.push(new Uint8Array(bytes.subarray(start, Math.min(end, start + this.maxText))));
          this.partialLength += end - start;
          this.startSkipping();
        } else {
          this.partialLength += end - start;
        }
        this.skippedLine();
      } else if (this.partialBytes.length > 0) {
        this.partialBytes.push(bytes.subarray(start, end));
        const line = joinBytes(this.partialBytes);
        this.partialBytes = [];
        this.byteLine(line, 0, line.length, this.partialByteOffset);
      } else {
        this.byteLine(bytes, start, end, this.byteOffset + start);
      }
      start = end + 1;
      if (end === cr) {
        if (start < n) {
          if (bytes[start] === LF) start++;
        } else {
          this.skipLeadingLF = true;
        }
      }
    }
    if (start < n) {
      if (this.skippingLine) this.partialLength += n - start;
      else {
        if (this.partialBytes.length === 0) {
          this.partialByteOffset = this.byteOffset + start;
          this.partialLength = 0;
        }
        // a copy, the caller may reuse its buffer (`new Uint8Array(view)` copies; the slice()
        // of a Node Buffer, which the bytes often are, would not)
        this.partialBytes.push(new Uint8Array(bytes.subarray(start)));
        this.partialLength += n - start;
        if (this.partialLength > this.maxText) this.startSkipping();
      }
    }
    this.byteOffset += n;
  }

  /** One line of UTF-8 bytes, starting at `byteOffset` in the input. */
  private byteLine(bytes: Uint8Array, from: number, to: number, byteOffset: number): void {
    if (this.notes.length === 0 && this.taggedByteLine(bytes, from, to)) return;
    const text = this.decode(bytes, from, to);
    const offset = this.streamOffset;
    // the offsets only need to agree within the line: its invalid bytes are resolved right away
    this.streamOffset += text.length + 1;
    if (text.indexOf('\uFFFD') !== -1) {
      for (const bad of invalidSequences(bytes, from, to)) {
        this.notes.push({
          offset: offset + bad.char,
          code: 'INVALID_UTF8',
          message: invalidUtf8Message(bytes, from + bad.byte, bad.length, byteOffset + bad.byte),
        });
      }
    }
    this.line(text, 0, text.length, offset);
  }

  /**
   * The usual line, `TAG - value` in PubMed's layout (2–4 capitals padded to the dash in
   * column 5, one space): read from the bytes, only the value decoded. Anything else, or a
   * value that needs a closer look (invalid UTF-8, a possible flattened record), is left to
   * the general path, which reads it the same way: false then, and nothing changed.
   */
  private taggedByteLine(bytes: Uint8Array, from: number, to: number): boolean {
    if (to - from < 6 || bytes[from + 4] !== DASH || bytes[from + 5] !== SPACE) return false;
    if (!isUpper(bytes[from]!) || !isUpper(bytes[from + 1]!)) return false;
    let tagEnd = from + 2;
    while (tagEnd < from + 4 && isUpper(bytes[tagEnd]!)) tagEnd++;
    for (let i = tagEnd; i < from + 4; i++) if (bytes[i] !== SPACE) return false;
    let start = from + 6;
    while (start < to && isBlank(bytes[start]!)) start++;
    let end = to;
    while (end > start && isBlank(bytes[end - 1]!)) end--;
    const value = this.decode(bytes, start, end);
    if (value.indexOf('\uFFFD') !== -1 || value.indexOf('- ') !== -1) return false;
    const lineNumber = ++this.lineNumber;
    // ASCII before and after the value: one character a byte
    this.streamOffset += start - from + value.length + (to - end) + 1;
    this.sawText = true;
    this.flushBlank();
    this.startField(tagNameOfBytes(bytes, from, tagEnd), value, lineNumber, 1);
    return true;
  }

  /** The unfinished line is too long: its first MAX_TEXT_LENGTH are kept, the rest skipped. */
  private startSkipping(): void {
    this.skippingLine = true;
    if (this.partialBytes.length > 0) {
      const kept = joinBytes(this.partialBytes).subarray(0, this.maxText);
      this.partialBytes = [];
      this.skippedBytes = kept;
    } else {
      this.skippedText = this.partial.join('').slice(0, this.maxText);
      this.partial = [];
    }
  }

  /** A too-long line ends (`partialLength` long in all): its kept start is read as a line. */
  private skippedLine(): void {
    const length = this.partialLength;
    this.skippingLine = false;
    this.partialLength = 0;
    const bytes = this.skippedBytes;
    const text = this.skippedText;
    this.skippedBytes = null;
    this.skippedText = null;
    if (bytes !== null) this.byteLine(bytes, 0, bytes.length, this.partialByteOffset);
    else if (text !== null) this.line(text, 0, text.length, this.partialOffset);
    this.report(
      'TOO_LONG',
      `line of ${length.toLocaleString('en-US')} ${bytes !== null ? 'bytes' : 'characters'}: only the first ${this.maxText.toLocaleString('en-US')} were read, the rest was skipped`,
      this.lineNumber,
      this.maxText + 1,
    );
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.skippingLine) this.skippedLine();
    if (this.partialBytes.length > 0) {
      const line = joinBytes(this.partialBytes);
      this.partialBytes = [];
      this.byteLine(line, 0, line.length, this.partialByteOffset);
    }
    if (this.partial.length > 0) {
      const line = this.takePartial('');
      this.line(line, 0, line.length, this.partialOffset);
    }
    this.flushBlank();
    this.closeRecord();
    for (const note of this.notes) this.emit(note.code, note.message, this.lineNumber, 0, null);
    this.notes = [];
    if (this.recordCount === 0 && this.sawText && !this.options.part) {
      this.emit('NO_RECORDS', 'no MEDLINE record found: this input does not look like MEDLINE text', 0, 0, null, 'error');
    }
  }

  private takePartial(last: string): string {
    this.partial.push(last);
    const line = this.partial.join('');
    this.partial = [];
    return line;
  }

  // ---- lines -------------------------------------------------------------------------

  /** One line: `s` from `from` to `to` (exclusive), which starts at `offset` in the stream. */
  private line(s: string, from: number, to: number, offset: number): void {
    const lineNumber = ++this.lineNumber;
    // a BOM is no text: at the start of the input, or of a file concatenated after another
    // (`cat a.nbib b.nbib`), where it would hide the PMID line behind it
    while (from < to && s.charCodeAt(from) === BOM) {
      from++;
      offset++;
    }
    if (this.notes.length > 0) this.resolveNotes(to - from, offset, lineNumber);
    if (from === to) return this.blankLine();
    const c0 = s.charCodeAt(from);
    // a line of blanks of any kind (a vertical tab, a form feed) is white space, as one of spaces is
    if (c0 !== SPACE && c0 !== TAB && isBlank(c0)) {
      let i = from + 1;
      while (i < to && isBlank(s.charCodeAt(i))) i++;
      if (i === to) return this.whitespaceLine();
    }
    if (c0 === SPACE || c0 === TAB) {
      let i = from + 1;
      while (i < to && isBlank(s.charCodeAt(i))) i++;
      if (i === to) return this.whitespaceLine();
      const open = this.field;
      const noContinuation = open === null || ONE_LINE_TAGS.has(open.tag);
      // a displaced tag line (a hand edit, a paste): indented, but a tag line where no
      // continuation can be (no open field, one that never wraps), or a well-formed line of a
      // known tag indented otherwise than PubMed's six spaces
      if (noContinuation ? tagLineShape(s, i, to) : !sixSpaces(s, from, i) && knownTagLine(s, i, to)) {
        this.sawText = true;
        this.flushBlank();
        this.report('INDENTED_TAG_LINE', `an indented line that is a ${tagName(s, i, tagEnd(s, i, to))} line: read as one`, lineNumber, i - from + 1);
        this.tagLine(s, i, to, lineNumber);
        return;
      }
      if (open !== null && noContinuation) {
        this.sawText = true;
        this.flushBlank();
        return this.malformedLine(s.slice(i, trimmedEnd(s, i, to)), lineNumber, `${open.tag} never wraps, so this indented line is not part of it`);
      }
      return this.continuation(s.slice(i, trimmedEnd(s, i, to)), lineNumber, i - from + 1);
    }
    this.sawText = true;
    this.flushBlank();
    if (isUpper(c0) && this.tagLine(s, from, to, lineNumber)) return;
    this.malformedLine(s.slice(from, trimmedEnd(s, from, to)), lineNumber);
  }

  private resolveNotes(length: number, offset: number, lineNumber: number): void {
    const lineEnd = offset + length;
    let i = 0;
    while (i < this.notes.length && this.notes[i]!.offset <= lineEnd) {
      const note = this.notes[i]!;
      this.report(note.code, note.message, lineNumber, Math.max(1, note.offset - offset + 1));
      i++;
    }
    if (i > 0) this.notes = this.notes.slice(i);
  }

  /** Reads `TAG - value` (and the squeezed or mis-padded variants); false if it is not one. */
  private tagLine(s: string, from: number, to: number, lineNumber: number): boolean {
    let i = from + 1;
    while (i < to && isUpper(s.charCodeAt(i))) i++;
    const tagLength = i - from;
    if (tagLength < 2 || tagLength > 4) return false;
    const tagEnd = i;
    while (i < to && s.charCodeAt(i) === SPACE) i++;
    if (i >= to || s.charCodeAt(i) !== DASH) return false;
    const dash = i - from;
    const tag = tagName(s, from, tagEnd);
    let valueStart = i + 1;
    if (valueStart < to && !isBlank(s.charCodeAt(valueStart))) {
      this.report('SQUEEZED_SEPARATOR', `no space after the dash of tag ${tag}`, lineNumber, dash + 2);
    }
    // `PMID-\t 123`: no value starts with white space
    while (valueStart < to && isBlank(s.charCodeAt(valueStart))) valueStart++;
    // ERIC pads a four-letter tag with one space (`ISSN - `, `ISBN - `): its normal layout
    if (dash !== 4 && !(tagLength === 4 && dash === 5)) {
      this.report(
        'IRREGULAR_PADDING',
        `tag ${tag} is not padded to four characters (dash in column ${dash + 1}, expected 5)`,
        lineNumber,
        dash + 1,
      );
    }
    const value = s.slice(valueStart, trimmedEnd(s, valueStart, to));
    if (value.indexOf('- ') !== -1 && this.flattened(tag, value, valueStart - from, lineNumber)) return true;
    this.startField(tag, value, lineNumber, 1);
    return true;
  }

  /**
   * A line that carries a whole record whose line breaks were lost: `PMID- 1 OWN - NLM …`.
   * Field boundaries are the known tags followed by `- ` (or ` - ` after a short tag);
   * FLATTENED_MIN_MARKERS of them must follow the first tag before the line is taken apart.
   */
  private flattened(firstTag: string, value: string, valueStart: number, lineNumber: number): boolean {
    const cuts = findTagMarkers(value);
    if (cuts.length < FLATTENED_MIN_MARKERS) return false;
    this.report(
      'FLATTENED_RECORD',
      `line breaks were lost: ${cuts.length + 1} fields recovered from one line`,
      lineNumber,
      1,
    );
    this.startField(firstTag, value.slice(0, trimmedEnd(value, 0, cuts[0]!.at)), lineNumber, 1);
    for (let k = 0; k < cuts.length; k++) {
      const cut = cuts[k]!;
      const next = k + 1 < cuts.length ? cuts[k + 1]!.at : value.length;
      const fieldValue = value.slice(cut.valueAt, next).trim();
      this.startField(cut.tag, fieldValue, lineNumber, valueStart + cut.at + 2);
    }
    return true;
  }

  private continuation(content: string, lineNumber: number, column: number): void {
    this.deferredBlank = false;
    const field = this.field;
    if (field !== null) {
      // joined once when the field closes: a flat string, where `+` would build a rope
      if (this.continued === null) {
        this.continued = field.value.length === 0 ? [] : [field.value];
        this.continuedLength = field.value.length;
      }
      if (this.continuedLength > this.maxText) return; // already cut and reported
      const grown = this.continuedLength + (this.continued.length > 0 ? 1 : 0) + content.length;
      if (grown > this.maxText) {
        this.continuedLength = Infinity;
        this.report(
          'TOO_LONG',
          `the value of ${field.tag} would grow past ${this.maxText.toLocaleString('en-US')} characters: this line and the rest of the value were skipped`,
          lineNumber,
          column,
        );
        return;
      }
      this.continued.push(content);
      this.continuedLength = grown;
      return;
    }
    this.sawText = true;
    this.report('TEXT_OUTSIDE_RECORD', `indented text outside any record was skipped: "${preview(content)}"`, lineNumber, column);
  }

  private malformedLine(text: string, lineNumber: number, why = 'not a tag line nor an indented continuation'): void {
    this.flushBlank();
    if (this.field === null && this.fields.length === 0) {
      this.report('TEXT_OUTSIDE_RECORD', `text outside any record was skipped: "${preview(text)}"`, lineNumber, 1);
      return;
    }
    this.report('MALFORMED_LINE', `${why}, kept in extra.${MALFORMED_TAG}: "${preview(text)}"`, lineNumber, 1);
    this.startField(MALFORMED_TAG, text, lineNumber, 1);
  }

  private blankLine(): void {
    this.deferredBlank = false;
    this.closeRecord();
  }

  private whitespaceLine(): void {
    if (this.field !== null) this.deferredBlank = true;
  }

  private flushBlank(): void {
    if (this.deferredBlank) {
      this.deferredBlank = false;
      this.closeRecord();
    }
  }

  // ---- records -----------------------------------------------------------------------

  private startField(tag: string, value: string, lineNumber: number, column: number): void {
    this.flushBlank();
    if (tag === 'PMID') {
      if (this.recordPmid !== null) {
        this.report(
          'MISSING_BLANK_LINE',
          `a new record (PMID ${value}) starts without a blank line after PMID ${this.recordPmid}`,
          lineNumber,
          column,
        );
        this.closeRecord();
      }
      this.recordPmid = value;
    }
    this.closeField();
    if (this.fields.length === 0) this.recordLine = lineNumber;
    if (!TAG_INFO.has(tag) && tag !== MALFORMED_TAG) {
      this.report('UNKNOWN_TAG', `unknown tag ${tag}, kept in extra.${tag}`, lineNumber, column);
    }
    this.field = { tag, value, line: lineNumber, column };
  }

  private closeField(): void {
    const field = this.field;
    if (field === null) return;
    if (this.continued !== null) {
      field.value = this.continued.join(' ');
      this.continued = null;
    }
    this.fields.push(field);
    this.field = null;
  }

  private closeRecord(): void {
    this.closeField();
    const pmid = this.recordPmid;
    this.releaseHeld();
    if (this.fields.length === 0) return;
    const record: RawRecord = { fields: this.fields, line: this.recordLine, pmid };
    this.fields = [];
    this.recordPmid = null;
    this.recordCount++;
    this.handlers.onRecord(record);
  }

  // ---- diagnostics -------------------------------------------------------------------

  /** Reports a problem in the current record; it is emitted with the record's PMID. */
  private report(code: DiagnosticCode, message: string, line: number, column: number): void {
    const severity = 'warning';
    if (this.fields.length === 0 && this.field === null && code === 'TEXT_OUTSIDE_RECORD') {
      this.emit(code, message, line, column, null, severity);
      return;
    }
    if (this.recordPmid !== null || this.recordDiagnostics.length >= MAX_HELD_DIAGNOSTICS) {
      // the PMID is known (or too long in coming): out at once, in order
      this.releaseHeld();
      this.emit(code, message, line, column, this.recordPmid, severity);
      return;
    }
    this.recordDiagnostics.push({ code, severity, message, line, column });
  }

  /** Sends the diagnostics held for the open record, with its PMID if known by now. */
  private releaseHeld(): void {
    if (this.recordDiagnostics.length === 0) return;
    const pmid = this.recordPmid;
    for (const d of this.recordDiagnostics) this.handlers.onDiagnostic({ ...d, pmid });
    this.recordDiagnostics = [];
  }

  private emit(
    code: DiagnosticCode,
    message: string,
    line: number,
    column: number,
    pmid: string | null,
    severity: 'warning' | 'error' = 'warning',
  ): void {
    this.handlers.onDiagnostic({ code, severity, message, line, column, pmid });
  }
}

/** The white space the tokenizer trims: space, tab, CR, vertical tab, form feed. */
export const isBlank = (c: number): boolean => c === SPACE || c === TAB || c === CR || c === 0x0b || c === 0x0c;

/** Where `s[from, to)` ends once trailing white space is left out. */
function trimmedEnd(s: string, from: number, to: number): number {
  while (to > from && isBlank(s.charCodeAt(to - 1))) to--;
  return to;
}

/** Whether `s[from, to)` is exactly PubMed's continuation indent, six spaces. */
function sixSpaces(s: string, from: number, to: number): boolean {
  if (to - from !== 6) return false;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== SPACE) return false;
  return true;
}

/** What `tagLine` reads as a tag line: 2–4 capitals, blanks, a dash (squeezed or mis-padded too). */
function tagLineShape(s: string, from: number, to: number): boolean {
  const end = tagEnd(s, from, to);
  if (end - from < 2 || end - from > 4) return false;
  let i = end;
  while (i < to && s.charCodeAt(i) === SPACE) i++;
  return i < to && s.charCodeAt(i) === DASH;
}

/** Where the capitals that start `s[from, to)` end. */
function tagEnd(s: string, from: number, to: number): number {
  let i = from;
  while (i < to && i - from < 5 && isUpper(s.charCodeAt(i))) i++;
  return i;
}

/** `TAG - value` in PubMed's exact layout (dash in column 5, then a space or the end), of a known tag. */
function knownTagLine(s: string, from: number, to: number): boolean {
  const end = tagEnd(s, from, to);
  const length = end - from;
  if (length < 2 || length > 4) return false;
  for (let i = end; i < from + 4; i++) if (i >= to || s.charCodeAt(i) !== SPACE) return false;
  const dash = from + 4;
  if (dash >= to || s.charCodeAt(dash) !== DASH) return false;
  if (dash + 1 < to && s.charCodeAt(dash + 1) !== SPACE) return false;
  return TAG_INFO.has(tagName(s, from, end));
}

/** Tags as shared strings: one per tag, not one per line. Keyed by the letters' codes. */
const TAG_NAMES = new Map<number, string>();

function tagName(s: string, from: number, to: number): string {
  let key = 0;
  for (let i = from; i < to; i++) key = key * 32 + (s.charCodeAt(i) - 64);
  let name = TAG_NAMES.get(key);
  if (name === undefined) {
    name = s.slice(from, to);
    TAG_NAMES.set(key, name);
  }
  return name;
}

function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `tagName` for a tag read from bytes (ASCII capitals). */
function tagNameOfBytes(bytes: Uint8Array, from: number, to: number): string {
  let key = 0;
  for (let i = from; i < to; i++) key = key * 32 + (bytes[i]! - 64);
  let name = TAG_NAMES.get(key);
  if (name === undefined) {
    name = String.fromCharCode(...bytes.subarray(from, to));
    TAG_NAMES.set(key, name);
  }
  return name;
}

function preview(text: string): string {
  return text.length > 60 ? text.slice(0, 57) + '...' : text;
}

/**
 * How many known tags must follow the first one on a line before it is read as a
 * flattened record: three, so that a value quoting a tag or two (`… CI - 0.5 …`) stays whole.
 */
export const FLATTENED_MIN_MARKERS = 3;

export interface TagMarker {
  tag: string;
  /** Index in the value of the space before the tag. */
  at: number;
  /** Index in the value where the field's value begins. */
  valueAt: number;
}

/** Finds ` TAG - ` / ` TAGG- ` boundaries of known tags in a flattened line. */
export function findTagMarkers(value: string): TagMarker[] {
  const markers: TagMarker[] = [];
  let from = 0;
  for (;;) {
    const dash = value.indexOf('- ', from);
    if (dash === -1) break;
    from = dash + 2;
    let tagEnd = dash;
    while (tagEnd > 0 && value.charCodeAt(tagEnd - 1) === SPACE && dash - tagEnd < 2) tagEnd--;
    let tagStart = tagEnd;
    while (tagStart > 0 && isUpper(value.charCodeAt(tagStart - 1)) && tagEnd - tagStart < 4) tagStart--;
    const tagLen = tagEnd - tagStart;
    if (tagLen < 2 || tagStart === 0 || value.charCodeAt(tagStart - 1) !== SPACE) continue;
    // a four-letter tag is written `STAT- x`; a shorter one `LR - x` (or `LR  - x`)
    if ((tagLen === 4) !== (tagEnd === dash)) continue;
    const tag = value.slice(tagStart, tagEnd);
    if (!FLATTENED_MARKER_TAGS.has(tag)) continue;
    markers.push({ tag, at: tagStart - 1, valueAt: dash + 2 });
  }
  return markers;
}
