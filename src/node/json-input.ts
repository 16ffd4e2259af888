/**
 * medline's own JSON as input: NDJSON, the JSON array, or the pretty objects `jq` prints,
 * so that `medline *.txt --to ndjson | jq -c 'select(…)' | medline --to bibtex` works.
 * The bytes are cut into top-level JSON values as they stream (a top-level array is
 * looked into), each value is checked against schema/citation.schema.json, and a value
 * that fails is reported with its line and skipped. Memory holds one value at a time.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ValidateFunction } from 'ajv';
import type { Citation, Diagnostic, RecordKey } from '../types.js';
import { PieceCollector, type KeyKind } from './pieces.js';
import { InputDecoder, type InputEncoding } from './decoder.js';
import { NoteLocator } from './note-locator.js';
import type { OffsetNote } from '../core/tokenizer.js';
import { LIMITS, type Limits } from '../core/limits.js';
import { CompactReader } from './json-defaults.js';

let validator: ValidateFunction | null = null;
let compactReader: CompactReader | null = null;

/** The schema, compiled once, on first use (ajv is loaded then: MEDLINE runs never pay for it). */
function validate(): ValidateFunction {
  if (validator === null) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    const schema: unknown = JSON.parse(readFileSync(new URL('../../schema/citation.schema.json', import.meta.url), 'utf8'));
    validator = new Ajv({ allErrors: false, strict: false }).compile(schema as object);
    compactReader = new CompactReader(schema as ConstructorParameters<typeof CompactReader>[0]);
  }
  return validator;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const BOM = 0xfeff;

/** Text decoded at once: well below V8's large-object size, as for XML. */
const TEXT_SLICE = 16 * 1024;

export class JsonPieceMaker<P> {
  records = 0;
  lines = 0;
  sawAnyText = false;
  private readonly collected: PieceCollector<P>;
  /** The text of the value being read, its length, and the line it starts on. */
  private value: string[] = [];
  private valueLength = 0;
  private valueLine = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside the one top-level array (`[ {…}, {…} ]`): its elements are the values. */
  private inArray = false;
  private arrayDone = false;
  /** The previous character ended a line: a `{` in column 1 inside a value means that value broke off. */
  private atLineStart = false;
  /** Text that is no JSON value was met: the rest of its line is skipped (one message a line). */
  private skippingLine = false;
  /** The value went past a bound (core/limits.ts): read to its end and dropped. */
  private dropping = false;
  /** Bytes to text as for every input: a BOM picks UTF-8 or UTF-16, invalid UTF-8 is reported, binary data refused. */
  private readonly decoder: InputDecoder;
  private readonly notes = new NoteLocator();

  constructor(
    prepare: ((citation: Citation, line: number) => P) | null,
    private readonly onDiagnostic: (d: Diagnostic) => void,
    private readonly options: { readonly raw: boolean; readonly keys?: KeyKind; readonly encoding?: InputEncoding | null },
    private readonly limits: Limits = LIMITS,
  ) {
    this.collected = new PieceCollector(prepare, options.keys ?? false);
    this.decoder = new InputDecoder(options.encoding ?? null, null, 'citations in JSON');
  }

  /** Throws BinaryInputError for a binary input. */
  write(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; at += TEXT_SLICE) this.pass(this.decoder.write(bytes.subarray(at, at + TEXT_SLICE)));
  }

  end(): void {
    this.pass(this.decoder.end());
    if (this.depth > 0 && !this.dropping) this.report('INVALID_CITATION', 'the input ends inside a JSON value: it was skipped', this.valueLine);
    if (this.inArray) this.report('INVALID_CITATION', 'the input ends inside a JSON array (no closing ])', this.lines + 1);
  }

  private pass(chunk: { text: string; notes: readonly OffsetNote[] }): void {
    this.notes.pass(chunk.text, chunk.notes, this.lines, this.onDiagnostic);
    if (chunk.text.length > 0) this.scan(chunk.text);
  }

  /** Cuts the text into top-level values, keeping the state of an unfinished one for the next piece. */
  private scan(text: string): void {
    let start = -1;
    for (let i = 0; i < text.length; i++) {
      const b = text.charCodeAt(i);
      const lineStart = this.atLineStart;
      this.atLineStart = b === LF;
      if (b === LF) {
        this.lines++;
        if (this.skippingLine && this.depth === 0) {
          this.skippingLine = false;
          continue;
        }
      }
      if (this.skippingLine && this.depth === 0) continue;
      // no JSON value medline writes (nor jq prints) has `{` in column 1 inside it: the value
      // before it broke off (a cut line of NDJSON); it is reported, and this one is read
      if (this.depth > 0 && lineStart && b === OPEN_BRACE) {
        if (!this.dropping) this.report('INVALID_CITATION', 'not valid JSON (the value breaks off at the end of its line); skipped', this.valueLine);
        this.resetValue();
        start = -1;
      }
      if (this.depth > 0) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (b === BACKSLASH) this.escaped = true;
          else if (b === QUOTE) this.inString = false;
          continue;
        }
        if (b === QUOTE) this.inString = true;
        else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          if (++this.depth > this.limits.maxDepth && !this.dropping) {
            this.drop('TOO_DEEP', `values nest deeper than ${this.limits.maxDepth}: the value was skipped`);
            start = -1;
          }
        } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          if (--this.depth === 0) {
            if (!this.dropping) this.keep(text.slice(start === -1 ? 0 : start, i + 1));
            start = -1;
            this.finishValue();
          }
        }
        continue;
      }
      // between values: blanks, the commas of an array, its brackets
      if (b === 0x20 || b === 0x09 || b === 0x0d || b === LF || b === BOM) continue;
      if (b === 0x2c && this.inArray) continue;
      if (b === OPEN_BRACKET && !this.inArray && !this.arrayDone && this.records === 0 && this.value.length === 0) {
        // an empty array is what medline writes for no record: no text that gave nothing
        this.inArray = true;
        continue;
      }
      if (b === CLOSE_BRACKET && this.inArray) {
        this.inArray = false;
        this.arrayDone = true;
        continue;
      }
      this.sawAnyText = true;
      if (b === OPEN_BRACE) {
        this.depth = 1;
        this.valueLine = this.lines + 1;
        start = i;
        continue;
      }
      this.report('INVALID_CITATION', 'not a JSON object: the rest of the line was skipped', this.lines + 1);
      this.skippingLine = true;
    }
    // a value goes on in the next piece
    if (this.depth > 0 && !this.dropping) this.keep(text.slice(start === -1 ? 0 : start));
  }

  /** Text of the value being read; past maxTextLength the value is dropped, not held. */
  private keep(part: string): void {
    this.valueLength += part.length;
    if (this.valueLength > this.limits.maxTextLength) {
      this.drop('TOO_LONG', `a JSON value of more than ${this.limits.maxTextLength.toLocaleString('en-US')} characters: it was skipped`);
      return;
    }
    this.value.push(part);
  }

  private drop(code: 'TOO_LONG' | 'TOO_DEEP', message: string): void {
    this.dropping = true;
    this.value = [];
    this.onDiagnostic({ code, severity: 'error', message, line: this.valueLine, column: 1, pmid: null });
  }

  private resetValue(): void {
    this.value = [];
    this.valueLength = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.dropping = false;
  }

  get identified(): number {
    return this.collected.identified;
  }

  take(): P[] {
    return this.collected.take();
  }

  takeKeys(): RecordKey[] {
    return this.collected.takeKeys();
  }

  private finishValue(): void {
    const parts = this.value;
    const dropped = this.dropping;
    this.resetValue();
    if (dropped) return;
    const text = parts.length === 1 ? parts[0]! : parts.join('');
    let citation: Citation;
    try {
      citation = JSON.parse(text) as Citation;
    } catch (error) {
      return this.report('INVALID_CITATION', `not valid JSON (${(error as Error).message}); skipped`, this.valueLine);
    }
    // JSON has no Infinity, but 1e999 parses to it: no number a citation holds may be one
    // only a number with a huge exponent parses to Infinity: the walk is for those texts alone
    const infinite = /\d[eE]\+?\d{3}/.test(text) ? firstNonFinite(citation) : null;
    if (infinite !== null) return this.report('INVALID_CITATION', `not a medline citation at ${infinite}: a number too large to be finite (like 1e999); skipped`, this.valueLine, citation);
    const check = validate();
    // compact JSON (--compact): what it left out, put back before the check
    if (citation !== null && typeof citation === 'object' && !Array.isArray(citation)) compactReader!.fill(citation as unknown as Record<string, unknown>);
    if (!check(citation)) {
      const e = check.errors?.[0];
      const where = e?.instancePath ? ` at ${e.instancePath}` : '';
      return this.report('INVALID_CITATION', `not a medline citation${where}: ${e?.message ?? 'invalid'}; skipped`, this.valueLine, citation);
    }
    // `raw` goes out only when asked for, as from MEDLINE text
    if (!this.options.raw) delete citation.raw;
    withXmlFields(citation);
    this.records++;
    this.collected.add(citation, this.valueLine);
  }

  private report(code: 'INVALID_CITATION', message: string, line: number, value?: unknown): void {
    const pmid = (value as { pmid?: unknown } | undefined)?.pmid;
    this.onDiagnostic({ code, severity: 'warning', message, line, column: 1, pmid: typeof pmid === 'string' ? pmid : null });
  }
}

/** The JSON pointer of the first number that is not finite (`1e999` parses to Infinity), or null. */
function firstNonFinite(value: unknown, path = ''): string | null {
  if (typeof value === 'number') return Number.isFinite(value) ? null : path || '/';
  if (value === null || typeof value !== 'object') return null;
  for (const [key, v] of Object.entries(value)) {
    const found = firstNonFinite(v, `${path}/${key}`);
    if (found !== null) return found;
  }
  return null;
}

/**
 * JSON written before medline read PubMed XML lacks the fields only XML fills (the schema
 * allows that): they are given their empty values, as MEDLINE text gives them.
 */
function withXmlFields(c: Citation): void {
  c.references ??= [];
  c.majorKeywords ??= [];
  for (const heading of c.mesh) {
    heading.ui ??= null;
    for (const q of heading.qualifiers) q.ui ??= null;
  }
  for (const list of [c.authors, c.investigators, c.editors, c.personsAsSubject]) for (const p of list) p.affiliationIdentifiers ??= [];
}

export interface JsonStreamOptions {
  /** Keep `raw` when the JSON has it (default: dropped, as from MEDLINE text without --raw). */
  readonly raw?: boolean;
  /** Receives an INVALID_CITATION diagnostic for each value skipped. */
  readonly onDiagnostic?: (diagnostic: Diagnostic) => void;
}

/** Reads citations back from medline's JSON or NDJSON, one value at a time. */
export async function* parseCitationJson(input: AsyncIterable<Uint8Array | string>, options: JsonStreamOptions = {}): AsyncGenerator<Citation> {
  const maker = new JsonPieceMaker<Citation>((c) => c, (d) => options.onDiagnostic?.(d), { raw: options.raw === true });
  const encoder = new TextEncoder();
  for await (const chunk of input) {
    maker.write(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    yield* maker.take();
  }
  maker.end();
  yield* maker.take();
}
