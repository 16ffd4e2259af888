/**
 * `--latest`: the current version of every PMID of PubMed's baseline and update files. The
 * inputs are read newest first (the engine reverses them), so the first copy of a PMID met is
 * its latest version and is written; a later-met (older) copy is superseded; a PMID in a
 * DeleteCitation block is gone from the inputs before its own (older ones, met after), unless
 * a newer input added it again (met before). One pass, nothing held but which PMIDs are
 * decided: a bit each, in a bitmap of 64 kB pages made as PMIDs fall in them (PMIDs are below
 * 2²⁷: 17 MB at most for all of PubMed), and a bit more for those deleted.
 */
import { pmidNumber } from './keys.js';

/** Bits a page of the bitmap holds (64 kB): pages come as PMIDs fall in them. */
const PAGE_BITS = 2 ** 19;

/**
 * A set of small non-negative integers as bits, in pages made when a number first falls in
 * them: memory follows the ranges of PMIDs read (an update file's recent PMIDs take a page or
 * two, not a bitmap up to the largest), and nothing is copied as it grows.
 */
class Bitmap {
  private pages: Array<Uint32Array | undefined> = [];

  has(n: number): boolean {
    const page = this.pages[Math.floor(n / PAGE_BITS)];
    const bit = n % PAGE_BITS;
    return page !== undefined && (page[bit >>> 5]! & (1 << (bit & 31))) !== 0;
  }

  add(n: number): void {
    const at = Math.floor(n / PAGE_BITS);
    const page = (this.pages[at] ??= new Uint32Array(PAGE_BITS / 32));
    const bit = n % PAGE_BITS;
    page[bit >>> 5]! |= 1 << (bit & 31);
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
