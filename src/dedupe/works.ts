/**
 * Which work a record is, in input order, the first record of a work deciding: the one
 * matching rule of --dedupe, with the tables it needs.
 *
 * Two records are one work when they share
 * - a PMID (records with different PMIDs are never one work), or a PMC id;
 * - else a title (normalised, notices apart) and
 *   - a DOI (normalised): a DOI alone is no proof, a supplement's DOI is on many abstracts;
 *   - or, where one has no DOI, the year and the first page, the volume not differing; or the
 *     volume and first page, the years one apart (an online-first year beside the print year).
 * Records of one title that none of these join are possible duplicates, told, not removed.
 *
 * Memory: a PMID 8 bytes a slot, a title 16, a work's place 4; at most 85% full and grown by
 * half (tables.ts): about 40 bytes a record with a PMID and a title.
 */
import type { RecordKey } from '../types.js';
import { doiHash, pageOf, pmidNumber, printOf, titleHash, titleLength, volumeOf, yearOf } from './keys.js';
import { TitleIndex, U32Map, WorkPlaces } from './tables.js';

/** Refs at or past this are works without a PMID (ref − NO_PMID); below, a PMID. */
const NO_PMID = 0x80000000;

/** Titles shorter than this (letters and digits) are too common to call two works of one title possible duplicates ("Editorial"). */
const POSSIBLE_TITLE_LENGTH = 24;

export type MatchRule = 'same PMID' | 'same PMC id' | 'same DOI and title' | 'same title, year and first page' | 'same title, volume and first page';

export interface Match {
  /** The work's number (WorkIndex.file/line/pmid say where its first record is). */
  readonly work: number;
  readonly rule: MatchRule;
  /** The PMID of the work's first record, when it has a plain one. */
  readonly pmid: number | null;
}

export interface Verdict {
  /** The work the record belongs to, newly made or found. */
  readonly work: number;
  /** Set when the record is a copy of an earlier work. */
  readonly match: Match | null;
  /** Set when a new work has the title of an earlier one that no rule joined: the earlier work, and its PMID. */
  readonly possible: { readonly work: number; readonly pmid: number | null } | null;
}

export class WorkIndex {
  private readonly pmids = new U32Map();
  private readonly pmcs = new U32Map();
  /** PMIDs that are not plain numbers below 2³¹ (ERIC's `EJ…`), by text. */
  private readonly otherPmids = new Map<string, number>();
  private readonly titles = new TitleIndex();
  readonly places = new WorkPlaces();

  /** The work a record belongs to; a new one is made for a record that matches none. */
  place(key: RecordKey, file: number, line: number): Verdict {
    const numeric = plainPmid(key.pmid);
    // 1. its PMID
    let work = numeric !== null ? this.pmids.get(numeric) : key.pmid !== null ? (this.otherPmids.get(key.pmid) ?? -1) : -1;
    if (work >= 0) return { work, match: { work, rule: 'same PMID', pmid: numeric }, possible: null };
    const ref = numeric ?? null;
    // 2. its PMC id
    const pmc = pmcNumber(key.pmc);
    if (pmc !== null) {
      const pmcRef = this.pmcs.get(pmc);
      if (pmcRef >= 0 && (numeric === null || pmcRef >= NO_PMID || pmcRef === numeric)) {
        work = this.workOf(pmcRef);
        this.learnPmid(key.pmid, numeric, work);
        return { work, match: { work, rule: 'same PMC id', pmid: pmcRef < NO_PMID ? pmcRef : null }, possible: null };
      }
    }
    // 3. its title, with its DOI or its year, volume and first page
    const title = key.title ?? null;
    const titleKey = title === null || title === '' ? 0 : titleHash(title, key.notice === true);
    const doi = doiHash(key.doi ?? null);
    const print = printOf(key.year, key.volume, key.firstPage);
    let possible = -1;
    let slots: number[] = [];
    if (titleKey !== 0) {
      slots = this.titles.slots(titleKey);
      for (const slot of slots) {
        const other = this.titles.ref(slot);
        const rule = sameWork(numeric, doi, print, other, this.titles.doi(slot), this.titles.print(slot));
        if (rule === null) {
          if (possible < 0) possible = slot;
          continue;
        }
        work = this.workOf(other);
        this.titles.learn(slot, numeric !== null && other >= NO_PMID ? numeric : null, doi, print);
        this.learnPmid(key.pmid, numeric, work);
        if (pmc !== null && this.pmcs.get(pmc) < 0) this.pmcs.set(pmc, numeric ?? NO_PMID + work);
        return { work, match: { work, rule, pmid: other < NO_PMID ? other : null }, possible: null };
      }
    }
    // the earlier work of the same title, read before adding (adding may move the slots)
    const worthTelling = possible >= 0 && titleLength(title!) >= POSSIBLE_TITLE_LENGTH;
    const earlier = worthTelling ? this.titles.ref(possible) : 0;
    // a new work: each of its identifiers now leads to it
    work = this.places.add(file, line);
    const own = ref ?? NO_PMID + work;
    if (numeric !== null) this.pmids.set(numeric, work);
    else if (key.pmid !== null) this.otherPmids.set(key.pmid, work);
    if (pmc !== null) this.pmcs.set(pmc, own);
    if (titleKey !== 0) this.titles.add(titleKey, own, doi, print, slots.length);
    return { work, match: null, possible: worthTelling ? { work: this.workOf(earlier), pmid: earlier < NO_PMID ? earlier : null } : null };
  }

  file(work: number): number {
    return this.places.file(work);
  }

  line(work: number): number {
    return this.places.line(work);
  }

  private workOf(ref: number): number {
    return ref >= NO_PMID ? ref - NO_PMID : this.pmids.get(ref);
  }

  /** A copy found by another identifier that has a PMID of its own: later copies with that PMID are the same work. */
  private learnPmid(pmid: string | null, numeric: number | null, work: number): void {
    if (numeric !== null) {
      if (this.pmids.get(numeric) < 0) this.pmids.set(numeric, work);
    } else if (pmid !== null && !this.otherPmids.has(pmid)) this.otherPmids.set(pmid, work);
  }
}

/**
 * Whether a record and an earlier work of the same title are one work, and by which rule:
 * never with two different PMIDs or two different DOIs.
 */
function sameWork(pmid: number | null, doi: number, print: number, otherRef: number, otherDoi: number, otherPrint: number): MatchRule | null {
  if (pmid !== null && otherRef < NO_PMID && otherRef !== pmid) return null;
  if (doi !== 0 && otherDoi !== 0) return doi === otherDoi ? 'same DOI and title' : null;
  const page = pageOf(print);
  if (page === 0 || page !== pageOf(otherPrint)) return null;
  const [v, ov] = [volumeOf(print), volumeOf(otherPrint)];
  if (v !== 0 && ov !== 0 && v !== ov) return null;
  const [y, oy] = [yearOf(print), yearOf(otherPrint)];
  if (y !== 0 && y === oy) return 'same title, year and first page';
  // an online-first year beside the print year: the volume must then say it is one issue
  const apart = y !== 0 && oy !== 0 && (Math.abs(y - oy) === 1 || Math.abs(y - oy) === 126);
  return apart && v !== 0 && v === ov ? 'same title, volume and first page' : null;
}

/** A PMID as a number below 2³¹ (the refs' range), or null. */
function plainPmid(pmid: string | null): number | null {
  const n = pmidNumber(pmid);
  return n !== null && n < NO_PMID ? n : null;
}

/** `PMC1234567` as 1234567, or null. */
function pmcNumber(pmc: string | null | undefined): number | null {
  if (pmc == null) return null;
  const m = /^\s*(?:PMC)?0*(\d{1,9})\s*$/i.exec(pmc);
  return m === null || m[1] === '0' ? null : Number(m[1]);
}
