/**
 * Structured abstracts: `BACKGROUND: … METHODS: …` or `Background: … Methods: …`.
 *
 * An abstract is structured only when it begins with a label. Upper-case labels are then
 * recognised wherever a sentence begins; mixed-case ones only from a list of the usual
 * section names, because `Note: …` inside plain prose is not a section.
 */
import type { AbstractSection } from '../types.js';

const UPPER_LABEL = /^[A-Z][A-Z0-9]*(?:[ ,&/'-]{1,3}[A-Z0-9]+){0,7}$/;

const SECTION_NAMES: ReadonlySet<string> = new Set([
  'abstract', 'aim', 'aims', 'aims and objectives', 'background', 'background and aims',
  'background and objective', 'background and objectives', 'background and purpose', 'case',
  'case description', 'case presentation', 'case report', 'case summary', 'clinical relevance',
  'clinical trial registration', 'comparison', 'conclusion', 'conclusions', 'context', 'design',
  'discussion', 'evidence acquisition', 'evidence synthesis', 'findings', 'funding',
  'implications', 'importance', 'interpretation', 'intervention', 'interventions', 'introduction',
  'limitations', 'main outcome measures', 'main outcomes and measures', 'material and methods',
  'materials and methods', 'measurements', 'method', 'methodology', 'methods', 'objective',
  'objectives', 'outcome', 'outcomes', 'participants', 'patients', 'patients and methods',
  'population', 'purpose', 'rationale', 'registration', 'results', 'review', 'setting',
  'settings', 'significance', 'study design', 'summary', 'trial registration',
]);

type Style = 'upper' | 'named';

/** Characters a label may hold, for each style. */
const LABEL_CHAR: Record<Style, (c: number) => boolean> = {
  upper: (c) => (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 32 || c === 44 || c === 38 || c === 47 || c === 39 || c === 45,
  named: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 32,
};

const isLabel: Record<Style, (label: string) => boolean> = {
  upper: (label) => UPPER_LABEL.test(label),
  named: (label) => SECTION_NAMES.has(label.toLowerCase().replace(/\s+/g, ' ')),
};

/** Characters that end a sentence, after which a new section may begin. */
const SENTENCE_END = new Set(['.', '?', '!', ')', ']']);

/** The label ending at the colon at `colon`, if one starts at `0` or after a sentence end. */
function labelBefore(text: string, colon: number, style: Style): { label: string; at: number } | null {
  let start = colon;
  while (start > 0 && colon - start < 80 && LABEL_CHAR[style](text.charCodeAt(start - 1))) start--;
  while (start < colon && text.charCodeAt(start) === 32) start++;
  if (start > 0) {
    let before = start - 1;
    if (text.charCodeAt(before) !== 32) return null;
    while (before > 0 && text.charCodeAt(before) === 32) before--;
    if (!SENTENCE_END.has(text[before]!)) return null;
  }
  const label = text.slice(start, colon);
  return isLabel[style](label) ? { label, at: start } : null;
}

export function splitAbstract(abstract: string): AbstractSection[] {
  const firstColon = abstract.indexOf(': ');
  if (firstColon === -1) return [];
  const style: Style | null = (['upper', 'named'] as const).find((st) => {
    const l = labelBefore(abstract, firstColon, st);
    return l !== null && l.at === 0 && (st === 'named' || hasWord(l.label));
  }) ?? null;
  if (style === null) return [];
  const labels: Array<{ label: string; at: number; textAt: number }> = [];
  for (let colon = firstColon; colon !== -1; colon = abstract.indexOf(': ', colon + 2)) {
    const l = labelBefore(abstract, colon, style);
    if (l === null) continue;
    let textAt = colon + 1;
    while (abstract.charCodeAt(textAt) === 32) textAt++;
    labels.push({ label: l.label, at: l.at, textAt });
  }
  return labels.map((l, i) => ({
    label: l.label,
    text: abstract.slice(l.textAt, i + 1 < labels.length ? labels[i + 1]!.at : abstract.length).trim(),
  }));
}

/** An upper-case label must contain a word, not just an acronym such as `HIV`. */
function hasWord(label: string): boolean {
  return /[A-Z]{3,}/.test(label) || /\s/.test(label);
}
