/**
 * What every output format implements, in two steps. `prepare` turns one citation into a
 * piece of output with no run state at all, so it can run on any thread; `finish` puts the
 * piece in the output with the run's state (whether a separator is due, the citation keys
 * and ids used so far). `begin` and `end` open and close the output. One citation at a
 * time: output starts before input ends and memory stays flat.
 */
import type { Citation } from '../types.js';

export interface Formatter<Piece = unknown> {
  /** Text that opens the output (a CSV header, `[`); may be empty. */
  begin(): string;
  /** The citation's output, as far as it can be made alone. Pure; the piece is structured-cloneable. */
  prepare(citation: Citation): Piece;
  /** The piece's text in this run (separators, unique keys). */
  finish(piece: Piece): string;
  /** Text that closes the output (`]`); may be empty. */
  end(): string;
}

/** prepare + finish: the text of one citation in this run. */
export function formatCitation<P>(formatter: Formatter<P>, citation: Citation): string {
  return formatter.finish(formatter.prepare(citation));
}

/** A formatter whose pieces are final text already. */
export function textFormatter(prepare: (c: Citation) => string, begin = '', end = ''): Formatter<string> {
  return { begin: () => begin, prepare, finish: (text) => text, end: () => end };
}
