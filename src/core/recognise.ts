/**
 * What an input is when it is not MEDLINE text, told from its first bytes: compressed
 * files we cannot open, and the other formats people save from PubMed or a reference
 * manager by mistake. One line then says what the file is and how to get MEDLINE text,
 * instead of fifty "text outside any record" warnings. No Node imports.
 */

export interface Recognised {
  /** What the file is, for the message: "an xz-compressed file", "RIS". */
  readonly what: string;
  /** What to do instead. */
  readonly advice: string;
}

const GET_MEDLINE = 'for MEDLINE text, choose Save → Format: PubMed in PubMed (or Cite → .nbib), or run efetch -format medline';

/** Compressed formats: magic bytes, name, and the command that opens them. */
const COMPRESSED: ReadonlyArray<readonly [readonly number[], string, string]> = [
  [[0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'an xz-compressed file', 'xz -d'],
  [[0x28, 0xb5, 0x2f, 0xfd], 'a zstd-compressed file', 'zstd -d'],
  [[0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], 'a 7-Zip archive', '7z x'],
];

/** bzip2: `BZh`, a block size 1–9, then the block magic (π in BCD). */
const BZIP2_BLOCK = [0x31, 0x41, 0x59, 0x26, 0x53, 0x59];

const startsWith = (head: Uint8Array, magic: readonly number[], at = 0) => magic.every((b, i) => head[at + i] === b);

/** A compressed file medline cannot open (gzip it can), or null. */
export function recogniseCompressed(head: Uint8Array): Recognised | null {
  for (const [magic, what, command] of COMPRESSED) {
    if (startsWith(head, magic)) return { what, advice: `decompress it first (${command} FILE) and give medline the result` };
  }
  if (head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68 && head[3]! >= 0x31 && head[3]! <= 0x39 && startsWith(head, BZIP2_BLOCK, 4)) {
    return { what: 'a bzip2-compressed file', advice: 'decompress it first (bzip2 -d FILE) and give medline the result' };
  }
  return null;
}

/**
 * Citations as medline writes them (NDJSON, a JSON array, jq's pretty objects): the first
 * value opens with the `pmid` key, which medline always writes first.
 */
export function isCitationJson(text: string): boolean {
  // an empty array is what `--to json` writes for no record
  return /^\uFEFF?\s*(\[\s*)?\{\s*"pmid"\s*:/.test(text) || /^\uFEFF?\s*\[\s*\]\s*$/.test(text);
}

/** The root elements of NLM's XML: efetch and the baselines since 2017, the MEDLINE files before 2017, a record alone. */
const PUBMED_ROOTS = new Set(['PubmedArticleSet', 'PubmedBookArticleSet', 'PubmedArticle', 'PubmedBookArticle', 'MedlineCitationSet', 'MedlineCitation']);

/**
 * What an XML text's root element is, past its prolog (BOM, declaration, processing
 * instructions, comments, DOCTYPE with an internal subset): `{ root }`, or `{ root: null }`
 * when the text is no XML (`xml: false`) or ends inside the prolog (`xml: true`).
 */
export function xmlRoot(text: string): { root: string; doctype: string | null } | { root: null; xml: boolean; doctype: string | null } {
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let doctype: string | null = null;
  let prolog = false;
  for (;;) {
    while (at < text.length && /\s/.test(text[at]!)) at++;
    if (at >= text.length) return { root: null, xml: prolog, doctype };
    if (text[at] !== '<') return { root: null, xml: false, doctype };
    const next = text.slice(at, at + 9);
    let end: number;
    if (next.startsWith('<?')) end = endOf(text, at, '?>');
    else if (next.startsWith('<!--')) end = endOf(text, at, '-->');
    else if (/^<!DOCTYPE/i.test(next)) {
      doctype = /^<!DOCTYPE\s+([\w:.-]+)/i.exec(text.slice(at, at + 200))?.[1] ?? doctype;
      end = doctypeEnd(text, at);
    } else {
      const name = /^<([A-Za-z_][\w:.-]*)/.exec(text.slice(at, at + 200));
      if (name === null) return { root: null, xml: false, doctype };
      return { root: name[1]!, doctype };
    }
    if (end === -1) return { root: null, xml: true, doctype };
    prolog = true;
    at = end;
  }
}

const endOf = (text: string, from: number, close: string) => {
  const i = text.indexOf(close, from + 2);
  return i === -1 ? -1 : i + close.length;
};

/** The end of `<!DOCTYPE …>`, past an internal subset `[…]` and quoted identifiers. */
function doctypeEnd(text: string, from: number): number {
  let quote = '';
  let subset = false;
  for (let i = from + 9; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') subset = true;
    else if (c === ']') subset = false;
    else if (c === '>' && !subset) return i + 1;
  }
  return -1;
}

/**
 * PubMed XML (efetch's default, the baseline and update files, NLM's files before 2017), from
 * the start of the decoded text: its root element, or a PubMed DOCTYPE. XML whose prolog
 * runs past the text given (a long leading comment) is taken as XML too: the reader then
 * names its root if it is not PubMed's.
 */
export function isPubmedXml(text: string): boolean {
  const found = xmlRoot(text);
  if (found.root !== null) return PUBMED_ROOTS.has(found.root);
  return found.xml && (found.doctype === null || PUBMED_ROOTS.has(found.doctype));
}

/**
 * The databases whose RIS a reviewer brings, told by the tags they write: the first that
 * matches names the file, with how to get MEDLINE from there when there is a way.
 */
const RIS_VENDORS: ReadonlyArray<readonly [RegExp, string, string]> = [
  [/^VN {2}- Ovid Technologies|^DB {2}- .*<\d{4}>|^\d+\.\s*\r?\n\s*TY {2}- /m, 'RIS (Ovid)', 'in Ovid, MEDLINE records can be exported as "Citation Manager: MEDLINE"; other Ovid databases have no MEDLINE format'],
  [/^DB {2}- Scopus|eid=2-s2\.0-/m, 'RIS (Scopus)', 'records that are in PubMed can be fetched as MEDLINE text by their PMID or DOI (efetch -format medline)'],
  [/^AN {2}- WOS:|^UT {2}- WOS:/m, 'RIS (Web of Science)', 'records that are in PubMed can be fetched as MEDLINE text by their PMID or DOI (efetch -format medline)'],
  [/^U2 {2}- L\d+|^DB {2}- Embase/m, 'RIS (Embase)', 'Embase records that are also in MEDLINE carry a PMID (C5): fetch those as MEDLINE text (efetch -format medline)'],
  [/^DB {2}- (aph|c8h|cin20|mdc|psyh|eric|a9h|bth)\b|ebscohost\.com/im, 'RIS (EBSCOhost)', 'in EBSCOhost, MEDLINE records can be exported in "MEDLINE" format from the MEDLINE database'],
];

/**
 * Another text format, from the start of the decoded text, or null. Never says so of text
 * that holds a MEDLINE tag line (`PMID- `) in what it was given.
 */
export function recogniseText(text: string): Recognised | null {
  if (/^PMID- ?\S/m.test(text)) return null;
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const firstLine = start.slice(0, start.search(/\r|\n|$/));
  if (/^<!DOCTYPE\s+html\b/i.test(start) || /^<html\b/i.test(start)) {
    return { what: 'an HTML page (a web page saved from the browser?)', advice: GET_MEDLINE };
  }
  const xml = xmlRoot(start);
  if (xml.root !== null || xml.xml) {
    // reached only when the input is read as MEDLINE text: by --from medline, or for XML of another kind
    if (isPubmedXml(start)) return { what: 'PubMed XML', advice: 'medline reads it without --from medline (or with --from xml)' };
    if (xml.root === 'xml' && /<records>\s*<record>/.test(start)) return { what: 'EndNote XML', advice: `${GET_MEDLINE}; in EndNote, export the PubMed records with the "MEDLINE" output style` };
    return { what: `an XML file (<${xml.root ?? xml.doctype ?? '?'}>, not PubMed XML)`, advice: `${GET_MEDLINE}, or -format xml for PubMed XML` };
  }
  // RIS, the first record's TY line first (Ovid puts a record number before it)
  if (/^TY {2}- /.test(firstLine) || /^\d+\.\s*\r?\n\s*TY {2}- /.test(start)) {
    const vendor = RIS_VENDORS.find(([pattern]) => pattern.test(start));
    return vendor !== undefined ? { what: vendor[1], advice: `${vendor[2]}; ${GET_MEDLINE}` } : { what: 'RIS', advice: `${GET_MEDLINE}; RIS from PubMed's "Citation manager" is not MEDLINE` };
  }
  // Ovid's own tagged export: MEDLINE-like tags, but Ovid's fields (Emtree terms are no MeSH)
  if (/^<\d+(\. )?>\s*$/m.test(firstLine) || /^VN {2}- Ovid Technologies/m.test(start)) {
    const db = /^DB {2}- (.+)$/m.exec(start)?.[1]?.trim();
    return { what: `Ovid's tagged export${db ? ` (${db})` : ''}`, advice: `in Ovid, MEDLINE records can be exported as "Citation Manager: MEDLINE"; ${GET_MEDLINE}` };
  }
  if (/^(FN (Clarivate Analytics|Thomson Reuters) Web of Science|VR 1\.0)/.test(firstLine) || (/^PT [JBSP]\s*$/m.test(start) && /^UT WOS:/m.test(start))) {
    return { what: "Web of Science's tagged export", advice: `records that are in PubMed can be fetched as MEDLINE text by their PMID or DOI (efetch -format medline); ${GET_MEDLINE}` };
  }
  if (/^PT\tAU\t/.test(firstLine)) return { what: "Web of Science's tab-delimited export", advice: GET_MEDLINE };
  if (/^@[A-Za-z]+\s*[{(]/.test(firstLine) || (/^%/.test(firstLine) && /^@[A-Za-z]+\s*[{(]/m.test(start))) {
    return { what: 'BibTeX', advice: GET_MEDLINE };
  }
  if (/^"?PMID"?,"?Title"?,/.test(firstLine)) return { what: "PubMed's CSV export", advice: GET_MEDLINE };
  if (/^"?Article Title"?,"?Author"?,/.test(firstLine) || /Accession Number/.test(firstLine)) return { what: "EBSCOhost's CSV export", advice: GET_MEDLINE };
  if (/\bSource title\b/.test(firstLine) && /\bEID\b|\bLink\b/.test(firstLine)) return { what: "Scopus's CSV export", advice: GET_MEDLINE };
  if (csvHeader(firstLine)) return { what: 'a CSV file (a spreadsheet or database export)', advice: GET_MEDLINE };
  if (/^#{1,6} \S/.test(firstLine)) return { what: 'a Markdown document', advice: GET_MEDLINE };
  if (/^(\{\s*"|\[\s*[{\]])/.test(start)) {
    return { what: 'JSON (but not citations as medline writes them)', advice: `${GET_MEDLINE}; medline reads back its own JSON and NDJSON` };
  }
  return null;
}

/** A first line of four or more comma-separated column names, as spreadsheets and databases write CSV. */
function csvHeader(line: string): boolean {
  if (/^[A-Z]{2,4} {0,2}- /.test(line)) return false;
  const cells = line.split(',');
  return cells.length >= 5 && cells.every((c) => /^\s*"?[\p{L}][^",]{0,60}"?\s*$/u.test(c));
}

/** What an input holds, for the reader to choose: MEDLINE text, PubMed XML, or citations in JSON. */
export type InputKind = 'medline' | 'xml' | 'json';

/**
 * The one place an input's kind is told from its first bytes (after gzip): a BOM (or
 * `encoding`) picks how to decode them, then JSON as medline writes it, PubMed XML, else
 * MEDLINE text (whose reader names any other format it meets).
 */
export function kindOf(head: Uint8Array, encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1' | null = null): InputKind {
  const bom = head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : null;
  const label = encoding === 'latin1' ? 'windows-1252' : (encoding ?? bom ?? 'utf-8');
  const text = new TextDecoder(label).decode(head.subarray(0, Math.min(head.length, 8192)));
  return isCitationJson(text) ? 'json' : isPubmedXml(text) ? 'xml' : 'medline';
}
