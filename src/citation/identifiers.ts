/** Article identifiers from AID and LID (`10.1002/ctm2.297 [doi]`, `CTM2297 [pii]`, `e297`). */
import type { Identifiers } from '../types.js';
import { bracketSuffix } from './scan.js';

export function emptyIdentifiers(): Identifiers {
  return { doi: null, pmc: null, pii: null, mid: null, bookAccession: null, elocation: null, url: null, other: [] };
}

type Slot = 'doi' | 'pmc' | 'pii' | 'mid' | 'bookAccession' | 'elocation' | 'url';

/** Bracketed type → the slot it fills; everything else goes to `other` with its type. */
const SLOTS: ReadonlyMap<string, Slot> = new Map([
  ['doi', 'doi'],
  ['pii', 'pii'],
  ['pmc', 'pmc'],
  ['pmcid', 'pmc'],
  ['mid', 'mid'],
  ['bookaccession', 'bookAccession'],
]);

/** Splits `value [type]`; a bare value is a URL or, in LID, an electronic location. */
export function parseArticleId(value: string, tag: 'AID' | 'LID'): { type: string; value: string } {
  const m = bracketSuffix(value, false);
  if (m !== null) return { type: m.label.trim().toLowerCase(), value: normalise(m.label.trim().toLowerCase(), m.head.trim()) };
  if (DOI_PREFIX.test(value)) return { type: 'doi', value: normalise('doi', value) };
  if (/^https?:\/\//i.test(value)) return { type: 'url', value };
  return { type: tag === 'LID' ? 'elocation' : 'unknown', value };
}

/** A DOI however it is written: bare, behind any doi.org resolver, or after a `doi:`/`DOI ` label. */
const DOI_PREFIX = /^(?:https?:\/\/(?:www\.|dx\.)?doi\.org\/|doi:?\s*)?10\.\d{4,9}(?:\/|%2F)\S+$/i;

/**
 * A DOI as the DOI itself: no resolver URL or label, `%2F` as `/` (a DOI copied from a URL),
 * no full stop from the sentence it ended. Its case is kept; comparisons ignore it.
 */
function normalise(type: string, value: string): string {
  if (type !== 'doi') return value;
  const doi = value.replace(/^(?:https?:\/\/(?:www\.|dx\.)?doi\.org\/|doi:?\s*)/i, '').replace(/%2F/gi, '/');
  return doi.replace(/[.,;]+$/, '');
}

/** What a value must look like to fill a slot; the rest of that type goes to `other`. */
const VALID: Partial<Record<Slot, RegExp>> = {
  doi: /^10\.\d{3,9}\/\S/,
};

/** Puts an identifier in its slot; a different second value of a slot goes to `other`. */
export function addIdentifier(ids: Identifiers, type: string, value: string): void {
  if (value.length === 0) return;
  let slot: Slot | undefined = type === 'url' || type === 'elocation' ? type : SLOTS.get(type);
  if (slot !== undefined && VALID[slot]?.test(value) === false) slot = undefined;
  if (slot !== undefined && ids[slot] === null) {
    ids[slot] = value;
    return;
  }
  if (slot !== undefined && sameId(ids[slot]!, value)) return;
  if (ids.other.some((o) => o.type === type && o.value === value)) return;
  ids.other.push({ type, value });
}

function sameId(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}
