/**
 * What --dedupe compares, each written one way however the databases wrote it: titles
 * (letters and digits, case and accents folded, markup and entities taken off, Greek letters
 * spelt out), DOIs (any resolver URL or label, %-escapes, trailing punctuation, case), first
 * pages and volumes; and their hashes, as the tables keep them.
 */
import type { Citation, RecordKey } from '../types.js';
import { PAGE_BITS, VOLUME_BITS } from './tables.js';

/** Greek letters as Embase and Scopus spell them out (`β-blocker` is `beta-blocker`). */
const GREEK: Readonly<Record<string, string>> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu',
  ν: 'nu', ξ: 'xi', ο: 'omicron', π: 'pi', ρ: 'rho', σ: 'sigma', ς: 'sigma', τ: 'tau', υ: 'upsilon', φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
};

/**
 * A title as matching compares it: markup (`<i>`, `<sup>`) and character entities taken off,
 * Greek letters spelt out, accents folded, letters and digits only, lower case.
 */
export function normaliseTitle(title: string): string {
  let t = title;
  if (t.includes('<')) t = t.replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi, '');
  if (t.includes('&')) t = t.replace(/&(?:[a-z]+|#\d+|#x[0-9a-f]+);/gi, ' ');
  t = t.toLowerCase();
  if (/[^\x00-\x7f]/.test(t)) t = t.replace(/[α-ω]/g, (c) => GREEK[c] ?? c).normalize('NFKD').replace(/\p{M}/gu, '');
  return t.replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * DOIs compare as the same DOI however they were written: any resolver URL
 * (`https://doi.org/`, `http://dx.doi.org/`, `https://www.doi.org/`), a `doi:` or `DOI `
 * label, %-escapes (`%2F`), trailing punctuation, case.
 */
export function normaliseDoi(doi: string): string {
  // the common form, `10.1234/abc`, has nothing to take off
  if (doi.charCodeAt(0) === 0x31 && doi.indexOf('%') === -1 && !/[\s.,;:]$/.test(doi)) return doi.toLowerCase();
  let d = doi.trim().replace(/^(?:https?:\/\/(?:www\.|dx\.)?doi\.org\/|doi:?\s*)/i, '');
  if (d.includes('%')) {
    try {
      d = decodeURIComponent(d);
    } catch {
      // a lone % is part of the DOI
    }
  }
  return d.replace(/[.,;:]+$/, '').toLowerCase();
}

/** FNV-1a over a string's UTF-16 units, with a seed; never 0 (0 marks "none" in the tables). */
function fnv(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0 || 1;
}

/**
 * A title's hash with whether the record is a notice (an erratum carries its article's title
 * after "Correction to:", and some notices its very title): a notice and its article never
 * share a hash. An ASCII title without markup (most) is hashed as it is read, no string made.
 */
export function titleHash(title: string, notice: boolean): number {
  let h = 0x811c9dc5;
  let plainAscii = true;
  for (let i = 0; i < title.length; i++) {
    let c = title.charCodeAt(i);
    if (c > 0x7f || c === 0x3c || c === 0x26) {
      plainAscii = false;
      break;
    }
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
      h = Math.imul(h ^ c, 0x01000193);
    }
  }
  if (!plainAscii) {
    const t = normaliseTitle(title);
    h = 0x811c9dc5;
    for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
  }
  h = Math.imul(h ^ (notice ? 2 : 1), 0x01000193);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0 || 1;
}

/** The number of letters and digits in a title as matching compares it. */
export function titleLength(title: string): number {
  return normaliseTitle(title).length;
}

/**
 * A record's PMID as a number: plain digits, 1 to 2³²−1 (PMIDs are below 2²⁷ today), or null
 * (none, or not a plain number: ERIC's `EJ…`). The one reading for the lists, --dedupe and
 * --latest; each bounds it further as its tables need.
 */
export function pmidNumber(pmid: string | null): number | null {
  if (pmid === null || !/^\d{1,10}$/.test(pmid)) return null;
  const n = Number(pmid);
  return n > 0 && n <= 0xffffffff ? n : null;
}

export function doiHash(doi: string | null): number {
  return doi === null || doi === '' ? 0 : fnv(normaliseDoi(doi), 0x5bd1e995);
}

/** A volume or page as compared: letters and digits, lower case, leading zeros off. */
function plain(text: string): string {
  // most are a plain number already
  if (/^[1-9]\d*$/.test(text)) return text;
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '').replace(/^0+(?=\d)/, '');
}

/** The fingerprint of a year, a volume and a first page (tables.ts: YEAR_BITS, VOLUME_BITS, PAGE_BITS). */
export function printOf(year: number | null | undefined, volume: string | null | undefined, firstPage: string | null | undefined): number {
  const y = year == null || !Number.isFinite(year) ? 0 : (((year % 127) + 127) % 127) + 1;
  const pv = volume == null ? '' : plain(volume);
  const pp = firstPage == null ? '' : plain(firstPage);
  const v = pv === '' ? 0 : (fnv(pv, 7) % 511) + 1;
  const p = pp === '' ? 0 : (fnv(pp, 11) % 65535) + 1;
  return ((y << 25) | (v << 16) | p) >>> 0;
}

export function yearOf(print: number): number {
  return print >>> 25;
}

export function volumeOf(print: number): number {
  return (print & VOLUME_BITS) >>> 16;
}

export function pageOf(print: number): number {
  return print & PAGE_BITS;
}

/** What --dedupe and the PMID lists know of a record read from line `line`. */
export function recordKey(c: Citation, line: number): RecordKey {
  const title = c.title ?? c.transliteratedTitle ?? c.book?.title ?? null;
  return {
    pmid: c.pmid,
    // a publisher's PII that is its DOI (Nature's `10.1038/… [pii]`) when no DOI is given
    doi: c.ids.doi ?? (c.ids.pii !== null && /^10\.\d{4,9}\/\S+$/.test(c.ids.pii) ? c.ids.pii : null),
    line,
    title,
    notice: isNotice(c.publicationTypes, title),
    pmc: c.ids.pmc,
    year: c.published?.year ?? null,
    volume: c.volume,
    // an online journal's article number stands where pages would (`LID - e0270080`)
    firstPage: c.pages?.first ?? c.ids.elocation,
    completeness: completeness(c),
  };
}

/**
 * A notice about another work (an erratum, a retraction, an expression of concern, a comment),
 * by its publication type or its title: it often carries the DOI of the work it concerns.
 */
export function isNotice(publicationTypes: readonly string[], title: string | null): boolean {
  if (publicationTypes.some((t) => /^(published erratum|erratum|retraction of publication|retraction notice|expression of concern|comment|correction)$/i.test(t))) return true;
  return title !== null && /^\s*(correction to|erratum|errata|corrigendum|retraction( note| notice)?|retracted|expression of concern|comment on|reply to|response to)\b/i.test(title);
}

/**
 * How complete a copy is, 0–15, for `--keep complete`: an abstract and MeSH headings count
 * most (what screening and searching use), then pages, volume and issue (an ahead-of-print
 * copy has none), a PMID, a DOI, authors, keywords.
 */
export function completeness(c: Citation): number {
  return (
    (c.abstract !== null && c.abstract !== '' ? 4 : 0) +
    (c.mesh.length > 0 ? 3 : 0) +
    (c.pages !== null && c.pages.first !== null ? 2 : 0) +
    (c.volume !== null ? 1 : 0) +
    (c.issue !== null ? 1 : 0) +
    (c.pmid !== null ? 1 : 0) +
    (c.ids.doi !== null ? 1 : 0) +
    (c.authors.length > 0 ? 1 : 0) +
    (c.keywords.length > 0 ? 1 : 0)
  );
}
