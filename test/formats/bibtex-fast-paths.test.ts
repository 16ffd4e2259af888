/**
 * The BibTeX writer skips its escaping passes for text that holds nothing to escape, and
 * reads ASCII title words without Unicode patterns. These shortcuts must write exactly
 * what the full passes write: each is checked here against the full pass it skips (the
 * code as it was before the shortcut), on strings made of the characters that matter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { protectCapitals } from '../../src/formats/bibtex.js';
import { asciiFold, latex } from '../../src/formats/latex.js';

const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}', '{': '\\textbraceleft{}', '}': '\\textbraceright{}', '&': '\\&', '%': '\\%', $: '\\$',
  '#': '\\#', _: '\\_', '~': '\\textasciitilde{}', '^': '\\textasciicircum{}', '<': '\\textless{}', '>': '\\textgreater{}', '|': '\\textbar{}',
};

/** `latex` without its shortcut, for text the ASCII mode leaves alone (no non-ASCII character). */
function fullLatex(text: string): string {
  const escaped = text
    .replace(/[\\{}&%$#_~^<>|]/g, (ch) => SPECIAL[ch]!)
    .replace(/[\r\n]+/g, ' ')
    .replace(/-(?=-)/g, '-{}');
  // eslint-disable-next-line no-control-regex
  return escaped.replace(/[\x00-\x08\x0B-\x1F\x7F]/g, '?').replace(/\t/g, ' ');
}

function fullProtectCapitals(title: string, t: (s: string) => string): string {
  return title
    .split(' ')
    .map((word, i) => {
      const capitals = (word.match(/\p{Lu}/gu) ?? []).length;
      const needs = i === 0 ? capitals > 1 || (capitals === 1 && !/^\P{L}*\p{Lu}/u.test(word)) : capitals > 0;
      return needs ? `{${t(word)}}` : t(word);
    })
    .join(' ');
}

function fullAsciiFold(text: string): string {
  const fold: Record<string, string> = { ß: 'ss', æ: 'ae', Æ: 'AE', œ: 'oe', Œ: 'OE', ø: 'o', Ø: 'O', ł: 'l', Ł: 'L', đ: 'd', Đ: 'D', þ: 'th', Þ: 'TH', ð: 'd' };
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[ßæÆœŒøØłŁđĐþÞð]/g, (ch) => fold[ch] ?? '')
    .replace(/[^A-Za-z0-9]/g, '');
}

const units = ['a', 'Z', 'q', '1', ' ', '-', '--', '\t', '\r', '\n', '\x00', '\x1b', '\x7f', '{', '}', '\\', '$', '%', '&', '#', '_', '~', '^', '<', '>', '|', ',', '.', '(', 'É', 'é', 'ß', 'Ł', 'µ', 'α', 'Ω', '\u0301', '\u00a0'];
const text = fc.string({ unit: fc.constantFrom(...units), maxLength: 30 });
const asciiText = fc.string({ unit: fc.constantFrom(...units.filter((u) => /^[\x00-\x7f]*$/.test(u))), maxLength: 30 });

describe('BibTeX shortcuts write what the full passes write', () => {
  it('latex: ASCII text in either mode, any text without --ascii', () => {
    const quiet = { ascii: false, unconvertible: () => undefined };
    fc.assert(
      fc.property(asciiText, (s) => {
        expect(latex(s, quiet)).toBe(fullLatex(s));
        expect(latex(s, { ascii: true, unconvertible: () => undefined })).toBe(fullLatex(s));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(latex(s, quiet)).toBe(fullLatex(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('protectCapitals and asciiFold', () => {
    const t = (s: string) => `<${s}>`;
    fc.assert(
      fc.property(text, (s) => {
        expect(protectCapitals(s, t)).toBe(fullProtectCapitals(s, t));
        expect(asciiFold(s)).toBe(fullAsciiFold(s));
      }),
      { numRuns: 3000 },
    );
  });
});
