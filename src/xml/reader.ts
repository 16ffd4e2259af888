/**
 * PubMed XML (`<PubmedArticleSet>`, efetch results, the baseline and update files) in,
 * streamed: saxes reads the text as it comes, each `PubmedArticle` or `PubmedBookArticle`
 * becomes a small tree, then the MEDLINE fields NLM's text export would give, then a
 * RawRecord for the same `toCitation` that MEDLINE text goes through. Memory holds one
 * record. saxes never reads a DTD nor resolves an entity other than XML's five and
 * character references: an external entity is never fetched, and an entity bomb is one
 * `undefined entity` error. The first well-formedness error ends the input; every record
 * before it is converted. No Node imports.
 */
import type { Diagnostic, DiagnosticCode, RawRecord } from '../types.js';
import { childrenNamed, isStructural, textOf, type XmlElement } from './tree.js';
import { LIMITS, type Limits } from '../core/limits.js';
import { articleRecord, bookRecord } from './to-fields.js';

/** A start tag as the SAX parser gives it. */
interface SaxTag {
  name: string;
  attributes: Record<string, string>;
}

/**
 * What the reader asks of its SAX parser, saxes's by its shape: saxes's own types would reach
 * our public types, and a TypeScript user without `skipLibCheck` would check them too.
 */
export interface SaxParser {
  line: number;
  column: number;
  write(chunk: string): unknown;
  close(): unknown;
  on(event: 'opentagstart', handler: (tag: { name: string }) => void): void;
  on(event: 'opentag', handler: (tag: SaxTag) => void): void;
  on(event: 'closetag', handler: () => void): void;
  on(event: 'text' | 'cdata', handler: (text: string) => void): void;
  on(event: 'error', handler: (error: Error) => void): void;
}

/** saxes's parser class, given by the caller: Node loads it with `require`, which is 12 MB lighter than `import`. */
export type SaxesParserClass = new (options: { position: boolean }) => SaxParser;

/**
 * A run of whole records cut from a larger input (`--jobs`): `first` holds the input's
 * start (declaration, DOCTYPE, the `<PubmedArticleSet>` tag), `last` its end; a later part
 * starts inside the set, and only the last one closes it.
 */
export interface XmlPart {
  readonly first: boolean;
  readonly last: boolean;
  /** The set a later part starts inside (default `PubmedArticleSet`). */
  readonly root?: string;
}

export interface XmlReaderHandlers {
  onRecord(record: RawRecord): void;
  onDiagnostic(diagnostic: Diagnostic): void;
}

/**
 * The roots and records of NLM's XML: efetch and the baseline since 2017 (`PubmedArticleSet`),
 * the MEDLINE/PubMed files before 2017 (`MedlineCitationSet` of bare `MedlineCitation`s, no
 * `PubmedData`), and a single record as its own document (a bare `MedlineCitation` root).
 */
const SETS = new Set(['PubmedArticleSet', 'PubmedBookArticleSet', 'MedlineCitationSet']);
const RECORDS = new Set(['PubmedArticle', 'PubmedBookArticle', 'MedlineCitation']);

export class PubmedXmlReader {
  records = 0;
  /** PMIDs listed in `DeleteCitation` blocks so far. */
  deleted = 0;
  sawAnyText = false;
  private parser: SaxParser;
  /** Open elements of the record being read (empty between records). */
  private readonly open: Array<{ name: string; attributes: Record<string, string>; children: Array<XmlElement | string>; line: number; column: number }> = [];
  private depth = 0;
  private tagLine = 1;
  private tagColumn = 1;
  /** Lines before the current document (several documents joined in one input). */
  private lineBase = 0;
  /** The current document has begun: a later `<?xml` starts the next one. */
  private begun = false;
  /** The end of the last write that the declaration scan could not tell yet, held until the next. */
  private held = '';
  private readonly declarations = new DeclarationScan();
  /** A well-formedness error ended the input. */
  failed = false;
  /** Elements of the record being read, the depth its start tag is at, and whether it went past a bound and is read past. */
  private elements = 0;
  private recordDepth = 0;
  private skipping = false;
  /** The bounds, read once (core/limits.ts). */
  private readonly maxDepth: number;
  private readonly maxElements: number;
  /** Characters since the last `<`: a text run past maxTextLength is cut there. */
  private textRun = 0;

  constructor(
    private readonly handlers: XmlReaderHandlers,
    private readonly Parser: SaxesParserClass,
    private readonly part: XmlPart | null = null,
    private readonly limits: Limits = LIMITS,
  ) {
    this.maxDepth = limits.maxDepth;
    this.maxElements = limits.maxRecordElements;
    this.parser = this.newParser();
    // a later part starts inside the set: the set's tag is given, on no line of its own
    if (part !== null && !part.first) {
      this.parser.write(`<${SETS.has(part.root ?? '') ? part.root! : 'PubmedArticleSet'}>`);
      this.parser.column = 0;
      this.begun = true;
    }
  }

  private newParser(): SaxParser {
    const p = new this.Parser({ position: true });
    // saxes tells of a start tag once its name is read: the `<` is the name's length back
    p.on('opentagstart', (tag) => {
      this.tagLine = this.lineBase + p.line;
      this.tagColumn = Math.max(1, p.column - tag.name.length - 1);
    });
    p.on('opentag', (tag) => this.openTag(tag));
    p.on('closetag', () => this.closeTag());
    p.on('text', (text) => this.text(text));
    p.on('cdata', (text) => this.text(text));
    p.on('error', (error) => this.fail(error.message.replace(/^\d+:\d+: /, '').replace(/\.$/, '')));
    return p;
  }

  /** Line ends read so far: a part's line count, which the next part's lines add to. */
  get lines(): number {
    return this.lineBase + this.parser.line - 1;
  }

  write(text: string): void {
    if (this.failed || text.length === 0) return;
    this.sawAnyText ||= /\S/.test(text);
    if (this.held !== '') {
      text = this.held + text;
      this.held = '';
    }
    // efetch batches saved into one file: a new XML declaration starts a new document
    const { declarations, end } = this.declarations.scan(text);
    let from = 0;
    for (const at of declarations) {
      if (!this.begun && /^\s*$/.test(text.slice(from, at))) continue;
      // a BOM before a later document belongs to it, not to the one that ends
      this.feed(text.slice(from, at).replace(/\uFEFF(\s*)$/, '$1'));
      if (this.failed) return;
      this.nextDocument();
      if (this.failed) return;
      from = at;
    }
    // what the scan could not tell yet (a `<` near the end, half of `-->`) waits for the next write
    this.held = text.slice(end);
    this.feed(text.slice(from, end));
  }

  private feed(text: string): void {
    if (text.length === 0) return;
    this.begun ||= /\S/.test(text);
    this.parser.write(this.bounded(text));
  }

  /**
   * The text with any run of characters without a `<` cut at maxTextLength: saxes gathers a
   * text node whole, and a node of 600 MB would pass V8's longest string. The rest of the run
   * is skipped, said once (TOO_LONG); the markup after it is read.
   */
  private bounded(text: string): string {
    const max = this.limits.maxTextLength;
    // the common case: a short piece, and the run it continues stays within the bound
    const firstLt = text.indexOf('<');
    if (text.length <= max && this.textRun + (firstLt === -1 ? text.length : firstLt) <= max) {
      this.textRun = firstLt === -1 ? this.textRun + text.length : text.length - text.lastIndexOf('<') - 1;
      return text;
    }
    let out = '';
    for (let i = 0; ; ) {
      const lt = text.indexOf('<', i);
      const end = lt === -1 ? text.length : lt;
      const room = Math.max(0, max - this.textRun);
      if (end - i <= room) out += text.slice(i, end);
      else {
        out += text.slice(i, i + room);
        if (this.textRun <= max) this.tooLong();
      }
      this.textRun += end - i;
      if (lt === -1) return out;
      out += '<';
      this.textRun = 0;
      i = lt + 1;
    }
  }

  private tooLong(): void {
    // said where the element it is in starts: where a piece of input ends differs with --jobs
    const inside = this.open[this.open.length - 1];
    const message = `text of more than ${this.limits.maxTextLength.toLocaleString('en-US')} characters without markup${inside ? ` in <${inside.name}>` : ''}: the rest of it was skipped`;
    this.report('TOO_LONG', message, 'warning', this.open[0] ? findPmid(this.open[0]) : null, inside);
  }

  /** Ends the current document (it must be whole) and starts a parser for the next. */
  private nextDocument(): void {
    // read before close(), which resets saxes's position
    const lines = this.parser.line - 1;
    const column = this.parser.column;
    this.parser.close();
    if (this.failed) return;
    this.lineBase += lines;
    this.parser = this.newParser();
    // the next document starts mid-line when the previous one did not end with a line end
    this.parser.column = column;
    this.depth = 0;
    this.begun = false;
  }

  end(): void {
    if (this.failed) return;
    if (this.held !== '') {
      const held = this.held;
      this.held = '';
      this.feed(held);
    }
    if (!this.sawAnyText) return;
    // a part that is not the last leaves the set open, on purpose
    if (this.part !== null && !this.part.last) return;
    this.parser.close();
  }

  private openTag(tag: SaxTag): void {
    if (this.failed) return;
    this.depth++;
    if (this.skipping) return;
    const element = { name: tag.name, attributes: tag.attributes, children: [], line: this.tagLine, column: this.tagColumn };
    const parent = this.open[this.open.length - 1];
    if (parent !== undefined) {
      // the bounds every record source keeps: past them the record is skipped, never held whole
      if (this.open.length >= this.maxDepth) return this.skipRecord('TOO_DEEP', `elements nest deeper than ${this.maxDepth} in this record`);
      if (++this.elements > this.maxElements) return this.skipRecord('TOO_LONG', `this record holds more than ${this.maxElements.toLocaleString('en-US')} elements`);
      parent.children.push(element);
      this.open.push(element);
      return;
    }
    this.elements = 1;
    this.recordDepth = this.depth;
    if (this.depth === 1) {
      if (SETS.has(tag.name)) return;
      if (RECORDS.has(tag.name)) {
        this.open.push(element);
        return;
      }
      this.fail(`<${tag.name}> is not PubMed XML (expected <PubmedArticleSet> or <MedlineCitationSet>)`);
      return;
    }
    if (this.depth === 2 && (RECORDS.has(tag.name) || tag.name === 'DeleteCitation')) {
      this.open.push(element);
      return;
    }
    // once for an element that is no record, not again for each element inside it
    if (this.depth === 2) this.report('XML_ERROR', `<${tag.name}> is no PubMed record; skipped`, 'warning', null);
  }

  /** A record past a bound: said once, with where and its PMID if read yet; the rest of it is read past. */
  private skipRecord(code: 'TOO_DEEP' | 'TOO_LONG', why: string): void {
    const record = this.open[0]!;
    const pmid = findPmid(record);
    this.open.length = 0;
    this.skipping = true;
    this.report(code, `${why}: the record was skipped`, 'error', pmid, record);
  }

  private closeTag(): void {
    if (this.failed) return;
    this.depth--;
    if (this.skipping) {
      // the record's own end tag: what follows is read again
      if (this.depth < this.recordDepth) this.skipping = false;
      return;
    }
    const element = this.open.pop();
    if (element === undefined || this.open.length > 0) return;
    if (element.name === 'DeleteCitation') return this.deletions(element);
    const { fields, xml } = element.name === 'PubmedBookArticle' ? bookRecord(element) : articleRecord(element);
    const pmid = fields[0]?.tag === 'PMID' ? fields[0].value : null;
    this.records++;
    this.handlers.onRecord({ fields, line: element.line, pmid, xml });
  }

  private text(text: string): void {
    if (this.failed || this.skipping) return;
    const top = this.open[this.open.length - 1];
    if (top === undefined) return;
    // the layout between PubMed's own elements (CamelCase) is no text: not kept; white space
    // after inline markup (`<i>a</i> <b>b</b>`, MathML) is
    const last = top.children[top.children.length - 1];
    if (isLayout(text)) {
      if (last === undefined || (typeof last !== 'string' && isStructural(last.name))) return;
      // inside MathML, white space between elements is layout too: `<mml:mi>V</mml:mi>\n  <mml:mo>.</mml:mo>` is `V.`
      if (isMathMl(top.name)) return;
    }
    top.children.push(text);
  }

  /** A `DeleteCitation` block of an update file: each PMID is reported, none is dropped unsaid. */
  private deletions(block: XmlElement): void {
    for (const pmid of childrenNamed(block, 'PMID')) {
      this.deleted++;
      const id = textOf(pmid);
      this.handlers.onDiagnostic({
        code: 'DELETED',
        severity: 'warning',
        message: `PMID ${id} is deleted from PubMed by this file (DeleteCitation)`,
        line: pmid.line,
        column: pmid.column,
        pmid: id,
      });
    }
  }

  /** The first well-formedness error ends the input; the record it broke is said, not written. */
  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    const broken = this.open[0];
    const pmidElement = broken && findPmid(broken);
    const lost = broken !== undefined ? '; the record it is in and the rest of the input were not read' : '; the rest of the input was not read';
    this.report('XML_ERROR', `${message}${lost}`, 'error', pmidElement ?? null);
  }

  /** A diagnostic where the parser is, or where `at` (an element) starts: the same however the input was cut. */
  private report(code: DiagnosticCode, message: string, severity: 'error' | 'warning', pmid: string | null, at?: XmlElement): void {
    const line = at?.line ?? this.lineBase + this.parser.line;
    const column = at?.column ?? Math.max(1, this.parser.column);
    this.handlers.onDiagnostic({ code, severity, message, line, column, pmid });
  }
}

const isMathMl = (name: string) => (name.startsWith('mml:') && name !== 'mml:mtext' && name !== 'mml:ms') || name === 'math';
function isLayout(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

function findPmid(record: { children: Array<XmlElement | string> }): string | null {
  for (const c of record.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'PMID') return textOf(c) || null;
    if (c.name === 'MedlineCitation' || c.name === 'BookDocument') return findPmid(c);
  }
  return null;
}


/**
 * Finds the XML declarations (`<?xml …?>`) that start a new document in text given a piece at
 * a time: not `<?xml-stylesheet?>`, and nothing inside a comment, a CDATA section or another
 * processing instruction. It jumps between `<!` and `<?` with indexOf; what lies between
 * them is not looked at.
 */
const MARKUP = /<[!?]/g;

class DeclarationScan {
  /** Inside a comment, CDATA or a PI: what closes it. */
  private inside: '-->' | ']]>' | '?>' | null = null;

  /** The declarations in `text`, and how much of it was read (the rest is held for the next piece). */
  scan(text: string): { declarations: number[]; end: number } {
    const declarations: number[] = [];
    let i = 0;
    for (;;) {
      if (this.inside !== null) {
        const close = text.indexOf(this.inside, i);
        if (close === -1) return { declarations, end: Math.max(i, text.length - (this.inside.length - 1)) };
        i = close + this.inside.length;
        this.inside = null;
      }
      // one pass for `<!` and `<?`: most pieces have neither
      MARKUP.lastIndex = i;
      const found = MARKUP.exec(text);
      if (found === null) return { declarations, end: text.charCodeAt(text.length - 1) === 0x3c ? text.length - 1 : text.length };
      const lt = found.index;
      // not enough to tell `<!--` from `<![CDATA[` or `<?xml ` from `<?xml-stylesheet`: wait
      if (lt + 9 > text.length) return { declarations, end: lt };
      if (text.startsWith('<!--', lt)) {
        this.inside = '-->';
        i = lt + 4;
      } else if (text.startsWith('<![CDATA[', lt)) {
        this.inside = ']]>';
        i = lt + 9;
      } else if (text.charCodeAt(lt + 1) === 0x3f) {
        if (/^<\?xml[\s?]/.test(text.slice(lt, lt + 6))) declarations.push(lt);
        this.inside = '?>';
        i = lt + 2;
      } else i = lt + 2;
    }
  }
}
