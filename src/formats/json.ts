/**
 * JSON (one array, streamed: one citation per line between the brackets, or indented with
 * `pretty`) and NDJSON (one citation per line, nothing else).
 */
import type { Citation } from '../types.js';
import type { Formatter } from './formatter.js';

export interface JsonOptions {
  /** Indent each citation by two spaces instead of writing it on one line. */
  readonly pretty?: boolean;
}

export function createJsonFormatter(options: JsonOptions = {}): Formatter {
  let count = 0;
  const indent = options.pretty ? 2 : undefined;
  return {
    begin: () => '[',
    format: (c: Citation) => (count++ === 0 ? '\n' : ',\n') + JSON.stringify(c, null, indent),
    end: () => (count === 0 ? ']\n' : '\n]\n'),
  };
}

export function createNdjsonFormatter(): Formatter {
  return {
    begin: () => '',
    format: (c: Citation) => JSON.stringify(c) + '\n',
    end: () => '',
  };
}
