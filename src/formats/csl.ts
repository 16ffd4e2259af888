/** CSL-JSON, the input of citeproc, pandoc and Zotero: one array, streamed like --to json. */
import type { Citation, Person } from '../types.js';
import type { Formatter } from './formatter.js';
import { jsonArray, lineSafe } from './json.js';
import { UniqueNames } from './unique-names.js';
import { citedPages, recordUrl, issnOf, titleOf, workType, type WorkType } from './work-type.js';

const CSL_TYPES: Readonly<Record<WorkType, string>> = {
  article: 'article-journal',
  book: 'book',
  chapter: 'chapter',
  thesis: 'thesis',
  report: 'report',
  preprint: 'article',
  dataset: 'dataset',
  other: 'document',
};

const SEASONS: Readonly<Record<string, number>> = { Spring: 1, Summer: 2, Autumn: 3, Fall: 3, Winter: 4 };

export type CslName = { family?: string; given?: string; suffix?: string; literal?: string };
export type CslItem = Record<string, unknown> & { id: string; type: string };

function cslName(p: Person): CslName {
  if (p.collective !== null) return { literal: p.collective };
  const name: CslName = {};
  if (p.family !== null) name.family = p.family;
  const given = p.given ?? p.initials;
  if (given !== null) name.given = given;
  if (p.suffix !== null) name.suffix = p.suffix;
  if (name.family === undefined && name.given === undefined) return { literal: '' };
  return name;
}

export function toCsl(c: Citation): CslItem {
  const type = workType(c);
  const item: CslItem = { id: cslId(c), type: CSL_TYPES[type] };
  const set = (key: string, value: unknown) => {
    if (value !== null && value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) item[key] = value;
  };
  set('title', titleOf(c, type));
  set('author', c.authors.map(cslName));
  set('editor', c.editors.map(cslName));
  set('container-title', type === 'chapter' ? c.book?.title : c.journal.title);
  set('container-title-short', c.journal.abbreviation);
  set('journalAbbreviation', c.journal.abbreviation);
  set('collection-title', c.book?.collectionTitle);
  const p = c.published;
  if (p?.year) {
    const parts: number[] = [p.year];
    if (p.month) parts.push(p.month);
    if (p.month && p.day) parts.push(p.day);
    const issued: Record<string, unknown> = { 'date-parts': [parts] };
    if (p.season) issued['season'] = SEASONS[p.season];
    item['issued'] = issued;
  }
  set('volume', c.volume);
  set('issue', c.issue);
  set('page', citedPages(c));
  set('page-first', c.pages?.first);
  set('DOI', c.ids.doi);
  set('PMID', c.pmid);
  set('PMCID', c.ids.pmc);
  set('ISSN', issnOf(c));
  set('ISBN', c.book?.isbn[0]);
  // a thesis is published by the school that grants the degree
  set('publisher', type === 'thesis' ? (c.book?.institution ?? c.book?.publisher) : c.book?.publisher);
  set('volume-title', c.book?.volumeTitle);
  set('chapter-number', c.book?.chapter);
  set('publisher-place', type === 'book' || type === 'chapter' ? c.journal.country : null);
  set('edition', c.book?.edition);
  set('abstract', c.abstract);
  set('keyword', [...c.keywords, ...c.mesh.map((m) => m.descriptor)].join(', '));
  set('language', bcp47(c.languages[0]));
  set('URL', recordUrl(c));
  set('source', c.pmid !== null ? 'PubMed' : null);
  set('status', c.publicationStatus === 'aheadofprint' ? 'Epub ahead of print' : null);
  return item;
}

/** An item whose id is settled when it is finished: ids must be unique in the whole run. */
export interface CslPiece {
  id: string;
  /** The item as JSON, with `"id":"{ID}"` where its id goes. */
  json: string;
}

const ID_SLOT = '{ID}';

/** `pmid:33634996`, else the first other identifier, else `record`; made unique per run. */
function cslId(c: Citation): string {
  if (c.pmid !== null) return `pmid:${c.pmid}`;
  if (c.ids.doi !== null) return `doi:${c.ids.doi}`;
  const other = c.ids.pmc ?? c.ids.other[0]?.value ?? null;
  return other !== null ? `id:${other}` : 'record';
}

export function createCslFormatter(options: { pretty?: boolean } = {}): Formatter<CslPiece> {
  const indent = options.pretty ? 2 : undefined;
  // the same PMID twice in one run still needs two ids: `pmid:1`, `pmid:1-2`, …
  const ids = new UniqueNames((n) => `-${n + 2}`);
  const array = jsonArray(() => '');
  return {
    ...array,
    plain: false,
    prepare: (c) => {
      const item = toCsl(c);
      const id = item.id;
      item.id = ID_SLOT;
      return { id, json: lineSafe(JSON.stringify(item, null, indent)) };
    },
    finish: (piece) => {
      return piece.json.replace(JSON.stringify(ID_SLOT), () => JSON.stringify(ids.take(piece.id)));
    },
  };
}

/**
 * MEDLINE's language codes (ISO 639-2/B, `eng`, `ger`, sometimes `ENG` or `English`) as the
 * BCP 47 tags CSL expects (`en`, `de`): with `eng`, citeproc does not title-case English
 * titles. A code with no two-letter form stays as it is, in lower case (BCP 47 allows it).
 */
const ISO_639_1: ReadonlyMap<string, string> = new Map([
  ['eng', 'en'], ['english', 'en'], ['fre', 'fr'], ['fra', 'fr'], ['ger', 'de'], ['deu', 'de'], ['spa', 'es'], ['ita', 'it'],
  ['por', 'pt'], ['dut', 'nl'], ['nld', 'nl'], ['jpn', 'ja'], ['chi', 'zh'], ['zho', 'zh'], ['rus', 'ru'], ['kor', 'ko'],
  ['pol', 'pl'], ['cze', 'cs'], ['ces', 'cs'], ['dan', 'da'], ['swe', 'sv'], ['nor', 'no'], ['fin', 'fi'], ['heb', 'he'],
  ['ara', 'ar'], ['tur', 'tr'], ['gre', 'el'], ['ell', 'el'], ['hun', 'hu'], ['rum', 'ro'], ['ron', 'ro'], ['slo', 'sk'],
  ['slk', 'sk'], ['slv', 'sl'], ['hrv', 'hr'], ['scr', 'hr'], ['srp', 'sr'], ['bul', 'bg'], ['ukr', 'uk'], ['per', 'fa'],
  ['fas', 'fa'], ['ice', 'is'], ['isl', 'is'], ['lit', 'lt'], ['lav', 'lv'], ['est', 'et'], ['cat', 'ca'], ['tha', 'th'],
  ['vie', 'vi'], ['ind', 'id'], ['may', 'ms'], ['msa', 'ms'], ['hin', 'hi'], ['afr', 'af'], ['wel', 'cy'], ['cym', 'cy'],
  ['gle', 'ga'], ['baq', 'eu'], ['eus', 'eu'], ['geo', 'ka'], ['kat', 'ka'], ['arm', 'hy'], ['hye', 'hy'], ['mac', 'mk'],
  ['mkd', 'mk'], ['alb', 'sq'], ['sqi', 'sq'], ['epo', 'eo'], ['lat', 'la'], ['ben', 'bn'], ['urd', 'ur'], ['tam', 'ta'],
]);

export function bcp47(code: string | undefined): string | undefined {
  if (code === undefined) return undefined;
  const lower = code.trim().toLowerCase();
  return ISO_639_1.get(lower) ?? lower;
}
