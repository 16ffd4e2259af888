/** Indexing fields: MeSH headings, grants, chemicals, record links. */
import type { Chemical, Grant, MeshHeading, Relation } from '../types.js';
import { GRANT_COUNTRIES } from './countries.js';
import { withoutFinalPeriod } from './scan.js';

/**
 * `COVID-19/blood/mortality/*therapy` → descriptor, qualifiers, and `*` (major topic) on
 * either. Old files put every heading of a record in one field separated by `;`.
 */
export function parseMesh(value: string): MeshHeading[] {
  // most headings are a bare descriptor
  if (value.indexOf('/') === -1 && value.indexOf('*') === -1 && value.indexOf(';') === -1) {
    return [{ descriptor: value.trim(), ui: null, major: false, qualifiers: [] }];
  }
  const headings: MeshHeading[] = [];
  for (const term of value.split(';')) {
    const parts = term.split('/').map((p) => p.trim());
    const descriptor = parts[0]!;
    if (descriptor.length === 0 || descriptor === '*') continue;
    headings.push({
      descriptor: stripStar(descriptor),
      ui: null,
      major: descriptor.startsWith('*'),
      qualifiers: parts
        .slice(1)
        .filter((q) => q.length > 0)
        .map((q) => ({ name: stripStar(q), ui: null, major: q.startsWith('*') })),
    });
  }
  return headings;
}

function stripStar(s: string): string {
  return s.startsWith('*') ? s.slice(1).trim() : s;
}

/**
 * The shapes of NLM's grant acronyms, told by their form, not from a list: NIH institute
 * codes (`CA`, `AI`), codes with a trailing underscore (`WT_`, `MRC_`, `CRUK_`, `WHO_`,
 * `WTDBT_`), and intramural codes (`ImNIH`, `ImCDC`, `ImFDA`). Letters only: a part with a
 * digit is a number.
 */
const ACRONYM = /^(?:[A-Z]{2}|[A-Z]{2,8}_|Im[A-Z]{2,8})$/;
/** The shapes that are an acronym even with no number before them. */
const ACRONYM_ALONE = /^(?:[A-Z]{2,8}_|Im[A-Z]{2,8})$/;

/**
 * NLM's full form is `number/acronym/agency/country`, and records drop the parts they lack:
 * `CIHR/Canada` is an agency and a country, `R01HD088014/Eunice Kennedy Shriver NICHD` a
 * number and an agency, `WT_/Wellcome Trust/United Kingdom` an acronym, an agency and a
 * country. So the parts are told apart by what they are, read from the right: a country
 * from NLM's list, then the agency, then an acronym, and what is left is the number (which
 * may hold slashes itself: `090532/Z/09/Z/Wellcome Trust/United Kingdom`).
 */
export function parseGrant(value: string): Grant {
  const parts = value.split('/').map((p) => p.trim());
  const grant: Grant = { id: null, acronym: null, agency: null, country: null };
  // a trailing empty part (`AbbVie/`) stands for a country not given
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 1 && GRANT_COUNTRIES.has(parts[parts.length - 1]!)) grant.country = parts.pop()!;
  if (parts.length === 1) {
    // one part left: an agency, unless it looks like a grant number with nothing else said
    const only = parts[0]!;
    if (grant.country === null && looksLikeGrantNumber(only)) grant.id = only;
    else grant.agency = only || null;
    return grant;
  }
  grant.agency = parts.pop() || null;
  // an acronym stands between a number and the agency (`R01 CA183444/CA/NCI NIH HHS`), or
  // alone when it is Wellcome-style (`WT_`); a lone `NA` is a number given as "none"
  const last = parts[parts.length - 1];
  if (last !== undefined && ACRONYM.test(last) && (parts.length > 1 || ACRONYM_ALONE.test(last))) grant.acronym = parts.pop()!;
  grant.id = parts.join('/') || null;
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

/**
 * The links between records, in one table: the MEDLINE tag, PubMed XML's
 * CommentsCorrections RefType, and the name in a citation's `relations`. (`Cites` has no tag:
 * it is the reference list, `references`.)
 */
const RELATIONS: ReadonlyArray<readonly [tag: string, refType: string, type: string]> = [
  ['CIN', 'CommentIn', 'commentIn'],
  ['CON', 'CommentOn', 'commentOn'],
  ['EIN', 'ErratumIn', 'erratumIn'],
  ['EFR', 'ErratumFor', 'erratumFor'],
  ['CRI', 'CorrectedandRepublishedIn', 'correctedAndRepublishedIn'],
  ['CRF', 'CorrectedandRepublishedFrom', 'correctedAndRepublishedFrom'],
  ['RIN', 'RetractionIn', 'retractionIn'],
  ['ROF', 'RetractionOf', 'retractionOf'],
  ['RRI', 'RetractedandRepublishedIn', 'retractedAndRepublishedIn'],
  ['RRF', 'RetractedandRepublishedFrom', 'retractedAndRepublishedFrom'],
  ['RPI', 'RepublishedIn', 'republishedIn'],
  ['RPF', 'RepublishedFrom', 'republishedFrom'],
  ['PRIN', 'PartialRetractionIn', 'partialRetractionIn'],
  ['PROF', 'PartialRetractionOf', 'partialRetractionOf'],
  ['UIN', 'UpdateIn', 'updateIn'],
  ['UOF', 'UpdateOf', 'updateOf'],
  ['SPIN', 'SummaryForPatientsIn', 'summaryForPatientsIn'],
  ['ORI', 'OriginalReportIn', 'originalReportIn'],
  ['ECI', 'ExpressionOfConcernIn', 'expressionOfConcernIn'],
  ['ECF', 'ExpressionOfConcernFor', 'expressionOfConcernFor'],
  ['DDIN', 'DatasetDescribedIn', 'datasetDescribedIn'],
  ['DRIN', 'DatasetUseReportedIn', 'datasetUseReportedIn'],
];

/** The relation tags and the names they take in a citation. */
export const RELATION_TYPES: ReadonlyMap<string, string> = new Map(RELATIONS.map(([tag, , type]) => [tag, type]));

/** PubMed XML's CommentsCorrections RefType → MEDLINE tag. */
export const RELATION_TAGS_BY_REF_TYPE: ReadonlyMap<string, string> = new Map(RELATIONS.map(([tag, refType]) => [refType, tag]));

export function parseRelation(tag: string, value: string): Relation {
  const m = /PMID:\s*(\d+)$/.exec(withoutFinalPeriod(value));
  return { type: RELATION_TYPES.get(tag) ?? tag, tag, citation: value, pmid: m ? m[1]! : null };
}
