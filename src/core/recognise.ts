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

/**
 * PubMed XML (efetch's default, the baseline and update files), from the start of the
 * decoded text: an XML declaration, a PubMed DOCTYPE or a PubMed root, and a PubMed element.
 */
export function isPubmedXml(text: string): boolean {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (!/^<(\?xml\b|!DOCTYPE\s|!--|Pubmed)/i.test(start)) return false;
  return /<(PubmedArticleSet|PubmedBookArticleSet|PubmedArticle|PubmedBookArticle)\b/.test(start) || /<!DOCTYPE\s+Pubmed/i.test(start);
}

/**
 * Another text format, from the start of the decoded text, or null. Never says so of text
 * that holds a MEDLINE tag line (`PMID- `) in what it was given.
 */
export function recogniseText(text: string): Recognised | null {
  if (/^PMID- ?\S/m.test(text)) return null;
  const start = text.replace(/^\uFEFF/, '').trimStart();
  const firstLine = start.slice(0, start.search(/\r|\n|$/));
  if (/^<\?xml\b/i.test(start) || /^<!DOCTYPE\s+Pubmed/i.test(start) || /^<Pubmed/i.test(start)) {
    const pubmed = /<(PubmedArticleSet|PubmedArticle|PubmedBookArticle|MedlineCitation)\b/.test(start) || /^<!DOCTYPE\s+Pubmed/i.test(start);
    return pubmed ? { what: 'PubMed XML', advice: 'medline reads it when --from does not say otherwise (or with --from xml)' } : { what: 'an XML file (not PubMed XML)', advice: `${GET_MEDLINE}, or -format xml for PubMed XML` };
  }
  if (/^<!DOCTYPE\s+html\b/i.test(start) || /^<html\b/i.test(start)) {
    return { what: 'an HTML page (a web page saved from the browser?)', advice: GET_MEDLINE };
  }
  if (/^TY {2}- /.test(firstLine)) return { what: 'RIS', advice: `${GET_MEDLINE}; RIS from PubMed's "Citation manager" is not MEDLINE` };
  if (/^@[A-Za-z]+\s*[{(]/.test(firstLine) || (/^%/.test(firstLine) && /^@[A-Za-z]+\s*[{(]/m.test(start))) {
    return { what: 'BibTeX', advice: GET_MEDLINE };
  }
  if (/^"?PMID"?,"?Title"?,/.test(firstLine)) return { what: "PubMed's CSV export", advice: GET_MEDLINE };
  if (/^(\{\s*"|\[\s*[{\]])/.test(start)) {
    return { what: 'JSON (but not citations as medline writes them)', advice: `${GET_MEDLINE}; medline reads back its own JSON and NDJSON` };
  }
  return null;
}
