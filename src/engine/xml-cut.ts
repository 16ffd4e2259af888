/**
 * Where PubMed XML may be cut into units for `--jobs`: after an element that closes back to
 * the set's level (a `PubmedArticle`, a `MedlineCitation` of a file before 2017, a
 * `DeleteCitation`), found by a scan that knows what XML hides from a search for
 * `</PubmedArticle>`: CDATA sections, comments, processing instructions, a DOCTYPE's internal
 * subset, attribute values with `>` in them. So a unit always ends where the XML parser would
 * say a record ends, and `--jobs N` never changes what is read. The scan keeps its state
 * between calls and jumps from `<` to `<` with the native `indexOf`: each byte is looked at
 * about once. No Node imports.
 */

/** The roots whose children are the records: only their files are cut. */
const SETS = new Set(['PubmedArticleSet', 'PubmedBookArticleSet', 'MedlineCitationSet']);

const LT = 0x3c;
const GT = 0x3e;

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const CDATA_OPEN = ascii('<![CDATA[');
const CDATA_CLOSE = ascii(']]>');
const COMMENT_OPEN = ascii('<!--');
const COMMENT_CLOSE = ascii('-->');
const PI_CLOSE = ascii('?>');
const XML_DECLARATION = ascii('<?xml');

function startsWithAt(bytes: Uint8Array, at: number, what: Uint8Array): boolean {
  if (at + what.length > bytes.length) return false;
  for (let i = 0; i < what.length; i++) if (bytes[at + i] !== what[i]) return false;
  return true;
}

function indexOfBytes(bytes: Uint8Array, what: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(what[0]!, from); at !== -1; at = bytes.indexOf(what[0]!, at + 1)) {
    if (startsWithAt(bytes, at, what)) return at;
  }
  return -1;
}

export class XmlCutter {
  /** Bytes of the pending buffer already scanned. */
  private at = 0;
  private depth = 0;
  /** The root element of the current document, once its start tag was read. */
  private rootName: string | null = null;
  /** The last place a unit may end, in the pending buffer; -1 when none since the last cut. */
  private cut = -1;
  /** The root at `cut`: the set a later unit starts inside. */
  private cutRoot: string | null = null;
  /** The input is UTF-16 (or forced to another encoding): its bytes are not scanned, nothing is cut. */
  private off: boolean;

  constructor(encoding: string | null) {
    this.off = encoding === 'utf-16le' || encoding === 'utf-16be';
  }

  /**
   * Scans what was added to `bytes` (the pending buffer, which grows) and returns the last
   * place a unit may end, after the line end that follows it; -1 when there is none.
   */
  scan(bytes: Uint8Array): number {
    if (this.off) return -1;
    if (this.at === 0 && bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
      this.off = true;
      return -1;
    }
    let i = this.at;
    for (;;) {
      const lt = bytes.indexOf(LT, i);
      if (lt === -1) {
        i = bytes.length;
        break;
      }
      const end = this.markup(bytes, lt);
      if (end === -1) {
        // the markup goes on past what was read: scanned again when more has come
        i = lt;
        break;
      }
      i = end;
    }
    this.at = i;
    return this.cut;
  }

  /** The root element's name at the last cut (the set a later unit starts inside). */
  get root(): string {
    return this.cutRoot ?? 'PubmedArticleSet';
  }

  /** The bytes before `cut` left the pending buffer: positions move back by as much. */
  taken(cut: number): void {
    this.at -= cut;
    this.cut = -1;
  }

  /** Reads the markup that starts at `lt`; returns where it ends, or -1 if it is not all there. */
  private markup(bytes: Uint8Array, lt: number): number {
    const next = bytes[lt + 1];
    if (next === undefined) return -1;
    if (next === 0x21 /* ! */) {
      if (lt + 4 > bytes.length) return -1;
      if (startsWithAt(bytes, lt, COMMENT_OPEN)) return after(indexOfBytes(bytes, COMMENT_CLOSE, lt + 4), 3);
      // not all there yet: it may still be a CDATA section
      if (lt + 9 > bytes.length) return -1;
      if (startsWithAt(bytes, lt, CDATA_OPEN)) return after(indexOfBytes(bytes, CDATA_CLOSE, lt + 9), 3);
      return declarationEnd(bytes, lt);
    }
    if (next === 0x3f /* ? */) {
      if (lt + 5 > bytes.length) return -1;
      const end = after(indexOfBytes(bytes, PI_CLOSE, lt + 2), 2);
      // a new XML declaration starts the next document (efetch batches saved into one file)
      if (end !== -1 && startsWithAt(bytes, lt, XML_DECLARATION) && /\s/.test(String.fromCharCode(bytes[lt + 5]!))) {
        this.depth = 0;
        this.rootName = null;
      }
      return end;
    }
    const end = tagEnd(bytes, lt);
    if (end === -1) return -1;
    if (next === 0x2f /* / */) {
      this.depth--;
      if (this.depth === 1 && this.rootName !== null && SETS.has(this.rootName)) {
        // a record (or a DeleteCitation) ended: a unit may end here, with its line end
        let cut = end;
        if (bytes[cut] === 0x0d && bytes[cut + 1] === 0x0a) cut += 2;
        else if (bytes[cut] === 0x0a) cut += 1;
        this.cut = cut;
        this.cutRoot = this.rootName;
      }
    } else if (bytes[end - 2] !== 0x2f /* not <empty/> */) {
      if (this.depth === 0) this.rootName = nameAt(bytes, lt + 1);
      this.depth++;
    } else if (this.depth === 0) {
      this.rootName = nameAt(bytes, lt + 1);
    }
    return end;
  }
}

const after = (at: number, length: number) => (at === -1 ? -1 : at + length);

/** The end of a start or end tag: the `>` outside quoted attribute values. */
function tagEnd(bytes: Uint8Array, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (quote !== 0) {
      if (b === quote) quote = 0;
    } else if (b === 0x22 || b === 0x27) quote = b;
    else if (b === GT) return i + 1;
  }
  return -1;
}

/** The end of `<!DOCTYPE …>` (or another declaration), past an internal subset `[…]` and quotes. */
function declarationEnd(bytes: Uint8Array, lt: number): number {
  let quote = 0;
  let subset = false;
  for (let i = lt + 2; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (quote !== 0) {
      if (b === quote) quote = 0;
    } else if (b === 0x22 || b === 0x27) quote = b;
    else if (b === 0x5b) subset = true;
    else if (b === 0x5d) subset = false;
    else if (b === GT && !subset) return i + 1;
  }
  return -1;
}

function nameAt(bytes: Uint8Array, from: number): string {
  let end = from;
  while (end < bytes.length && bytes[end] !== GT && bytes[end] !== 0x2f && bytes[end] !== 0x20 && bytes[end] !== 0x09 && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
  return String.fromCharCode(...bytes.subarray(from, Math.min(end, from + 64)));
}
