/** Person names as MEDLINE writes them: `Xu, Xiaowei` (FAU), `Xu X` (AU), `Selvamani`. */
import type { Person } from '../types.js';

const SUFFIXES: ReadonlySet<string> = new Set([
  'Jr', 'Jr.', 'Sr', 'Sr.', '2nd', '3rd', '4th', '5th', 'II', 'III', 'IV',
]);

export function emptyPerson(): Person {
  return {
    family: null,
    given: null,
    initials: null,
    suffix: null,
    shortName: null,
    collective: null,
    orcid: null,
    identifiers: [],
    affiliations: [],
    affiliationIdentifiers: [],
  };
}

/** Parses a full name (`Hellinger, Frank R Jr`, `van Raaij, M J`, `Selvamani`). */
export function parseFullName(value: string): Person {
  const person = emptyPerson();
  const comma = value.indexOf(',');
  if (comma === -1) {
    person.family = value;
    return person;
  }
  person.family = value.slice(0, comma).trim() || null;
  let rest = value.slice(comma + 1).trim();
  // `Smith, John, Jr` puts the suffix after a second comma
  const second = rest.lastIndexOf(',');
  if (second !== -1 && SUFFIXES.has(rest.slice(second + 1).trim())) {
    person.suffix = stripDot(rest.slice(second + 1).trim());
    rest = rest.slice(0, second).trim();
  } else {
    const space = rest.lastIndexOf(' ');
    if (space !== -1 && SUFFIXES.has(rest.slice(space + 1))) {
      person.suffix = stripDot(rest.slice(space + 1));
      rest = rest.slice(0, space).trim();
    }
  }
  // initials come from the short form that usually follows, else from `given` at the end
  person.given = rest || null;
  return person;
}

/**
 * Parses a short name (`Xu X`, `Hellinger FR Jr`, `van Raaij MJ`); a comma means the
 * record gives a full name in the short tag (ERIC: `AU - van Groen, Maaike M.`).
 */
export function parseShortName(value: string): Person {
  if (value.indexOf(',') !== -1) return parseFullName(value);
  const person = emptyPerson();
  const tokens = value.split(' ').filter((t) => t.length > 0);
  if (tokens.length > 1 && SUFFIXES.has(tokens[tokens.length - 1]!)) {
    person.suffix = stripDot(tokens.pop()!);
  }
  if (tokens.length > 1 && isInitials(tokens[tokens.length - 1]!)) {
    person.initials = tokens.pop()!;
  }
  person.family = tokens.join(' ') || null;
  return person;
}

/**
 * Completes a person read from its full name with the short form that follows it:
 * the short form carries NLM's own initials (`Jean-Pierre` → `JP`).
 */
export function mergeShortName(person: Person, short: string): void {
  // the usual case, `Xu, Xiaowei` then `Xu X`: the initials are what follows the family name
  const family = person.family;
  if (family !== null && short.length > family.length + 1 && short.startsWith(family) && short[family.length] === ' ') {
    const rest = short.slice(family.length + 1);
    if (rest.indexOf(' ') === -1 && /^\p{Lu}{1,4}$/u.test(rest)) {
      person.initials = rest;
      return;
    }
    // initials with particles, as NLM writes them: `Guna Serrano Mde L` (Maria de L), `Jda S`
    if (/^\p{Lu}{1,4}\p{Ll}{1,3}( \p{Lu}{1,4}(\p{Ll}{1,3})?){0,2}$/u.test(rest) && !/ (Jr|Sr)$/.test(rest)) {
      person.initials = rest;
      return;
    }
  }
  // kept for now; dropped at the end of the record when the name gives it (see settleShortName)
  person.shortName = short;
  const parsed = parseShortName(short);
  if (parsed.initials !== null) person.initials = parsed.initials;
  if (person.suffix === null && parsed.suffix !== null) person.suffix = parsed.suffix;
  if (person.family === null) person.family = parsed.family;
}

/**
 * Once the name is complete (initials may come from the given names last), a short form
 * the name gives is dropped; one it does not explain (`Smyth J` for `Smith, John`,
 * particles in the initials: `Guna Serrano Mde L`) is kept: no text is lost.
 */
export function settleShortName(person: Person): void {
  if (person.shortName !== null && shortFormOf(person) === person.shortName) person.shortName = null;
}

/** The short form a person's name gives: `Xu X`, `Hellinger FR Jr`. */
export function shortFormOf(p: Person): string {
  return [p.family, p.initials, p.suffix].filter((x) => x).join(' ');
}

/** `ORCID: 0000-0001-9374-6466`, `ORCID: https://orcid.org/0000…`, `ORCID: 000000019374646X`. */
export function parseOrcid(value: string): string | null {
  if (!/^orcid\b/i.test(value)) return null;
  const digits = value.replace(/^orcid:?\s*/i, '').replace(/^https?:\/\/(www\.)?orcid\.org\//i, '').replace(/[^0-9Xx]/g, '');
  if (digits.length !== 16) return null;
  const d = digits.toUpperCase();
  return `${d.slice(0, 4)}-${d.slice(4, 8)}-${d.slice(8, 12)}-${d.slice(12, 16)}`;
}

/** Initials from given names: `Frank R` → `FR`, `Jean-Pierre` → `JP`, `Maaike M.` → `MM`. */
export function initialsOf(given: string): string | null {
  let out = '';
  for (const part of given.split(/[\s-]+/)) {
    const first = part.replace(/^[^\p{L}]+/u, '').charAt(0);
    if (first) out += first.toUpperCase();
  }
  return out || null;
}

function isInitials(token: string): boolean {
  return /^\p{Lu}{1,4}$/u.test(token);
}

function stripDot(s: string): string {
  return s.endsWith('.') ? s.slice(0, -1) : s;
}

/** `Family, Given` for display and for formats that want one string. */
export function displayName(p: Person): string {
  if (p.collective !== null) return p.collective;
  const given = p.given ?? p.initials;
  let name = p.family ?? '';
  if (given) name = name ? `${name}, ${given}` : given;
  if (p.suffix) name += `, ${p.suffix}`;
  return name;
}
