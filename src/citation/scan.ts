/**
 * Value splitting by index, not by regular expression: a value can be 100,000 blanks long,
 * and patterns like `(.*?)\s*\[` backtrack over every blank for every position (seconds on
 * one crafted line). Each helper here is linear and gives exactly what its pattern gave.
 */

/**
 * `head [label]` (`10.1/x [doi]`, `2020/08/17 00:00 [received]`): the head without its
 * trailing white space and the label; null unless the value ends with a non-empty `[label]`.
 * The label holds no `]`; `[` in it only with `openInLabel` (as `/^(.*?)\s*\[([^\]]+)\]$/`;
 * without, as `/^(.*?)\s*\[([^\][]+)\]$/`).
 */
export function bracketSuffix(value: string, openInLabel: boolean): { head: string; label: string } | null {
  const close = value.length - 1;
  if (close < 1 || value.charCodeAt(close) !== 0x5d) return null;
  const previousClose = value.lastIndexOf(']', close - 1);
  const open = openInLabel ? value.indexOf('[', previousClose + 1) : value.lastIndexOf('[', close - 1);
  if (open === -1 || open <= previousClose || open + 1 >= close) return null;
  return { head: value.slice(0, open).trimEnd(), label: value.slice(open + 1, close) };
}

/** `value.split(/\s*,\s*\/)`: split at commas, dropping the white space around each. */
export function splitAtCommas(value: string): string[] {
  const parts = value.split(',');
  const last = parts.length - 1;
  for (let i = 0; i <= last; i++) {
    let part = parts[i]!;
    if (i > 0) part = part.trimStart();
    if (i < last) part = part.trimEnd();
    parts[i] = part;
  }
  return parts;
}

/**
 * A trailing ` passim` (any case, after white space): the text before its white space and
 * the suffix with it (as `/^(.*?)(\s+passim)$/i`); null if there is none.
 */
export function passimSuffix(value: string): { core: string; suffix: string } | null {
  const at = value.length - 6;
  if (at < 1 || value.slice(at).toLowerCase() !== 'passim') return null;
  let start = at;
  while (start > 0 && /\s/.test(value[start - 1]!)) start--;
  if (start === at) return null;
  return { core: value.slice(0, start), suffix: value.slice(start) };
}

/** The value without a last `.` and the white space around it (as `\s*\.?\s*$`). */
export function withoutFinalPeriod(value: string): string {
  let v = value.trimEnd();
  if (v.endsWith('.')) v = v.slice(0, -1).trimEnd();
  return v;
}
