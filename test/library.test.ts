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

describe('library API: JSON back in, and choosing records', () => {
  it('parseCitationJson reads back what the ndjson formatter wrote; selectCitations dedupes and filters', async () => {
    const { parseCitationJson, selectCitations } = await import('../src/index.js');
    const citations = parse(readFileSync(fixture('crlf-export-75-records.nbib'), 'utf8')).citations;
    const ndjson = formatAll(createFormatter('ndjson'), [...citations, ...citations]);
    const back: Citation[] = [];
    for await (const c of parseCitationJson(Readable.from([Buffer.from(ndjson)]))) back.push(c);
    expect(back).toEqual([...citations, ...citations]);
    const duplicates: Diagnostic[] = [];
    const once: Citation[] = [];
    for await (const c of selectCitations(back, { dedupe: true, onDiagnostic: (d) => duplicates.push(d) })) once.push(c);
    expect(once).toEqual(citations);
    expect(duplicates).toHaveLength(75);
    expect(duplicates[0]!.message).toBe(`PMID ${citations[0]!.pmid}, kept citation 1; this one left out (citation 76)`);
    const chosen: Citation[] = [];
    for await (const c of selectCitations(citations, { pmids: [citations[5]!.pmid!, citations[2]!.pmid!] })) chosen.push(c);
    expect(chosen).toEqual([citations[2], citations[5]]);
  });
});

describe('InputDecoder.write, the text API', () => {
  it('finds invalid UTF-8 whatever the chunks, a sequence split between chunks being no error', async () => {
    const { InputDecoder } = await import('../src/index.js');
    // é split between chunks, then a lone 0xE9 (Latin-1 é), then a real U+FFFD (EF BF BD)
    const bytes = new Uint8Array([...new TextEncoder().encode('PMID- 1\nTI  - caf'), 0xc3, 0xa9, 0x20, 0xe9, 0x20, 0xef, 0xbf, 0xbd, 0x0a, ...new Array(8200).fill(0x20)]);
    for (const cut of [1, 19, 20, 21, 25, 8000]) {
      const decoder = new InputDecoder();
      const a = decoder.write(bytes.subarray(0, cut));
      const b = decoder.write(bytes.subarray(cut));
      const c = decoder.end();
      const text = a.text + b.text + c.text;
      const notes = [...a.notes, ...b.notes, ...c.notes];
      expect(text.startsWith('PMID- 1\nTI  - café \uFFFD \uFFFD\n')).toBe(true);
      expect(notes.map((n) => [n.offset, n.message])).toEqual([
        [19, 'invalid UTF-8 byte 0xE9 at byte offset 20 replaced by U+FFFD (is the file Latin-1? try --encoding latin1)'],
      ]);
    }
  });
});
