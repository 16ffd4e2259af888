/**
 * One PubMed XML record as a small element tree: the reader builds one per record and
 * drops it once mapped, so memory holds one record at a time. No Node imports.
 */

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: Array<XmlElement | string>;
  /** Where the start tag begins: 1-based line and column. */
  readonly line: number;
  readonly column: number;
}

/** PubMed's own elements are CamelCase; inline markup (`i`, `sup`) and MathML are not. */
export const isStructural = (name: string): boolean => name.charCodeAt(0) >= 0x41 && name.charCodeAt(0) <= 0x5a;

export function child(element: XmlElement, name: string): XmlElement | undefined {
  for (const c of element.children) if (typeof c !== 'string' && c.name === name) return c;
  return undefined;
}

export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const c of element.children) if (typeof c !== 'string' && c.name === name) found.push(c);
  return found;
}

/** The element found by following child names, or undefined. */
export function path(element: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let at = element;
  for (const name of names) {
    if (at === undefined) return undefined;
    at = child(at, name);
  }
  return at;
}

export function elements(element: XmlElement): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== 'string');
}

/**
 * An element's text as NLM's MEDLINE text gives it: inline markup dropped (`<i>`, `<b>`,
 * `<u>`, MathML), sub- and superscripts in parentheses (`m<sup>2</sup>` → `m(2)`), white
 * space runs made one space, ends trimmed.
 */
export function textOf(element: XmlElement | undefined): string {
  if (element === undefined) return '';
  return collapse(rawText(element));
}

function rawText(element: XmlElement): string {
  let out = '';
  for (const c of element.children) {
    if (typeof c === 'string') out += c;
    else if (c.name === 'sup' || c.name === 'sub') out += `(${rawText(c)})`;
    else out += rawText(c);
  }
  return out;
}

/** White space runs as one space, no space at either end. */
export function collapse(text: string): string {
  // most values have nothing to change: found by one scan, without a new string
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x09 || c === 0x0a || c === 0x0d || (c === 0x20 && (i === 0 || i === last || text.charCodeAt(i + 1) === 0x20))) {
      return text.replace(/[ \t\r\n]+/g, ' ').trim();
    }
  }
  return text;
}
