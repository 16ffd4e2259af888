/**
 * MEDLINE dates: the free-text publication date (DP) and the machine dates (DEP, DCOM,
 * EDAT, PHST, …), turned into ISO 8601 exactly as precise as the record.
 */
import type { PublicationDate, Season } from '../types.js';
import { bracketSuffix } from './scan.js';

const MONTHS: ReadonlyMap<string, number> = new Map([
  ['jan', 1], ['feb', 2], ['mar', 3], ['apr', 4], ['may', 5], ['jun', 6],
  ['jul', 7], ['aug', 8], ['sep', 9], ['sept', 9], ['oct', 10], ['nov', 11], ['dec', 12],
  ['january', 1], ['february', 2], ['march', 3], ['april', 4], ['june', 6], ['july', 7],
  ['august', 8], ['september', 9], ['october', 10], ['november', 11], ['december', 12],
]);

const SEASONS: ReadonlyMap<string, Season> = new Map([
  ['spring', 'Spring'], ['summer', 'Summer'], ['autumn', 'Autumn'], ['fall', 'Fall'], ['winter', 'Winter'],
]);

/**
 * Parses DP: `2021 Feb`, `1996 Jul 9`, `2023 Apr-Jun`, `2019 Winter`, `1998 Dec 15-31`,
 * `2016`, `Apr 2019`, `2013 06 10`. Returns null parts for whatever the text does not say.
 */
export function parsePublicationDate(raw: string): PublicationDate {
  const date: PublicationDate = { raw, year: null, month: null, day: null, season: null };
  const tokens = raw.split(/\s+/).filter((t) => t.length > 0);
  let yearIndex = -1;
  for (let i = 0; i < tokens.length; i++) {
    const m = /^(\d{4})(?:[-/]\d{2,4})?$/.exec(tokens[i]!);
    if (m) {
      date.year = Number(m[1]);
      yearIndex = i;
      break;
    }
  }
  let monthIndex = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (i === yearIndex) continue;
    // a range `Sep-Oct` or `Sep/Oct` (NLM writes both) starts with its first month
    const first = tokens[i]!.split(/[-/]/)[0]!.replace(/\.$/, '').toLowerCase();
    const month = MONTHS.get(first);
    if (month !== undefined) {
      date.month = month;
      monthIndex = i;
      break;
    }
    const season = SEASONS.get(first);
    if (season !== undefined) {
      date.season = season;
      break;
    }
  }
  // a numeric month only right after the year (`2013 06 10`)
  if (date.month === null && date.season === null && yearIndex !== -1) {
    const next = tokens[yearIndex + 1];
    if (next !== undefined && /^\d{1,2}$/.test(next) && Number(next) >= 1 && Number(next) <= 12) {
      date.month = Number(next);
      monthIndex = yearIndex + 1;
    }
  }
  if (monthIndex !== -1) {
    const next = tokens[monthIndex + 1];
    const m = next === undefined ? null : /^(\d{1,2})(?:-\d{1,2})?$/.exec(next);
    if (m && Number(m[1]) >= 1 && Number(m[1]) <= 31) date.day = Number(m[1]);
  }
  return date;
}

/**
 * `20210510` → `2021-05-10`; `201003` → `2010-03`; `2021/02/27 06:00` → `2021-02-27T06:00`;
 * `2021/01/27`, `2016`, `2019/08`. Null when the text is not such a date.
 */
export function isoDate(raw: string): string | null {
  // the forms PubMed writes, read without a regular expression: they are most of the dates
  const n = raw.length;
  if (n === 8 && allDigits(raw, 0, 8)) return validDate(raw.slice(0, 4), raw.slice(4, 6), raw.slice(6, 8));
  // PMC exports give some DEP as YYYYMM
  if (n === 6 && allDigits(raw, 0, 6)) return validDate(raw.slice(0, 4), raw.slice(4, 6), undefined);
  if ((n === 10 || n === 16) && allDigits(raw, 0, 4) && raw[4] === '/' && allDigits(raw, 5, 7) && raw[7] === '/' && allDigits(raw, 8, 10)) {
    const day = validDate(raw.slice(0, 4), raw.slice(5, 7), raw.slice(8, 10));
    if (n === 10 || day === null) return day;
    if (raw[10] === ' ' && allDigits(raw, 11, 13) && raw[13] === ':' && allDigits(raw, 14, 16) && Number(raw.slice(11, 13)) <= 23) {
      return `${day}T${raw.slice(11, 16)}`;
    }
    return null;
  }
  const m = /^(\d{4})(?:[/-](\d{1,2})(?:[/-](\d{1,2}))?)?(?:\s+(\d{1,2}):(\d{2}))?$/.exec(raw);
  if (!m) return null;
  const day = validDate(m[1]!, m[2], m[3]);
  if (day === null) return null;
  if (m[4] === undefined) return day;
  if (m[3] === undefined || Number(m[4]) > 23) return null;
  return `${day}T${m[4].padStart(2, '0')}:${m[5]}`;
}

function allDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function validDate(year: string, month: string | undefined, day: string | undefined): string | null {
  if (month === undefined) return year;
  const mo = Number(month);
  if (mo < 1 || mo > 12) return null;
  const mm = month.padStart(2, '0');
  if (day === undefined) return `${year}-${mm}`;
  const d = Number(day);
  if (d < 1 || d > 31) return null;
  return `${year}-${mm}-${day.padStart(2, '0')}`;
}

/** `2020/08/17 00:00 [received]` → status and ISO date. */
export function parseHistory(raw: string): { status: string; date: string } | null {
  const m = bracketSuffix(raw, true);
  if (m === null) return null;
  const date = isoDate(m.head);
  return date === null ? null : { status: m.label, date };
}

export const MONTH_NAMES = Object.freeze([
  'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec',
]);
