/**
 * JSON (one array, streamed: one citation per line between the brackets, or indented with
 * `pretty`) and NDJSON (one citation per line, nothing else).
 */
import type { AbstractSection, Citation } from '../types.js';
import { splitAbstract } from '../citation/abstract.js';
import { textFormatter, type Formatter } from './formatter.js';

export interface JsonOptions {
  /** Indent each citation by two spaces instead of writing it on one line. */
  readonly pretty?: boolean;
  /** Leave out null, false and empty values, and abstract sections the abstract gives again (compactJson). */
  readonly compact?: boolean;
}

export function createJsonFormatter(options: JsonOptions = {}): Formatter<string> {
  const indent = options.pretty ? 2 : undefined;
  if (options.compact) return jsonArray((c) => lineSafe(compactJson(c, indent)));
  return jsonArray((c) => lineSafe(JSON.stringify(c, null, indent)));
}

/**
 * A citation without what reading it back restores: null, false, empty lists and objects
 * (the schema gives each key's empty value: node/json-input.ts fills them in), and the
 * abstract's sections when splitting the abstract gives them again. 64% of the bytes of the
 * full form on the corpus (65% from PubMed XML); medline reads both to the same citations.
 */
export function compactJson(c: Citation, indent?: number): string {
  // the sections are left out exactly when reading back gives them again from the abstract
  const derived = c.abstract === null ? [] : splitAbstract(c.abstract);
  const sectionsAgain = sameSections(c.abstractSections, derived);
  return JSON.stringify(
    c,
    function (this: unknown, key: string, value: unknown): unknown {
      if (this === c && key === 'abstractSections') return sectionsAgain ? undefined : value;
      // an element of a list keeps its place whatever it is
      if (Array.isArray(this)) return value;
      if (value === null || value === false) return undefined;
      if (Array.isArray(value)) return value.length === 0 ? undefined : value;
      if (typeof value === 'object' && nothingIn(value as Record<string, unknown>)) return undefined;
      return value;
    },
    indent,
  );
}

/** An object that compact JSON would write as `{}`: each value empty, at every depth. */
function nothingIn(object: Record<string, unknown>): boolean {
  for (const key in object) {
    const v = object[key];
    if (v === null || v === false || v === undefined) continue;
    if (Array.isArray(v)) {
      if (v.length > 0) return false;
    } else if (typeof v !== 'object' || !nothingIn(v as Record<string, unknown>)) return false;
  }
  return true;
}

function sameSections(a: readonly AbstractSection[], b: readonly AbstractSection[]): boolean {
  return a.length === b.length && a.every((s, i) => s.label === b[i]!.label && s.text === b[i]!.text);
}

/**
 * U+2028 and U+2029 written as `\u2028` and `\u2029`: valid JSON either way, but naive line
 * splitters (Python's `str.splitlines`, older JavaScript) break a line there. They stand only
 * inside strings, so the escape is the same character to any JSON reader.
 */
export function lineSafe(json: string): string {
  // indexOf, not a pattern: on a one-byte string (most records) V8 answers at once, and a
  // character-class scan was 10% of a run
  if (json.indexOf('\u2028') === -1 && json.indexOf('\u2029') === -1) return json;
  return json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A JSON array written one item at a time: `[`, one item a line, `]`. */
export function jsonArray(item: (c: Citation) => string): Formatter<string> {
  return {
    begin: () => '[\n',
    prepare: item,
    finish: (json) => json,
    separator: ',\n',
    plain: true,
    end: (count) => (count === 0 ? ']\n' : '\n]\n'),
  };
}

export function createNdjsonFormatter(options: JsonOptions = {}): Formatter<string> {
  if (options.compact) return textFormatter((c) => lineSafe(compactJson(c)) + '\n');
  return textFormatter((c) => lineSafe(JSON.stringify(c)) + '\n');
}
