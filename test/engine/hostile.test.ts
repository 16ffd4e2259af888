/**
 * Hostile input in linear time. Every tag gets values built to make backtracking patterns
 * explode (long runs of blanks before the character a pattern hopes for), each parsed and
 * written in every format, at n and at 8n characters: linear work grows about 8 times,
 * quadratic work 64 times. The bound is a growth of 24, which a machine three times slower or
 * busy with other work keeps (both sizes slow down alike) and quadratic code still breaks
 * (it took 6–21 s at 100,000 characters). The index-based helpers that replaced such patterns
 * are checked against those patterns.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bracketSuffix, passimSuffix, splitAtCommas, withoutFinalPeriod } from '../../src/citation/scan.js';
import { TAGS } from '../../src/core/tags.js';
import { formatAll } from '../../src/formats/formatter.js';
import { createFormatter, FORMAT_NAMES } from '../../src/formats/index.js';
import { MedlineTokenizer } from '../../src/core/tokenizer.js';
import { parse } from '../../src/parser.js';

const N = 12_500;

/** Values meant to hurt, each about `size` characters. */
const HOSTILE: ReadonlyArray<[string, (size: number) => string]> = [
  ['digit, blanks, digit', (n) => `1${' '.repeat(n)}2`],
  ['blanks before a bracket that never closes', (n) => `x${' '.repeat(n)}[doi`],
  ['blanks then a label', (n) => `x${' '.repeat(n)}[doi]`],
  ['blanks, comma, blanks', (n) => `1${' '.repeat(n / 2)},${' '.repeat(n / 2)}2`],
  ['blanks before passim', (n) => `1-2${' '.repeat(n)}passi`],
  ['PMID then blanks and a letter', (n) => `See PMID: 1${' '.repeat(n)}x`],
  ['brackets', (n) => '['.repeat(n / 2) + ']'.repeat(n / 2 - 1) + 'x'],
  ['dashes', (n) => '-'.repeat(n)],
  ['opening parentheses', (n) => 'x ' + '('.repeat(n)],
  ['commas', (n) => `x${','.repeat(n)}`],
  ['an unbroken word', (n) => 'A'.repeat(n)],
];

function convertEverywhere(text: string): void {
  const { citations } = parse(text, { raw: true });
  for (const format of FORMAT_NAMES) formatAll(createFormatter(format), citations);
}

/** The fastest of three runs, in ms: the least disturbed by the rest of the machine. */
function time(work: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * How much longer the work takes at 8n than at n. The small run is floored, so that a size
 * too fast to time cannot make the growth huge.
 */
const FLOOR_MS = 5;
const MAX_GROWTH = 24;
function growth(work: (n: number) => void, n: number): number {
  const small = Math.max(FLOOR_MS, time(() => work(n)));
  return Math.round(time(() => work(8 * n)) / small);
}

const record = (tag: string, value: string) => `PMID- 1\nTI  - A title\n${tag.padEnd(4)}- ${value}\n`;

describe('every tag, hostile values, every format: work grows linearly (n against 8n)', () => {
  it.each(TAGS.map((t) => t.tag))('%s', (tag) => {
    for (const [what, value] of HOSTILE) {
      const g = growth((n) => convertEverywhere(record(tag, value(n))), N);
      expect({ what, growth: g }).toEqual({ what, growth: expect.toSatisfy((r: number) => r <= MAX_GROWTH) });
    }
  });
});

describe('line ends: CR alone is read in linear time, as LF is', () => {
  it('records with CR line ends, n against 8n, as text and as bytes', () => {
    const text = (records: number) => Array.from({ length: records }, (_, i) => `PMID- ${i + 1}\rTI  - Title of record ${i}\rAB  - ${'text '.repeat(30)}\r`).join('\r');
    const tokenize = (asBytes: boolean) => (records: number) => {
      const tokenizer = new MedlineTokenizer({ onRecord: () => undefined, onDiagnostic: () => undefined });
      const cr = text(records);
      if (asBytes) tokenizer.writeBytes(new TextEncoder().encode(cr));
      else tokenizer.write(cr);
      tokenizer.end();
    };
    for (const asBytes of [false, true]) {
      expect({ asBytes, growth: growth(tokenize(asBytes), 5_000) }).toEqual({ asBytes, growth: expect.toSatisfy((r: number) => r <= MAX_GROWTH) });
    }
  });
});

describe('the linear helpers give what the patterns they replaced gave', () => {
  const text = fc.string({ unit: fc.constantFrom(' ', '\t', 'a', '1', '[', ']', ',', '.', '-', 'P', 'passim', 'PMID:', '\u00a0') as fc.Arbitrary<string>, maxLength: 24 });
  const asRegex = (re: RegExp, s: string) => {
    const m = re.exec(s);
    return m ? { head: m[1]!, label: m[2]! } : null;
  };

  it('bracketSuffix', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(bracketSuffix(s, true)).toEqual(asRegex(/^(.*?)\s*\[([^\]]+)\]$/, s));
        expect(bracketSuffix(s, false)).toEqual(asRegex(/^(.*?)\s*\[([^\][]+)\]$/, s));
      }),
      { numRuns: 3000 },
    );
  });

  it('splitAtCommas, passimSuffix, withoutFinalPeriod', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(splitAtCommas(s)).toEqual(s.split(/\s*,\s*/));
        const m = /^(.*?)(\s+passim)$/i.exec(s);
        expect(passimSuffix(s)).toEqual(m ? { core: m[1]!, suffix: m[2]! } : null);
        expect(/PMID:\s*(\d+)$/.exec(withoutFinalPeriod(s))?.[1] ?? null).toEqual(/PMID:\s*(\d+)\s*\.?\s*$/.exec(s)?.[1] ?? null);
      }),
      { numRuns: 3000 },
    );
  });
});
