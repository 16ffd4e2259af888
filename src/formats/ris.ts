/**
 * RIS (`TY` … `ER`), as Zotero, EndNote, JabRef and Mendeley import it. Every value is
 * one line: a value cannot start a tag of its own.
 */
import { displayName } from '../citation/names.js';
import type { Citation } from '../types.js';
import { textFormatter, type Formatter } from './formatter.js';
import { meshNotation } from './csv.js';
import { recordUrl, issnOf, titleOf, workType, type WorkType } from './work-type.js';

const RIS_TYPES: Readonly<Record<WorkType, string>> = {
  article: 'JOUR',
  book: 'BOOK',
  chapter: 'CHAP',
  thesis: 'THES',
  report: 'RPRT',
  preprint: 'JOUR',
  dataset: 'DATA',
  other: 'GEN',
};

export function createRisFormatter(): Formatter<string> {
  return textFormatter(risRecord);
}

/** One line per value; CR, LF and other line breaks become spaces. */
function oneLine(value: string): string {
  // one scan for the usual value, which holds no line break
  return LINE_BREAK.test(value) ? value.replace(LINE_BREAKS, ' ').trim() : value.trim();
}

const LINE_BREAK = /[\r\n\u2028\u2029\u0085]/;
const LINE_BREAKS = /[\r\n\u2028\u2029\u0085]+/g;

export function risRecord(c: Citation): string {
  const lines: string[] = [];
  const add = (tag: string, value: string | number | null | undefined) => {
    if (value === null || value === undefined) return;
    const text = oneLine(String(value));
    if (text !== '') lines.push(`${tag}  - ${text}`);
  };
  const type = workType(c);
  add('TY', RIS_TYPES[type]);
  for (const a of c.authors) add('AU', displayName(a));
  for (const e of c.editors) add(type === 'chapter' ? 'A2' : 'ED', displayName(e));
  add('TI', titleOf(c, type));
  if (type === 'chapter') add('T2', c.book?.title);
  else add('T2', c.journal.title);
  add('J2', c.journal.abbreviation);
  add('T3', c.book?.collectionTitle);
  const p = c.published;
  if (p?.year) {
    add('PY', p.year);
    const mm = p.month ? String(p.month).padStart(2, '0') : '';
    const dd = p.day ? String(p.day).padStart(2, '0') : '';
    add('DA', `${p.year}/${mm}/${dd}/${p.season ?? ''}`);
  }
  add('VL', c.volume);
  add('IS', c.issue);
  if (c.pages !== null) {
    add('SP', c.pages.first);
    add('EP', c.pages.last);
  } else {
    add('SP', c.ids.elocation);
  }
  add('DO', c.ids.doi);
  add('SN', issnOf(c));
  for (const isbn of c.book?.isbn ?? []) add('SN', isbn);
  add('PB', c.book?.publisher);
  add('CY', c.journal.country);
  add('ET', c.book?.edition);
  add('AN', c.pmid);
  add('UR', recordUrl(c));
  for (const lang of c.languages) add('LA', lang);
  add('AB', c.abstract);
  for (const k of c.keywords) add('KW', k);
  for (const m of c.mesh) add('KW', meshNotation(m));
  for (const affiliation of new Set(c.authors.flatMap((a) => a.affiliations))) add('AD', affiliation);
  if (c.ids.pmc) add('C2', c.ids.pmc);
  add('DB', c.pmid !== null ? 'PubMed' : null);
  for (const r of c.relations) add('N1', `${r.type}: ${r.citation}`);
  // with --sources: a note a screening tool shows beside the record
  if (c.sources !== undefined && c.sources.length > 0) add('N1', `Found in: ${c.sources.join('; ')}`);
  lines.push('ER  - ', '');
  return lines.join('\n') + '\n';
}
