/** Indexing fields: MeSH headings, grants, chemicals, record links. */
import type { Chemical, Grant, MeshHeading, Relation } from '../types.js';
import { withoutFinalPeriod } from './scan.js';

/**
 * `COVID-19/blood/mortality/*therapy` → descriptor, qualifiers, and `*` (major topic) on
 * either. Old files put every heading of a record in one field separated by `;`.
 */
export function parseMesh(value: string): MeshHeading[] {
  // most headings are a bare descriptor
  if (value.indexOf('/') === -1 && value.indexOf('*') === -1 && value.indexOf(';') === -1) {
    return [{ descriptor: value.trim(), major: false, qualifiers: [] }];
  }
  const headings: MeshHeading[] = [];
  for (const term of value.split(';')) {
    const parts = term.split('/').map((p) => p.trim());
    const descriptor = parts[0]!;
    if (descriptor.length === 0 || descriptor === '*') continue;
    headings.push({
      descriptor: stripStar(descriptor),
      major: descriptor.startsWith('*'),
      qualifiers: parts
        .slice(1)
        .filter((q) => q.length > 0)
        .map((q) => ({ name: stripStar(q), major: q.startsWith('*') })),
    });
  }
  return headings;
}

function stripStar(s: string): string {
  return s.startsWith('*') ? s.slice(1).trim() : s;
}

/** NIH institute codes (`CA`, `AI`) and Wellcome-style codes (`WT_`). */
const ACRONYM = /^[A-Z]{2}_?$/;

/**
 * `R01 CA183444/CA/NCI NIH HHS/United States` is id/acronym/agency/country; newer records
 * drop the acronym (`2020C03125/the Zhejiang … Program/`) and grant ids may contain
 * slashes themselves (`090532/Z/09/Z/Wellcome Trust/United Kingdom`), so it is read from
 * the right.
 */
export function parseGrant(value: string): Grant {
  const parts = value.split('/').map((p) => p.trim());
  const grant: Grant = { id: null, acronym: null, agency: null, country: null };
  if (parts.length === 1 || (parts.length === 2 && parts[1] === '')) {
    // one part: an agency name, unless it looks like a grant number
    if (looksLikeGrantNumber(parts[0]!)) grant.id = parts[0]!;
    else grant.agency = parts[0] || null;
    return grant;
  }
  if (parts.length === 2) {
    grant.id = parts[0] || null;
    grant.agency = parts[1] || null;
    return grant;
  }
  const n = parts.length;
  grant.country = parts[n - 1] || null;
  grant.agency = parts[n - 2] || null;
  let idEnd = n - 2;
  if (n >= 4 && ACRONYM.test(parts[n - 3]!)) {
    grant.acronym = parts[n - 3]!;
    idEnd = n - 3;
  }
  grant.id = parts.slice(0, idEnd).join('/') || null;
  return grant;
}

function looksLikeGrantNumber(s: string): boolean {
  return /\d/.test(s) && !/\p{Ll}{4,}/u.test(s);
}

/** `0 (Fibrinolytic Agents)`, `EC 3.4.21.68 (Tissue Plasminogen Activator)`. */
export function parseChemical(value: string): Chemical {
  const m = /^(EC [\d.n-]+|\S+) \((.*)\)$/.exec(value);
  if (m) return { registryNumber: m[1]!, name: m[2]! };
  return { registryNumber: null, name: value };
}

/** The relation tags and the names they take in a citation. */
export const RELATION_TYPES: ReadonlyMap<string, string> = new Map([
  ['CIN', 'commentIn'],
  ['CON', 'commentOn'],
  ['EIN', 'erratumIn'],
  ['EFR', 'erratumFor'],
  ['CRI', 'correctedAndRepublishedIn'],
  ['CRF', 'correctedAndRepublishedFrom'],
  ['RIN', 'retractionIn'],
  ['ROF', 'retractionOf'],
  ['RRI', 'retractedAndRepublishedIn'],
  ['RRF', 'retractedAndRepublishedFrom'],
  ['RPI', 'republishedIn'],
  ['RPF', 'republishedFrom'],
  ['PRIN', 'partialRetractionIn'],
  ['PROF', 'partialRetractionOf'],
  ['UIN', 'updateIn'],
  ['UOF', 'updateOf'],
  ['SPIN', 'summaryForPatientsIn'],
  ['ORI', 'originalReportIn'],
  ['ECI', 'expressionOfConcernIn'],
  ['ECF', 'expressionOfConcernFor'],
  ['DDIN', 'datasetDescribedIn'],
  ['DRIN', 'datasetUseReportedIn'],
]);

export function parseRelation(tag: string, value: string): Relation {
  const m = /PMID:\s*(\d+)$/.exec(withoutFinalPeriod(value));
  return { type: RELATION_TYPES.get(tag) ?? tag, tag, citation: value, pmid: m ? m[1]! : null };
}
