/**
 * BibTeX. Entry types from the work type; persons as `Family, Given`, collective authors
 * braced so BibTeX does not split them; every special character escaped; capitals in
 * titles protected. Citation keys are unique within a run: the registry lives in the
 * formatter, one per run.
 */
import { MONTH_NAMES } from '../citation/dates.js';
import type { Citation, Person } from '../types.js';
import type { Formatter } from './formatter.js';
import { asciiFold, latex, type LatexOptions } from './latex.js';
import { UniqueNames } from './unique-names.js';
import { recordUrl, issnOf, titleOf, workType, type WorkType } from './work-type.js';

export interface BibtexOptions {
  /** `bibtex`: classic entry types every BibTeX tool knows; `biblatex`: biblatex's own (`@online`, `@dataset`). */
  readonly dialect?: 'bibtex' | 'biblatex';
  readonly key?: 'author-year-title' | 'pmid';
  readonly ascii?: boolean;
  /** Receives a warning about one citation (a character --ascii cannot write). */
  readonly warn?: (message: string, pmid: string | null) => void;
}

/** biblatex's entry types; classic BibTeX has no `@online` or `@dataset` (bibtool drops them, bibtex warns): `@misc` there. */
const ENTRY_TYPES: Readonly<Record<WorkType, string>> = {
  article: 'article',
  book: 'book',
  chapter: 'incollection',
  thesis: 'phdthesis',
  report: 'techreport',
  preprint: 'online',
  dataset: 'dataset',
  other: 'misc',
};
const CLASSIC_TYPES: Readonly<Record<WorkType, string>> = { ...ENTRY_TYPES, preprint: 'misc', dataset: 'misc' };

/** Leading words a key skips: `The effect of …` → `…Effect`. */
const KEY_STOPWORDS: ReadonlySet<string> = new Set(['a', 'an', 'the']);

/** An entry whose key is settled when it is finished: unique keys need the whole run. */
export interface BibtexPiece {
  key: string;
  /** The entry with `{KEY}` where its key goes. */
  entry: string;
}

const KEY_SLOT = '{KEY}';

export function createBibtexFormatter(options: BibtexOptions = {}): Formatter<BibtexPiece> {
  const keys = new UniqueNames(suffix);
  const keyStyle = options.key ?? 'author-year-title';
  return {
    begin: () => '',
    prepare: (c) => ({ key: baseKey(c, keyStyle), entry: entry(c, KEY_SLOT, options) + '\n' }),
    finish: (piece) => piece.entry.replace(KEY_SLOT, () => keys.take(piece.key)),
    separator: '',
    plain: false,
    end: () => '',
  };
}

function baseKey(c: Citation, style: 'author-year-title' | 'pmid'): string {
  if (style === 'pmid' && c.pmid !== null && /^\d+$/.test(c.pmid)) return `pmid${c.pmid}`;
  const first = c.authors[0];
  const name = first ? (first.collective ?? first.family ?? '').split(/\s+/)[0]! : '';
  const family = asciiFold(first?.collective ? name : (first?.family ?? '')) || 'Anon';
  const year = c.published?.year ?? '';
  const word = keyWord(titleOf(c) ?? '');
  // each part capped: a title of ten megabytes without a space must not become the key
  return `${capitalise(family.slice(0, KEY_PART_LENGTH))}${year}${capitalise(word.slice(0, KEY_PART_LENGTH))}`;
}

/** The title's first word that is not a stop word, folded to ASCII (else its first word). */
function keyWord(title: string): string {
  let first = '';
  for (const raw of title.split(/\s+/)) {
    const word = asciiFold(raw);
    if (word.length === 0) continue;
    if (!KEY_STOPWORDS.has(word.toLowerCase())) return word;
    if (first === '') first = word;
  }
  return first;
}

/** The longest family name or title word taken into a key. */
const KEY_PART_LENGTH = 64;

/** Key suffixes: `a`, `b`, … `z`, `aa`, `ab`, … */
function suffix(n: number): string {
  let s = '';
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(97 + ((i - 1) % 26)) + s;
  return s;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function entry(c: Citation, key: string, options: BibtexOptions): string {
  const tex: LatexOptions = {
    ascii: options.ascii === true,
    unconvertible: (ch) =>
      options.warn?.(
        `${ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f ? 'BibTeX cannot hold control character' : '--ascii: no LaTeX form for'} ${JSON.stringify(ch)} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); written as "?"`,
        c.pmid,
      ),
  };
  const t = (s: string) => latex(s, tex);
  const type = workType(c);
  // a field's value is written in braces, or bare when it is a macro (`month = feb`)
  const fields: Array<[string, string, 'bare'?]> = [];
  const add = (name: string, value: string | null | undefined, raw = false) => {
    if (value !== null && value !== undefined && value !== '') fields.push([name, raw ? value : t(value)]);
  };

  // doi and url are verbatim in biblatex: no escapes. What a reader could still take for
  // markup is percent-encoded as in any URL: braces and backslash (they end the field), `$`
  // (BibTeX parsers open math), `^` (TeX's ^^5c notation), white space and control
  // characters, and `%` itself, so that the encoding can always be undone
  const verbatim = (name: string, value: string | null) => {
    if (value) fields.push([name, value.replace(/[{}\\\s%$^\x00-\x1f\x7f]/g, (ch) => '%' + ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'))]);
  };
  if (c.authors.length > 0 || c.authorsTruncated) {
    fields.push(['author', [...c.authors.map((p) => person(p, t)), ...(c.authorsTruncated ? ['others'] : [])].join(' and ')]);
  }
  if (c.editors.length > 0) fields.push(['editor', c.editors.map((p) => person(p, t)).join(' and ')]);
  const title = titleOf(c, type);
  if (title !== null) fields.push(['title', protectCapitals(title, t)]);
  if (type === 'chapter' && c.book?.title) fields.push(['booktitle', protectCapitals(c.book.title, t)]);
  const classic = options.dialect !== 'biblatex';
  if (type === 'article' || (type === 'preprint' && !classic)) add('journal', c.journal.title ?? c.journal.abbreviation);
  // a preprint server, a data repository: where @misc says it was published
  if (classic && (type === 'preprint' || type === 'dataset')) add('howpublished', c.journal.title ?? c.journal.abbreviation);
  if (type === 'book' || type === 'chapter') {
    add('publisher', c.book?.publisher);
    add('address', c.journal.country);
    add('edition', c.book?.edition);
    add('series', c.book?.collectionTitle);
    add('chapter', c.book?.chapter);
  }
  if (type === 'thesis') add('school', c.book?.institution ?? c.book?.publisher ?? c.authors[0]?.affiliations[0]);
  if (type === 'report') add('institution', c.book?.publisher ?? c.authors[0]?.affiliations[0] ?? c.journal.title);
  if (c.published?.year) add('year', String(c.published.year), true);
  if (c.published?.month) fields.push(['month', MONTH_NAMES[c.published.month - 1]!, 'bare']);
  add('volume', c.volume);
  add('number', c.issue);
  // ranges get BibTeX's en dash; an electronic location (`e297`) is written as it is
  if (c.pages !== null) add('pages', t(c.pages.expanded).replace(/(\w)-(?=\w)/g, '$1--'), true);
  else add('pages', c.ids.elocation);
  verbatim('doi', c.ids.doi);
  add('pmid', c.pmid);
  add('pmcid', c.ids.pmc);
  // biblatex's own way of linking PubMed
  if (c.pmid !== null && /^\d+$/.test(c.pmid)) {
    add('eprint', c.pmid);
    add('eprinttype', 'pubmed');
  }
  add('issn', issnOf(c));
  if (type === 'book' || type === 'chapter') add('isbn', c.book?.isbn[0]);
  verbatim('url', recordUrl(c));
  add('language', c.languages.join(', '));
  // biblatex splits keywords at commas outside braces: a keyword that holds a comma
  // (`History, 20th Century`, `Women, Working`) is braced, so that it comes back whole
  const keywords = [...new Set([...c.keywords, ...c.mesh.map((m) => m.descriptor)])];
  add('keywords', keywords.map((k) => (k.includes(',') ? `{${t(k)}}` : t(k))).join(', '), true);
  add('abstract', c.abstract);
  add('note', note(c));

  const width = Math.max(...fields.map(([name]) => name.length));
  const body = fields
    .map(([name, value, bare]) => `  ${name.padEnd(width)} = ${bare ? value : `{${value}}`}`)
    .join(',\n');
  return `@${(classic ? CLASSIC_TYPES : ENTRY_TYPES)[type]}{${key},\n${body}\n}\n`;
}

/** `Family, Given`, `Family, Jr, Given`, or a braced collective name. */
function person(p: Person, t: (s: string) => string): string {
  if (p.collective !== null) return `{${t(p.collective)}}`;
  const guard = (s: string) => (/,|\band\b/i.test(s) ? `{${t(s)}}` : t(s));
  const given = p.given ?? p.initials;
  // with no given name, BibTeX would read `Organizacion Panamericana de la Salud` as First von Last
  const family = given === null && /\s/.test(p.family ?? '') ? `{${t(p.family!)}}` : guard(p.family ?? '');
  const parts = [family];
  if (p.suffix) parts.push(t(p.suffix));
  if (given) parts.push(guard(given));
  return parts.join(', ');
}

/**
 * Braces words whose capitals must survive a style that lower-cases titles: every word
 * with a capital but the first word when only its first letter is one.
 */
export function protectCapitals(title: string, t: (s: string) => string): string {
  return title
    .split(' ')
    .map((word, i) => (needsBraces(word, i === 0) ? `{${t(word)}}` : t(word)))
    .join(' ');
}

/** Whether a title word's capitals need protecting (the first word's leading capital does not). */
function needsBraces(word: string, first: boolean): boolean {
  // ASCII words, nearly all of them, are read in one pass; others by their Unicode properties
  let capitals = 0;
  let leadingCapital = false;
  let seenLetter = false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c >= 0x80) return needsBracesUnicode(word, first);
    const upper = c >= 65 && c <= 90;
    if (upper) capitals++;
    if (!seenLetter && (upper || (c >= 97 && c <= 122))) {
      seenLetter = true;
      leadingCapital = upper;
    }
  }
  return first ? capitals > 1 || (capitals === 1 && !leadingCapital) : capitals > 0;
}

function needsBracesUnicode(word: string, first: boolean): boolean {
  const capitals = (word.match(/\p{Lu}/gu) ?? []).length;
  return first ? capitals > 1 || (capitals === 1 && !/^\P{L}*\p{Lu}/u.test(word)) : capitals > 0;
}

function note(c: Citation): string | null {
  const notes: string[] = [];
  if (c.publicationStatus === 'aheadofprint') notes.push('Epub ahead of print');
  for (const r of c.relations) {
    if (r.type === 'retractionIn') notes.push(`Retracted: ${r.citation}`);
    if (r.type === 'erratumIn') notes.push(`Erratum in: ${r.citation}`);
  }
  return notes.length > 0 ? notes.join('. ') : null;
}
