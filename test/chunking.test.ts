/**
 * Splitting the input into chunks never changes the result: every fixture, whole vs one
 * character (or byte) at a time vs random splits, as strings and as bytes.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fixture,
  fixtureNames,
  oneByteAtATime,
  oneCharAtATime,
  parseByteChunks,
  parseChunks,
  splitAt,
} from './helpers.js';

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
