/**
 * `--latest`: the current version of every PMID of PubMed's baseline and update files. The
 * inputs are read newest first (the engine reverses them), so the first copy of a PMID met is
 * its latest version and is written; a later-met (older) copy is superseded; a PMID in a
 * DeleteCitation block is gone from the inputs before its own (older ones, met after), unless
 * a newer input added it again (met before). One pass, nothing held but which PMIDs are
 * decided: a bit each, in a bitmap grown to the largest PMID (PMIDs are below 2²⁷: 17 MB for
 * all of PubMed), and a bit more for those deleted.
 */
import { pmidNumber } from './keys.js';

/** A set of small non-negative integers as bits, grown to the largest added. */
class Bitmap {
  private bits = new Uint32Array(1 << 12);

  has(n: number): boolean {
    const word = n >>> 5;
    return word < this.bits.length && (this.bits[word]! & (1 << (n & 31))) !== 0;
  }

  add(n: number): void {
    const word = n >>> 5;
    if (word >= this.bits.length) {
      let size = this.bits.length;
      while (size <= word) size *= 2;
      const bigger = new Uint32Array(size);
      bigger.set(this.bits);
      this.bits = bigger;
    }
    this.bits[word]! |= 1 << (n & 31);
  }
}

/** PMIDs past this are kept in a Set (none are today): the bitmap would be 512 MB at 2³². */
const BITMAP_LIMIT = 2 ** 28;

/** A set of PMIDs: bits up to BITMAP_LIMIT, else a Set of the text (ERIC's, PMC's). */
class PmidBits {
  private readonly small = new Bitmap();
  private readonly other = new Set<string>();

  has(pmid: string): boolean {
    const n = plain(pmid);
    return n !== null ? this.small.has(n) : this.other.has(pmid);
  }

  add(pmid: string): void {
    const n = plain(pmid);
    if (n !== null) this.small.add(n);
    else this.other.add(pmid);
  }
}

function plain(pmid: string): number | null {
  const n = pmidNumber(pmid);
  return n !== null && n < BITMAP_LIMIT ? n : null;
}

export class LatestVersions {
  /** Records written (their latest version), left out as older versions, left out as deleted. */
  superseded = 0;
  deleted = 0;
  /** DeleteCitation entries that took a PMID out (not one a newer input added again). */
  deletions = 0;
  private readonly decided = new PmidBits();
  private readonly gone = new PmidBits();
  /** With --out-dir: the PMIDs decided since startJournal, for the input's done mark. */
  private journal: { written: string[]; deleted: string[] } | null = null;

  startJournal(): void {
    this.journal = { written: [], deleted: [] };
  }

  takeJournal(): { written: string[]; deleted: string[] } {
    const journal = this.journal ?? { written: [], deleted: [] };
    this.journal = null;
    return journal;
  }

  /** What an input read in an earlier run decided (its done mark), as if it were read again. */
  load(written: readonly string[], deleted: readonly string[], superseded: number, deletedRecords: number): void {
    for (const pmid of written) this.decided.add(pmid);
    for (const pmid of deleted) {
      this.decided.add(pmid);
      this.gone.add(pmid);
    }
    this.deletions += deleted.length;
    this.superseded += superseded;
    this.deleted += deletedRecords;
  }

  /** Whether a record, met newest input first, is written. */
  write(pmid: string | null): boolean {
    // a record without a PMID is no version of another
    if (pmid === null) return true;
    if (!this.decided.has(pmid)) {
      this.decided.add(pmid);
      this.journal?.written.push(pmid);
      return true;
    }
    if (this.gone.has(pmid)) this.deleted++;
    else this.superseded++;
    return false;
  }

  /** A DeleteCitation entry: the PMID's copies in older inputs are gone, unless a newer one added it again. */
  delete(pmid: string): void {
    if (this.decided.has(pmid)) return;
    this.decided.add(pmid);
    this.gone.add(pmid);
    this.deletions++;
    this.journal?.deleted.push(pmid);
  }
}
