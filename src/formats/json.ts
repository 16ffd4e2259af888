/**
 * JSON (one array, streamed: one citation per line between the brackets, or indented with
 * `pretty`) and NDJSON (one citation per line, nothing else).
 */
import type { Citation } from '../types.js';
import { textFormatter, type Formatter } from './formatter.js';

export interface JsonOptions {
  /** Indent each citation by two spaces instead of writing it on one line. */
  readonly pretty?: boolean;
}

export function createJsonFormatter(options: JsonOptions = {}): Formatter<string> {
  const indent = options.pretty ? 2 : undefined;
  return jsonArray((c) => lineSafe(JSON.stringify(c, null, indent)));
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

export function createNdjsonFormatter(): Formatter<string> {
  return textFormatter((c) => lineSafe(JSON.stringify(c)) + '\n');
}
