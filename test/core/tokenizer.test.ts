import { describe, expect, it } from 'vitest';
import { MedlineTokenizer } from '../../src/core/tokenizer.js';
import { parseRecords } from '../../src/parser.js';
import type { Diagnostic, RawRecord } from '../../src/types.js';
import { readFixture } from '../helpers.js';

function tokenize(...chunks: string[]): { records: RawRecord[]; diagnostics: Diagnostic[] } {
  const records: RawRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const t = new MedlineTokenizer({ onRecord: (r) => records.push(r), onDiagnostic: (d) => diagnostics.push(d) });
  for (const c of chunks) t.write(c);
  t.end();
  return { records, diagnostics };
}

const fieldsOf = (r: RawRecord) => r.fields.map((f) => [f.tag, f.value]);
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

describe('line endings and framing', () => {
  const lf = 'PMID- 1\nTI  - A title\n      wrapped.\n\nPMID- 2\nTI  - B\n';
  const expected = [
    [['PMID', '1'], ['TI', 'A title wrapped.']],
    [['PMID', '2'], ['TI', 'B']],
  ];

  it.each([
    ['LF', lf],
    ['CRLF', lf.replace(/\n/g, '\r\n')],
    ['lone CR', lf.replace(/\n/g, '\r')],
    ['a BOM', '\uFEFF' + lf],
    ['leading blank lines', '\n\n' + lf],
    ['no final newline', lf.slice(0, -1)],
    ['trailing blank lines', lf + '\n\n\n'],
    ['a CRLF split between chunks', lf.replace(/\n/g, '\r\n')],
  ])('reads records with %s', (_name, text) => {
    const { records, diagnostics } = tokenize(text);
    expect(records.map(fieldsOf)).toEqual(expected);
    expect(diagnostics).toEqual([]);
  });

  it('joins CR and LF across a chunk boundary into one line break', () => {
    const { records } = tokenize('PMID- 1\r', '\nTI  - x\r', '\n\r\n', 'PMID- 2\r\n');
    expect(records.map(fieldsOf)).toEqual([[['PMID', '1'], ['TI', 'x']], [['PMID', '2']]]);
  });

  it('gives 1-based line numbers that count CRLF once', () => {
    const { records } = tokenize('\r\nPMID- 1\r\nTI  - x\r\n\r\nPMID- 2\r\n');
    expect(records.map((r) => r.fields.map((f) => f.line))).toEqual([[2, 3], [5]]);
  });

  it('starts a new record at a PMID line without a blank line, and says so', () => {
    const { records, diagnostics } = tokenize('PMID- 1\nTI  - a\nPMID- 2\nTI  - b\n');
    expect(records.map(fieldsOf)).toEqual([[['PMID', '1'], ['TI', 'a']], [['PMID', '2'], ['TI', 'b']]]);
    expect(diagnostics).toMatchObject([{ code: 'MISSING_BLANK_LINE', line: 3, column: 1, pmid: '1' }]);
  });

  it('keeps PMC- and UI-first records whole (PMID is not always the first tag)', () => {
    const { records } = tokenize('\nPMC - PMC1\nPMID- 1\nTI  - a\n\nUI  - 9\nAU  - X Y\nPMID- 2\n');
    expect(records.map(fieldsOf)).toEqual([
      [['PMC', 'PMC1'], ['PMID', '1'], ['TI', 'a']],
      [['UI', '9'], ['AU', 'X Y'], ['PMID', '2']],
    ]);
  });

  it('treats a white-space-only line as a separator between records', () => {
    const { records } = tokenize('PMID- 1\nTI  - a\n   \nPMID- 2\n');
    expect(records.map(fieldsOf)).toEqual([[['PMID', '1'], ['TI', 'a']], [['PMID', '2']]]);
  });

  it('treats a white-space-only line inside a wrapped value as part of it', () => {
    const { records } = tokenize('PMID- 1\nAB  - first\n     \n      second\nTI  - t\n');
    expect(records.map(fieldsOf)).toEqual([[['PMID', '1'], ['AB', 'first second'], ['TI', 't']]]);
  });

  it('reads the real file with white-space lines inside an abstract as one record', () => {
    const { records } = parseRecords(readFixture('whitespace-lines-inside-abstract.txt'));
    expect(records).toHaveLength(1);
    const ab = records[0]!.fields.find((f) => f.tag === 'AB')!.value;
    expect(ab).toMatch(/^A survey of government reports and the archives and journals of other agencies interested in industrial health/);
    expect(ab).not.toMatch(/ {2}/);
  });
});

describe('continuation lines', () => {
  it('joins with exactly one space, ignoring PubMed\'s trailing blanks', () => {
    const { records } = tokenize('PMID- 1\nCN  - The Big \n      Consortium \nGR  - R01/CA/NCI NIH \n      HHS/United States\n');
    expect(fieldsOf(records[0]!)).toEqual([
      ['PMID', '1'],
      ['CN', 'The Big Consortium'],
      ['GR', 'R01/CA/NCI NIH HHS/United States'],
    ]);
  });

  it.each([
    ['six spaces', '      '],
    ['a tab', '\t'],
    ['one space', ' '],
    ['seven spaces', '       '],
  ])('accepts continuations indented by %s', (_name, indent) => {
    const { records, diagnostics } = tokenize(`PMID- 1\nAB  - one\n${indent}two\n`);
    expect(fieldsOf(records[0]!)).toEqual([['PMID', '1'], ['AB', 'one two']]);
    expect(diagnostics).toEqual([]);
  });

  it('can follow any tag, unknown ones too', () => {
    const { records } = tokenize('PMID- 1\nZZZ - a\n      b\nCOIS- c\n      d\n');
    expect(fieldsOf(records[0]!)).toEqual([['PMID', '1'], ['ZZZ', 'a b'], ['COIS', 'c d']]);
  });

  it('continues an empty value without a leading space', () => {
    const { records } = tokenize('PMID- 1\nAB  -\n      text\n');
    expect(fieldsOf(records[0]!)).toEqual([['PMID', '1'], ['AB', 'text']]);
  });
});

describe('tag lines', () => {
  it('keeps unknown tags and says so', () => {
    const { records, diagnostics } = tokenize('PMID- 1\nXYZ - new\n');
    expect(fieldsOf(records[0]!)).toEqual([['PMID', '1'], ['XYZ', 'new']]);
    expect(diagnostics).toMatchObject([{ code: 'UNKNOWN_TAG', line: 2, pmid: '1' }]);
  });

  it('reads empty values with and without the trailing space', () => {
    const { records, diagnostics } = tokenize('PMID- 1\nAB  - \nTI  -\n');
    expect(fieldsOf(records[0]!)).toEqual([['PMID', '1'], ['AB', ''], ['TI', '']]);
    expect(diagnostics).toEqual([]);
  });

  it('recognises squeezed separators with a warning naming line and column', () => {
    const { records, diagnostics } = tokenize('PMID-22664220\nTI  -text\n');
    expect(fieldsOf(records[0]!)).toEqual([['PMID', '22664220'], ['TI', 'text']]);
    expect(diagnostics).toMatchObject([
      { code: 'SQUEEZED_SEPARATOR', line: 1, column: 6, pmid: '22664220' },
      { code: 'SQUEEZED_SEPARATOR', line: 2, column: 6, pmid: '22664220' },
    ]);
  });

  it('keeps a malformed line apart, never glued to the previous value', () => {
    const { records, diagnostics } = parseRecords(readFixture('malformed-and-squeezed-tag-lines.txt'));
    expect(records.map(fieldsOf)).toEqual([
      [['PMID', '27433151'], ['_malformed', 'SO  invalid line'], ['TI', 'This is a test title']],
      [['PMID', '27394443'], ['SO', 'another invalid line'], ['TI', 'This is also a test title']],
    ]);
    expect(diagnostics.map((d) => [d.code, d.line, d.column, d.pmid])).toEqual([
      ['MALFORMED_LINE', 3, 1, '27433151'],
      ['IRREGULAR_PADDING', 7, 3, '27394443'],
      ['SQUEEZED_SEPARATOR', 8, 6, '27394443'],
    ]);
  });

  it('reports text before the first record and skips it', () => {
    const { records, diagnostics } = tokenize('Search results\n\nPMID- 1\n');
    expect(records.map(fieldsOf)).toEqual([[['PMID', '1']]]);
    expect(diagnostics).toMatchObject([{ code: 'TEXT_OUTSIDE_RECORD', line: 1, column: 1, pmid: null }]);
  });

  it('says when an input has text but no record at all', () => {
    const { records, diagnostics } = tokenize('hello world\nthis is not medline\n');
    expect(records).toEqual([]);
    expect(codes(diagnostics)).toEqual(['TEXT_OUTSIDE_RECORD', 'TEXT_OUTSIDE_RECORD', 'NO_RECORDS']);
    expect(diagnostics[2]!.severity).toBe('error');
  });

  it('says nothing about an empty or blank input', () => {
    expect(tokenize('')).toEqual({ records: [], diagnostics: [] });
    expect(tokenize('\n\n  \n\r\n')).toEqual({ records: [], diagnostics: [] });
  });
});

describe('flattened records (line breaks lost)', () => {
  it('recovers the fields, with columns pointing into the line', () => {
    const { records, diagnostics } = tokenize('PMID- 33634996 OWN - NLM STAT- MEDLINE TI - A title - with a dash. AU - Xu X\n');
    expect(fieldsOf(records[0]!)).toEqual([
      ['PMID', '33634996'],
      ['OWN', 'NLM'],
      ['STAT', 'MEDLINE'],
      ['TI', 'A title - with a dash.'],
      ['AU', 'Xu X'],
    ]);
    expect(records[0]!.fields.map((f) => f.column)).toEqual([1, 16, 26, 40, 68]);
    expect(diagnostics).toMatchObject([{ code: 'FLATTENED_RECORD', line: 1 }]);
  });

  it('leaves an ordinary line with one dash-separated word alone', () => {
    const { records } = tokenize('PMID- 1\nTI  - Results - AB testing of CI - 95% ranges\n');
    expect(fieldsOf(records[0]!)).toEqual([['PMID', '1'], ['TI', 'Results - AB testing of CI - 95% ranges']]);
  });

  it('splits several flattened records on one line at their PMIDs', () => {
    const { records } = tokenize('PMID- 1 OWN - NLM TI - a PMID- 2 OWN - NLM TI - b');
    expect(records.map(fieldsOf)).toEqual([
      [['PMID', '1'], ['OWN', 'NLM'], ['TI', 'a']],
      [['PMID', '2'], ['OWN', 'NLM'], ['TI', 'b']],
    ]);
  });
});

describe('long lines', () => {
  it('reads a 5 MB value given in 1 kB chunks', () => {
    const value = 'word '.repeat(1_000_000).trim();
    const text = `PMID- 1\nAB  - ${value}\n`;
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 1024) chunks.push(text.slice(i, i + 1024));
    const { records } = tokenize(...chunks);
    expect(records[0]!.fields[1]!.value.length).toBe(value.length);
  });
});

describe('unit boundaries for --jobs', () => {
  it('cuts only after an empty line, whatever the line ends', async () => {
    const { lastBoundary } = await import('../../src/engine/unit.js');
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(lastBoundary(bytes('PMID- 1\n\nPMID- 2\nTI  - x\n'))).toBe(9);
    expect(lastBoundary(bytes('PMID- 1\r\n\r\nPMID- 2\r\n'))).toBe(11);
    expect(lastBoundary(bytes('PMID- 1\n\r\nPMID- 2\n'))).toBe(10);
    expect(lastBoundary(bytes('PMID- 1\nAB  - a\n   \n      b\n'))).toBe(-1);
    expect(lastBoundary(bytes('PMID- 1\nTI  - x\n'))).toBe(-1);
    // CR line ends: CR CR is an empty line, unless the second CR begins a CR LF
    expect(lastBoundary(bytes('PMID- 1\r\rPMID- 2\rTI  - x\r'))).toBe(9);
    expect(lastBoundary(bytes('PMID- 1\rTI  - x\r\r'))).toBe(-1);
    expect(lastBoundary(bytes('PMID- 1\r\r\nTI  - x'))).toBe(10);
  });
});

describe('found by fuzzing', () => {
  it('reads a value after a tab and spaces behind the dash (PMID-\\t 123)', () => {
    const { records, diagnostics } = tokenize('PMID-\t 27394443\nTI  -  two spaces\n');
    expect(fieldsOf(records[0]!)).toEqual([['PMID', '27394443'], ['TI', 'two spaces']]);
    expect(diagnostics).toEqual([]);
  });

  it('does not take a value quoting two tags for a flattened record', () => {
    const { records, diagnostics } = tokenize('PMID- 1\nOCI - Copyright belongs to someone NM  - substance name RN  - 123456789\n');
    expect(fieldsOf(records[0]!)).toEqual([['PMID', '1'], ['OCI', 'Copyright belongs to someone NM  - substance name RN  - 123456789']]);
    expect(diagnostics).toEqual([]);
  });
});

describe('limits: a line or value longer than the limit is cut, reported, and the rest goes on', () => {
  const run = (chunks: Array<string | Uint8Array>, maxTextLength: number) => {
    const records: RawRecord[] = [];
    const diagnostics: Diagnostic[] = [];
    const t = new MedlineTokenizer({ onRecord: (r) => records.push(r), onDiagnostic: (d) => diagnostics.push(d) }, { maxTextLength });
    for (const c of chunks) {
      if (typeof c === 'string') t.write(c);
      else t.writeBytes(c);
    }
    t.end();
    return { records: records.map(fieldsOf), diagnostics: diagnostics.map((d) => [d.code, d.line, d.pmid]) };
  };
  const text = `PMID- 7\nTI  - ${'x'.repeat(300)}\nAB  - fine\n\nPMID- 8\nTI  - next\n`;
  const expected = {
    records: [
      [['PMID', '7'], ['TI', 'x'.repeat(94)], ['AB', 'fine']],
      [['PMID', '8'], ['TI', 'next']],
    ],
    diagnostics: [['TOO_LONG', 2, '7']],
  };

  it('whatever the chunks, as text or as bytes', () => {
    const bytes = new TextEncoder().encode(text);
    for (const size of [1, 7, 50, 100, 1000]) {
      const textChunks = Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
      const byteChunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
      expect(run(textChunks, 100)).toEqual(expected);
      expect(run(byteChunks, 100)).toEqual(expected);
    }
  });

  it('a value grown past the limit by continuation lines keeps its first lines', () => {
    const wrapped = `PMID- 9\nAB  - ${'a'.repeat(40)}\n${Array.from({ length: 10 }, () => '      ' + 'b'.repeat(40)).join('\n')}\nTI  - after\n`;
    const { records, diagnostics } = run([wrapped], 100);
    expect(records[0]![1]).toEqual(['AB', ['a'.repeat(40), 'b'.repeat(40)].join(' ')]);
    expect(records[0]![2]).toEqual(['TI', 'after']);
    expect(diagnostics).toEqual([['TOO_LONG', 4, '9']]);
  });

  it('a record of many bad lines holds no more than a thousand diagnostics back', () => {
    // no PMID until the end: a thousand at a time wait for it, then go out without it
    const lines = Array.from({ length: 3000 }, (_, i) => `XYZ - ${i}`).join('\n');
    const { diagnostics } = run([`${lines}\nPMID- 5\n`], 1000);
    expect(diagnostics).toHaveLength(3000);
    expect(diagnostics.map((d) => d[1])).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(diagnostics.filter((d) => d[2] === null)).toHaveLength(2002);
    expect(diagnostics.slice(2002).every((d) => d[2] === '5')).toBe(true);
  });
});

describe('found by fuzzing (seed 4242)', () => {
  it('reads a line of a vertical tab or form feed alone as white space, not as an empty malformed line', () => {
    for (const blank of ['\v', '\f', '\v \f']) {
      const { records, diagnostics } = tokenize(`PMID- 1\nTI  - a\n${blank}\n`);
      expect(records.map(fieldsOf)).toEqual([[['PMID', '1'], ['TI', 'a']]]);
      expect(diagnostics).toEqual([]);
    }
  });
});

describe('a BOM inside the input (files concatenated with cat)', () => {
  it('is nothing at the start of any line, so the PMID line behind it stays a PMID line', () => {
    const { records, diagnostics } = tokenize('PMID- 1\nTI  - a\n\n\uFEFFPMID- 2\nTI  - b\n\n\uFEFF\uFEFFPMID- 3\n');
    expect(records.map((r) => r.pmid)).toEqual(['1', '2', '3']);
    expect(diagnostics).toEqual([]);
  });
});
