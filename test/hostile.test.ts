/**
 * Hostile input in linear time. Every tag gets 100,000-character values built to make
 * backtracking patterns explode (long runs of blanks before the character a pattern hopes
 * for), and each is parsed and written in every format; its time is compared with a plain
 * value of the same size in the same run. Quadratic code took 6–21 s here against a few
 * milliseconds, so a ratio bound of 25 holds on a slow or busy machine and still fails it.
 * The index-based helpers that replaced such patterns are checked against those patterns.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bracketSuffix, passimSuffix, splitAtCommas, withoutFinalPeriod } from '../src/citation/scan.js';
import { TAGS } from '../src/core/tags.js';
import { formatAll } from '../src/formats/formatter.js';
import { createFormatter, FORMAT_NAMES } from '../src/formats/index.js';
import { MedlineTokenizer } from '../src/core/tokenizer.js';
import { parse } from '../src/parser.js';

const SIZE = 100_000;
const blanks = ' '.repeat(SIZE);

/** Values meant to hurt, each SIZE characters or so. */
const HOSTILE: ReadonlyArray<[string, string]> = [
  ['digit, blanks, digit', `1${blanks}2`],
  ['blanks before a bracket that never closes', `x${blanks}[doi`],
  ['blanks then a label', `x${blanks}[doi]`],
  ['blanks, comma, blanks', `1${blanks},${blanks}2`.slice(0, SIZE)],
  ['blanks before passim', `1-2${blanks}passi`],
  ['PMID then blanks and a letter', `See PMID: 1${blanks}x`],
  ['brackets', '['.repeat(SIZE / 2) + ']'.repeat(SIZE / 2 - 1) + 'x'],
  ['dashes', '-'.repeat(SIZE)],
  ['opening parentheses', 'x ' + '('.repeat(SIZE)],
  ['commas', `x${','.repeat(SIZE)}`],
  ['an unbroken word', 'A'.repeat(SIZE)],
];
const plain = 'word '.repeat(SIZE / 5).trim();

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

const record = (tag: string, value: string) => `PMID- 1\nTI  - A title\n${tag.padEnd(4)}- ${value}\n`;
// the ratio is taken against a floor, so that a plain value too fast to time cannot make it huge
const FLOOR_MS = 2;
const MAX_RATIO = 25;

describe('every tag, hostile values of 100,000 characters, every format: time within 25× a plain value', () => {
  it.each(TAGS.map((t) => t.tag))('%s', (tag) => {
    const normal = Math.max(FLOOR_MS, time(() => convertEverywhere(record(tag, plain))));
    for (const [what, value] of HOSTILE) {
      const hostile = time(() => convertEverywhere(record(tag, value)));
      expect({ what, ratio: Math.round(hostile / normal) }).toEqual({ what, ratio: expect.toSatisfy((r: number) => r <= MAX_RATIO) });
    }
  });
});

describe('line ends: CR alone costs what LF costs', () => {
  it('8 MB with CR line ends tokenizes in time within 5× the same text with LF', () => {
    const lf = Array.from({ length: 40_000 }, (_, i) => `PMID- ${i + 1}\nTI  - Title of record ${i}\nAB  - ${'text '.repeat(30)}\n`).join('\n');
    const cr = lf.replace(/\n/g, '\r');
    const tokenize = (text: string, asBytes: boolean) => () => {
      const tokenizer = new MedlineTokenizer({ onRecord: () => undefined, onDiagnostic: () => undefined });
      if (asBytes) tokenizer.writeBytes(new TextEncoder().encode(text));
      else tokenizer.write(text);
      tokenizer.end();
    };
    for (const asBytes of [false, true]) {
      const ratio = time(tokenize(cr, asBytes)) / Math.max(FLOOR_MS, time(tokenize(lf, asBytes)));
      expect({ asBytes, ratio: Math.round(ratio) }).toEqual({ asBytes, ratio: expect.toSatisfy((r: number) => r <= 5) });
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
