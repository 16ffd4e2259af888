/** The library API: one-shot, async iterator and Transform stream agree. */
import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { createFormatter, formatAll, MedlineParseStream, parse, parseStream, type Citation, type Diagnostic } from '../src/index.js';
import { fixture } from './helpers.js';

const FILE = fixture('text-between-records.txt');

describe('library API', () => {
  const expected = parse(readFileSync(FILE, 'utf8'));

  it('parseStream reads a file stream to the same citations and diagnostics', async () => {
    const diagnostics: Diagnostic[] = [];
    const citations: Citation[] = [];
    for await (const c of parseStream(createReadStream(FILE, { highWaterMark: 64 }), { onDiagnostic: (d) => diagnostics.push(d) })) citations.push(c);
    expect(citations).toEqual(expected.citations);
    expect(diagnostics).toEqual(expected.diagnostics);
  });

  it('MedlineParseStream is a Transform from bytes to citations with diagnostic events', async () => {
    const citations: Citation[] = [];
    const diagnostics: Diagnostic[] = [];
    const stream = new MedlineParseStream();
    stream.on('diagnostic', (d: Diagnostic) => diagnostics.push(d));
    await pipeline(Readable.from([readFileSync(FILE)]), stream, async (source: AsyncIterable<Citation>) => {
      for await (const c of source) citations.push(c);
    });
    expect(citations).toEqual(expected.citations);
    expect(diagnostics).toEqual(expected.diagnostics);
  });

  it('formats with formatAll', () => {
    expect(formatAll(createFormatter('ris'), expected.citations).match(/^TY {2}- /gm)).toHaveLength(expected.citations.length);
  });
});
