/**
 * The whole shared corpus (../shared/corpus, about 100 real files): every file parses,
 * with the record count a simple independent reading of the file gives, every PMID line
 * becoming a record, every tag line a field, and every character of every value kept.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MALFORMED_TAG } from '../../src/core/tags.js';
import { parseRecords } from '../../src/parser.js';
import { CORPUS, corpusFiles, corpusName, parseByteChunks } from '../helpers.js';

const files = corpusFiles();

/** Records as a plain reading sees them: blocks of lines between blank lines, with a tag line. */
function expectedRecordCount(text: string): number {
  const lines = text.split(/\r\n|\r|\n/);
  let count = 0;
  let inBlock = false;
  let blockHasTag = false;
  const close = () => {
    if (inBlock && blockHasTag) count++;
    inBlock = false;
    blockHasTag = false;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/^\uFEFF/, '');
    const blank = line.trim() === '';
    let next = i + 1;
    while (next < lines.length && lines[next] !== '' && lines[next]!.trim() === '') next++;
    const nextIndented = /^[ \t]+\S/.test(lines[next] ?? '');
    if (line === '' || (blank && !nextIndented)) {
      close();
      continue;
    }
    if (blank) continue;
    inBlock = true;
    if (/^[A-Z]{2,4} *-/.test(line)) blockHasTag = true;
  }
  close();
  return count;
}

const nonSpace = (s: string): number => s.replace(/\s+/g, '').length;

if (files === null) {
  describe('shared corpus', () => {
    it.skip(`is not here (${CORPUS}): the corpus tests did NOT run, only the fixtures were tested`, () => undefined);
  });
} else {
  describe('shared corpus', () => {
    it('is all here', () => {
      expect(files.length).toBeGreaterThanOrEqual(100);
    });

    describe.each(files.map((f) => [corpusName(f), f]))('%s', (_name, path) => {
      const bytes = new Uint8Array(readFileSync(path));
      const text = new TextDecoder().decode(bytes);
      const { records, diagnostics } = parseRecords(text);

      it('has the record count of a plain reading, one record per PMID line', () => {
        expect(records).toHaveLength(expectedRecordCount(text));
        const pmidLines = [...text.matchAll(/^PMID- *(\S*)/gm)].map((m) => m[1]);
        expect(records.filter((r) => r.pmid !== null).map((r) => r.pmid)).toEqual(pmidLines);
      });

      it('makes every tag line a field and keeps every character of every value', () => {
        const lines = text.split(/\r\n|\r|\n/);
        const tagLines = lines.filter((l) => /^\uFEFF?[A-Z]{2,4} *-/.test(l)).length;
        const fields = records.flatMap((r) => r.fields);
        const flattened = diagnostics.filter((d) => d.code === 'FLATTENED_RECORD').length;
        if (flattened === 0) expect(fields.filter((f) => f.tag !== MALFORMED_TAG)).toHaveLength(tagLines);
        // characters: the text less tag prefixes and skipped outside text equals the values
        const skipped = diagnostics
          .filter((d) => d.code === 'TEXT_OUTSIDE_RECORD')
          .reduce((n, d) => n + nonSpace(lines[d.line - 1]!), 0);
        const prefixes = lines.reduce((n, l) => n + nonSpace(/^\uFEFF?([A-Z]{2,4} *-)/.exec(l)?.[1] ?? ''), 0);
        const values = fields.reduce((n, f) => n + nonSpace(f.value), 0);
        expect(values).toBe(nonSpace(text.replace(/^\uFEFF/, '')) - prefixes - skipped);
      });

      it('maps every record to a citation, from bytes as from text', () => {
        const fromBytes = parseByteChunks([bytes]);
        expect(fromBytes.citations).toHaveLength(records.length);
        const pmids = fromBytes.citations.map((c) => c.pmid);
        expect(pmids).toEqual(records.map((r) => r.pmid));
      });
    });
  });
}
