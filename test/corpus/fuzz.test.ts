/**
 * Mutation fuzzing of real records (fast-check): truncated anywhere, lines deleted or
 * duplicated, blank lines dropped, random bytes and invalid UTF-8 inserted, line endings
 * mixed, indentation stripped or added. For every mutated input: no exception, the command
 * exits 0 or 1 (2 only for a clean "binary file" refusal), every output format stays valid,
 * every record whose PMID line survived is emitted, and chunking does not matter.
 *
 * In `npm test` it is bounded in time; `npm run fuzz -- --runs 100000 [--seed N]` runs it
 * long, and writes any failing input to fixtures/fuzz-found/.
 */
import { parse as parseBibtex } from '@retorquere/bibtex-parser';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAll } from '../../src/formats/formatter.js';
import { BinaryInputError } from '../../src/node/decoder.js';
import type { Citation } from '../../src/types.js';
import { createFormatter } from '../../src/formats/index.js';
import { parse } from '../../src/parser.js';
import { run } from '../cli-helpers.js';
import { fixture, parseByteChunks, ROOT, splitAt } from '../helpers.js';

const LONG = process.env['FUZZ_RUNS'] !== undefined;
const RUNS = LONG ? Number(process.env['FUZZ_RUNS']) : 120;
const SEED = process.env['FUZZ_SEED'] !== undefined ? Number(process.env['FUZZ_SEED']) : undefined;
const TIME_LIMIT_MS = LONG ? undefined : 6_000;

const SOURCES = [
  'reference-record.txt',
  'biopython-four-records.txt',
  'collective-author-investigators-other-abstract.nbib',
  'book-chapter-genereviews.nbib',
  'pmc-medlars-dialect.txt',
  'two-records-crlf.nbib',
  'malformed-and-squeezed-tag-lines.txt',
].map((name) => new Uint8Array(readFileSync(fixture(name))));

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'deleteLine' | 'duplicateLine' | 'stripIndent'; line: number }
  | { kind: 'addIndent'; line: number; width: number; tab: boolean }
  | { kind: 'dropBlankLines' }
  | { kind: 'insertBytes'; at: number; bytes: Uint8Array }
  | { kind: 'invalidUtf8'; at: number; which: number }
  | { kind: 'mixLineEndings'; pattern: number[] };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constantFrom('deleteLine' as const, 'duplicateLine' as const, 'stripIndent' as const), line: fc.nat() }),
  // spaces or a tab before any line, tag lines included (a hand edit: `\tOWN - NLM`)
  fc.record({ kind: fc.constant('addIndent' as const), line: fc.nat(), width: fc.integer({ min: 1, max: 8 }), tab: fc.boolean() }),
  fc.record({ kind: fc.constant('dropBlankLines' as const) }),
  fc.record({ kind: fc.constant('insertBytes' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('invalidUtf8' as const), at: fc.nat(), which: fc.nat(5) }),
  fc.record({ kind: fc.constant('mixLineEndings' as const), pattern: fc.array(fc.nat(2), { minLength: 1, maxLength: 7 }) }),
);

const INVALID = [[0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x28, 0x8c, 0x28], [0xff], [0x80], [0xed, 0xa0, 0x80]];
const EOL = [[0x0a], [0x0d, 0x0a], [0x0d]];

function lines(bytes: Uint8Array): number[][] {
  const out: number[][] = [[]];
  for (const b of bytes) {
    if (b === 0x0a) out.push([]);
    else out[out.length - 1]!.push(b);
  }
  return out;
}

const join_ = (ls: number[][]) => new Uint8Array(ls.flatMap((l, i) => (i === 0 ? l : [0x0a, ...l])));

function mutate(input: Uint8Array, m: Mutation): Uint8Array {
  const ls = lines(input);
  const line = (n: number) => n % ls.length;
  switch (m.kind) {
    case 'truncate':
      return input.subarray(0, m.at % (input.length + 1));
    case 'deleteLine':
      ls.splice(line(m.line), 1);
      return join_(ls);
    case 'duplicateLine':
      ls.splice(line(m.line), 0, [...ls[line(m.line)]!]);
      return join_(ls);
    case 'stripIndent': {
      const l = ls[line(m.line)]!;
      while (l[0] === 0x20 || l[0] === 0x09) l.shift();
      return join_(ls);
    }
    case 'addIndent':
      ls[line(m.line)]!.unshift(...(m.tab ? [0x09] : new Array<number>(m.width).fill(0x20)));
      return join_(ls);
    case 'dropBlankLines':
      return join_(ls.filter((l) => l.some((b) => b !== 0x20 && b !== 0x0d && b !== 0x09)));
    case 'insertBytes':
    case 'invalidUtf8': {
      const at = m.at % (input.length + 1);
      const bytes = m.kind === 'insertBytes' ? [...m.bytes] : INVALID[m.which]!;
      return new Uint8Array([...input.subarray(0, at), ...bytes, ...input.subarray(at)]);
    }
    case 'mixLineEndings':
      return new Uint8Array(
        ls.flatMap((l, i) => {
          const body = l[l.length - 1] === 0x0d ? l.slice(0, -1) : l;
          return i === 0 ? body : [...EOL[m.pattern[i % m.pattern.length]!]!, ...body];
        }),
      );
  }
}

const mutatedInput = fc
  .tuple(fc.nat(SOURCES.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([source, mutations]) => mutations.reduce(mutate, SOURCES[source]!));

/** Lines that still start a record: `PMID-` at the start of a line, with the rest of that line. */
function survivingPmids(text: string): string[] {
  // the blanks the tokenizer skips after the dash and trims at the end: space, tab, VT, FF
  return [...text.matchAll(/(?:^|[\r\n])PMID-[ \t\v\f]*([^\r\n]*)/g)].map((m) => m[1]!.replace(/[ \t\v\f]+$/, '')).filter((p) => p.length > 0);
}

/** Keeps a failing input; shrinking calls this again and again, the last (smallest) one stays. */
function keep(input: Uint8Array, name: string): string {
  const dir = join(ROOT, 'fixtures', 'fuzz-found');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}-seed${SEED ?? 'random'}.txt`);
  writeFileSync(path, input);
  return path;
}

function check(name: string, property: (input: Uint8Array) => void | Promise<void>) {
  return async () => {
    await fc.assert(
      fc.asyncProperty(mutatedInput, async (input) => {
        try {
          await property(input);
        } catch (error) {
          if (LONG) (error as Error).message += `\n(input kept in ${keep(input, name)})`;
          throw error;
        }
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), ...(TIME_LIMIT_MS ? { interruptAfterTimeLimit: TIME_LIMIT_MS } : {}) },
    );
  };
}

const timeout = LONG ? 24 * 3600_000 : 60_000;

describe('mutated real records', () => {
  it(
    'parse without exception, the same in any chunks, and keep every surviving PMID',
    check('parse', (input) => {
      let whole: ReturnType<typeof parseByteChunks>;
      try {
        whole = parseByteChunks([input], true);
      } catch (error) {
        // the one refusal: a head that is 1% NUL bytes or 5% control characters no text has is binary
        expect(error).toBeInstanceOf(BinaryInputError);
        const head = input.subarray(0, 8192);
        const controls = head.filter((b) => b < 0x20 && ![0x09, 0x0a, 0x0c, 0x0d, 0x1a].includes(b)).length;
        expect(head.filter((b) => b === 0).length * 100 >= head.length || controls * 20 >= head.length).toBe(true);
        return;
      }
      const cuts = [...new Set([1, 7, 64, 200].map((n) => n % Math.max(1, input.length)))].filter((n) => n > 0).sort((a, b) => a - b);
      expect(parseByteChunks(splitAt(input, cuts), true)).toEqual(whole);
      const text = new TextDecoder().decode(input);
      // a PMID never wraps: each surviving PMID line gives a record with exactly its value
      const emitted = whole.citations.map((c) => c.pmid ?? '');
      for (const pmid of survivingPmids(text)) expect(emitted).toContain(pmid);
    }),
    timeout,
  );

  it(
    'give valid output in every format',
    check('formats', (input) => {
      let citations: Citation[];
      try {
        citations = parseByteChunks([input], true).citations;
      } catch (error) {
        if (error instanceof BinaryInputError) return;
        throw error;
      }
      const n = citations.length;
      const out = (format: Parameters<typeof createFormatter>[0]) => formatAll(createFormatter(format), citations);
      expect(JSON.parse(out('json'))).toHaveLength(n);
      expect(out('ndjson').split('\n').filter(Boolean).map((l) => JSON.parse(l))).toHaveLength(n);
      expect(JSON.parse(out('csl'))).toHaveLength(n);
      const rows: string[][] = parseCsv(out('csv'));
      expect(rows).toHaveLength(n + 1);
      expect(new Set(rows.map((r) => r.length)).size).toBe(1);
      const tsv = out('tsv').split('\n');
      expect(tsv).toHaveLength(n + 2);
      expect(new Set(tsv.slice(0, -1).map((l) => l.split('\t').length)).size).toBe(1);
      const bib = parseBibtex(out('bibtex'), { sentenceCase: false });
      expect(bib.errors).toEqual([]);
      expect(bib.entries).toHaveLength(n);
      const ris = out('ris');
      expect(ris.match(/^TY {2}- /gm)?.length ?? 0).toBe(n);
      expect(ris.match(/^ER {2}- $/gm)?.length ?? 0).toBe(n);
      expect(parse(out('medline'), { raw: true }).citations).toEqual(citations);
    }),
    timeout,
  );

  it(
    'end the command with status 0 or 1, or 2 with a clean binary-file refusal, never a crash',
    check('command', async (input) => {
      const r = await run(['-', '--to', 'ndjson'], { stdin: Buffer.from(input) });
      if (r.status === 2) expect(r.stderr).toMatch(/^medline: <stdin>: this looks like a binary file/m);
      else expect([0, 1]).toContain(r.status);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }),
    timeout,
  );
});
