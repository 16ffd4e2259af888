/**
 * What every record source gathers from its citations between two `take`s: the formatter's
 * pieces and, for --dedupe and --pmids, each record's key, in step.
 */
import type { Citation, RecordKey } from '../types.js';

/** What a record source keeps of each record for the selection: nothing, its PMID, or its whole key. */
export type KeyKind = boolean | 'pmid';
import { recordKey } from '../dedupe/keys.js';

export class PieceCollector<P> {
  /** Citations with something to find them by: a PMID, a title, a DOI or another identifier. */
  identified = 0;
  private pieces: P[] = [];
  private keys: RecordKey[] = [];

  constructor(
    private readonly prepare: ((citation: Citation, line: number) => P) | null,
    /** Which keys: none, the PMID alone (--pmids, --latest), or all --dedupe matches on. */
    private readonly withKeys: KeyKind,
  ) {}

  /** One citation, read from the input's line `line`. */
  add(citation: Citation, line: number): void {
    if (isIdentified(citation)) this.identified++;
    if (this.prepare !== null) this.pieces.push(this.prepare(citation, line));
    if (this.withKeys === 'pmid') this.keys.push({ pmid: citation.pmid, doi: null, line });
    else if (this.withKeys) this.keys.push(recordKey(citation, line));
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

/**
 * Whether a citation can be found again: a PMID, a title (in any language, or a book's), a
 * DOI, a PMC id or another identifier. An input whose every record has none is no MEDLINE
 * (a Markdown file with one tag-like line), whatever the tags said.
 */
export function isIdentified(c: Citation): boolean {
  return c.pmid !== null || c.title !== null || c.transliteratedTitle !== null || c.book?.title != null || c.ids.doi !== null || c.ids.pmc !== null || c.ids.other.length > 0;
}
