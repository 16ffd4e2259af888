/**
 * Pagination. NLM abbreviates ranges (`1199-205` is 1199–1205, `R494-6` is R494–R496);
 * everything that is not such a range (`e297`, `1759-1764.e6`, `R52-R58`, `passim`) is kept.
 */
import type { Pages } from '../types.js';
import { passimSuffix, splitAtCommas } from './scan.js';

/** A range whose end repeats the start's prefix and gives only its last digits. */
const ABBREVIATED = /^([A-Za-z]*)(\d+)-(\d+)$/;

export function parsePages(raw: string): Pages {
  const ranges = splitAtCommas(raw);
  const expanded = ranges.map(expandRange).join(', ');
  const firstRange = expandRange(passimSuffix(ranges[0]!)?.core ?? ranges[0]!);
  const dash = splitRange(firstRange);
  return {
    raw,
    first: dash.first || null,
    last: dash.last,
    expanded,
  };
}

function splitRange(range: string): { first: string; last: string | null } {
  const m = /^([^-]+)-(.+)$/.exec(range);
  if (!m) return { first: range.trim(), last: null };
  return { first: m[1]!.trim(), last: m[2]!.trim() };
}

/** `6913-7` → `6913-6917`; `R494-6` → `R494-R496`; anything else unchanged. */
export function expandRange(range: string): string {
  const passim = passimSuffix(range);
  const core = passim?.core ?? range;
  const tail = passim?.suffix ?? '';
  const m = ABBREVIATED.exec(core);
  if (!m) return range;
  const [, prefix, start, end] = m as unknown as [string, string, string, string];
  if (end.length >= start.length) return range;
  const full = start.slice(0, start.length - end.length) + end;
  if (Number(full) <= Number(start)) return range;
  return `${prefix}${start}-${prefix}${full}${tail}`;
}
