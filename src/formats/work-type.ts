/**
 * What kind of work a record describes, decided once from its publication types and
 * book fields, and named by each format in its own vocabulary (tables below and in each
 * formatter).
 */
import { isEricJournalArticle } from '../citation/to-citation.js';
import type { Citation } from '../types.js';

export type WorkType = 'article' | 'book' | 'chapter' | 'thesis' | 'report' | 'preprint' | 'dataset' | 'other';

/** Publication types (lower case) that decide the work type by themselves, in priority order. */
const BY_PUBLICATION_TYPE: ReadonlyArray<readonly [RegExp, WorkType]> = [
  [/^book chapter$/, 'chapter'],
  [/^books?$/, 'book'],
  [/dissertation|thesis|theses/, 'thesis'],
  [/^technical report$/, 'report'],
  [/^preprint$/, 'preprint'],
  [/^dataset$/, 'dataset'],
];

export function workType(c: Citation): WorkType {
  const types = c.publicationTypes.map((t) => t.toLowerCase());
  for (const [pattern, type] of BY_PUBLICATION_TYPE) {
    if (types.some((t) => pattern.test(t))) {
      // a chapter needs a book to be in; a "Book" record with an article title is a chapter
      if (type === 'book' && c.book?.title && c.title && c.title !== c.book.title) return 'chapter';
      return type;
    }
  }
  // ERIC types its documents: these decide before the presence of a journal does
  if (c.owner === 'ERIC' && isEricJournalArticle(c)) return 'article';
  if (types.some((t) => /^reports? -/.test(t))) return 'report';
  if (c.book !== null && c.book.title !== null) return c.title !== null && c.title !== c.book.title ? 'chapter' : 'book';
  if (c.journal.title !== null || c.journal.abbreviation !== null) return 'article';
  return 'other';
}

/**
 * The title a citation shows, in one place for every format: the book's for a book, else the
 * article's; without one (an empty `<ArticleTitle/>` beside a `<VernacularTitle>`, a record
 * with `TT` but no `TI`), the title in the original language, as Zotero does. The JSON keeps
 * each in its own field (`title` null, `transliteratedTitle`).
 */
export function titleOf(c: Citation, type: WorkType = workType(c)): string | null {
  if (type === 'book') return c.book?.title ?? c.title ?? c.transliteratedTitle;
  return c.title ?? c.transliteratedTitle ?? c.book?.title ?? null;
}

/** The ISSN a citation shows, in one place for every format: print, else electronic, else linking. */
export function issnOf(c: Citation): string | null {
  const issn = c.journal.issn;
  return issn.print ?? issn.electronic ?? issn.linking;
}

/** The PubMed page of a record, or its ERIC/other URL. */
export function recordUrl(c: Citation): string | null {
  if (c.pmid !== null && /^\d+$/.test(c.pmid)) return `https://pubmed.ncbi.nlm.nih.gov/${c.pmid}/`;
  return c.ids.url;
}

/** Pages for citing: the expanded pagination, else the electronic location (`e297`). */
export function citedPages(c: Citation): string | null {
  return c.pages?.expanded ?? c.ids.elocation;
}
