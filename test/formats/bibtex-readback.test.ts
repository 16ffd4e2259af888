/**
 * A real BibTeX parser reads back every entry intact. It takes about 10 ms an entry, so
 * `npm test` gives it every fixture and, of the corpus, every entry that is hard to write
 * (collective or truncated authors, books, characters BibTeX escapes or non-ASCII) plus every
 * fourth of the others; with MEDLINE_FULL_CORPUS=1 (as CI runs it) it reads the whole corpus.
 */
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { describe, expect, it } from 'vitest';
import { formatAll } from '../../src/formats/formatter.js';
import { createFormatter } from '../../src/formats/index.js';
import type { Citation } from '../../src/types.js';
import { allInputs } from '../helpers.js';


function render(citations: Citation[]): string {
  return formatAll(createFormatter('bibtex'), citations);
}

const full = process.env['MEDLINE_FULL_CORPUS'] === '1';
const hard = (c: Citation) =>
  c.authorsTruncated || c.book !== null || c.authors.some((a) => a.collective !== null) || /[{}\\$%&#_^~]|[^\x00-\x7f]/.test(`${c.title ?? ''} ${c.authors.map((a) => a.family).join(' ')}`);
const inputs = allInputs().map(([name, citations]): [string, Citation[]] =>
  full || !name.startsWith('corpus/') ? [name, citations] : [name, citations.filter((c, i) => i % 4 === 0 || hard(c))],
);

// one test per input: the parser takes about 10 ms an entry, and no single test should run long
describe(`BibTeX read back by @retorquere/bibtex-parser: every entry with its title, DOI and authors intact (${full ? 'whole corpus' : 'fixtures whole, a sample of the corpus; MEDLINE_FULL_CORPUS=1: whole corpus'})`, () => {
  it.each(inputs)('%s', (name, citations) => {
    const library = parseBibtex(render(citations), { sentenceCase: false });
    expect({ name, errors: library.errors }).toEqual({ name, errors: [] });
    expect({ name, entries: library.entries.length }).toEqual({ name, entries: citations.length });
    library.entries.forEach((entry, i) => {
      const c = citations[i]!;
      const title = c.title ?? c.book?.title;
      if (title) expect({ name, title: entry.fields['title'] }).toEqual({ name, title });
      if (c.ids.doi) expect(entry.fields['doi']).toBe(c.ids.doi);
      const authors = (entry.fields['author'] ?? []) as Array<{ lastName?: string; name?: string; prefix?: string }>;
      expect(authors.length).toBe(c.authors.length + (c.authorsTruncated ? 1 : 0));
      c.authors.forEach((a, j) => {
        const read = authors[j]!.name ?? [authors[j]!.prefix, authors[j]!.lastName].filter(Boolean).join(' ');
        expect(read).toBe(a.collective ?? a.family ?? '');
      });
    });
  });
});
