/**
 * What every record source gathers from its citations between two `take`s: the formatter's
 * pieces and, for --dedupe and --pmids, each record's key, in step.
 */
import type { Citation, RecordKey } from '../types.js';

export class PieceCollector<P> {
  private pieces: P[] = [];
  private keys: RecordKey[] = [];

  constructor(
    private readonly prepare: ((citation: Citation) => P) | null,
    private readonly withKeys: boolean,
  ) {}

  /** One citation, read from the input's line `line`. */
  add(citation: Citation, line: number): void {
    if (this.prepare !== null) this.pieces.push(this.prepare(citation));
    if (this.withKeys) this.keys.push({ pmid: citation.pmid, doi: citation.ids.doi, line });
  }

  /** The pieces made since the last call. */
  take(): P[] {
    const pieces = this.pieces;
    this.pieces = [];
    return pieces;
  }

  /** The keys of the records read since the last call. */
  takeKeys(): RecordKey[] {
    const keys = this.keys;
    this.keys = [];
    return keys;
  }
}
