/**
 * What every output format implements. `prepare` turns one citation into a piece of output
 * with no run state at all, so it can run on any thread; `finish` settles what needs the
 * run's state (unique citation keys and ids), and is the identity for `plain` formats.
 * Pieces are joined with `separator`; `begin` and `end` open and close the output. One
 * citation at a time: output starts before input ends and memory stays flat.
 */
import type { Citation } from '../types.js';

export interface Formatter<Piece = unknown> {
  /** Text that opens the output (a CSV header, `[`); may be empty. */
  begin(): string;
  /** The citation's output, as far as it can be made alone. Pure; the piece is structured-cloneable. */
  prepare(citation: Citation): Piece;
  /** The piece's text in this run (unique keys and ids). */
  finish(piece: Piece): string;
  /** Text between the output of two citations (`,\n` in a JSON array). */
  readonly separator: string;
  /** True when pieces are final text (`finish` is the identity): a worker may join and encode them. */
  readonly plain: boolean;
  /** Text that closes the output (`]`), given how many citations were written. */
  end(count: number): string;
}

/** The whole output for a list of citations: what the command writes, at once. */
export function formatAll<P>(formatter: Formatter<P>, citations: Iterable<Citation>): string {
  const parts: string[] = [];
  for (const c of citations) parts.push(formatter.finish(formatter.prepare(c)));
  return formatter.begin() + parts.join(formatter.separator) + formatter.end(parts.length);
}

/** The text of one citation, alone. */
export function formatCitation<P>(formatter: Formatter<P>, citation: Citation): string {
  return formatter.finish(formatter.prepare(citation));
}

/** A formatter whose pieces are final text already. */
export function textFormatter(prepare: (c: Citation) => string, begin = ''): Formatter<string> {
  return { begin: () => begin, prepare, finish: (text) => text, separator: '', plain: true, end: () => '' };
}
