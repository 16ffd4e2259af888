/**
 * Structured abstracts: `BACKGROUND: … METHODS: …` or `Background: … Methods: …`.
 *
 * An abstract is structured only when it begins with a label. Upper-case labels are then
 * recognised wherever a sentence begins; mixed-case ones only from a list of the usual
 * section names, because `Note: …` inside plain prose is not a section.
 */
import type { AbstractSection } from '../types.js';

const UPPER_LABEL = String.raw`[A-Z][A-Z0-9]*(?:[ ,&/'-]{1,3}[A-Z0-9]+){0,7}`;
const UPPER_AT_START = new RegExp(String.raw`^(${UPPER_LABEL}):\s+`);
const UPPER_ANYWHERE = new RegExp(String.raw`(?<=[.?!)\]]\s+)(${UPPER_LABEL}):\s+`, 'g');

const SECTION_NAMES = [
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
];
const NAMES = SECTION_NAMES.slice()
  .sort((a, b) => b.length - a.length)
  .map((n) => n.replace(/ /g, '\\s+'))
  .join('|');
const NAMED_AT_START = new RegExp(String.raw`^(${NAMES}):\s+`, 'i');
const NAMED_ANYWHERE = new RegExp(String.raw`(?<=[.?!)\]]\s+)(${NAMES}):\s+`, 'gi');

export function splitAbstract(abstract: string): AbstractSection[] {
  let anywhere: RegExp;
  if (UPPER_AT_START.test(abstract) && hasWord(abstract)) anywhere = UPPER_ANYWHERE;
  else if (NAMED_AT_START.test(abstract)) anywhere = NAMED_ANYWHERE;
  else return [];
  const first = (anywhere === UPPER_ANYWHERE ? UPPER_AT_START : NAMED_AT_START).exec(abstract)!;
  const labels: Array<{ label: string; at: number; textAt: number }> = [
    { label: first[1]!, at: 0, textAt: first[0].length },
  ];
  anywhere.lastIndex = 0;
  for (let m = anywhere.exec(abstract); m !== null; m = anywhere.exec(abstract)) {
    if (m.index < first[0].length) continue;
    labels.push({ label: m[1]!, at: m.index, textAt: m.index + m[0].length });
  }
  return labels.map((l, i) => ({
    label: l.label,
    text: abstract.slice(l.textAt, i + 1 < labels.length ? labels[i + 1]!.at : abstract.length).trim(),
  }));
}

/** An upper-case label must contain a word, not just an acronym such as `HIV`. */
function hasWord(abstract: string): boolean {
  const label = UPPER_AT_START.exec(abstract)![1]!;
  return /[A-Z]{3,}/.test(label) || /\s/.test(label);
}
