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
  return jsonArray((c) => JSON.stringify(c, null, indent));
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
  return textFormatter((c) => JSON.stringify(c) + '\n');
}
