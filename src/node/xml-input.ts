/**
 * PubMed XML as an input of the command: bytes decoded as for text (BOM, invalid UTF-8
 * reported), read by PubmedXmlReader, and each record made a citation by the same
 * `toCitation` as MEDLINE text.
 */
import { createRequire } from 'node:module';
import { toCitationWithDiagnostics, type CitationOptions } from '../citation/to-citation.js';
import { PieceCollector, type KeyKind } from './pieces.js';
import type { Citation, Diagnostic, RecordKey } from '../types.js';
import { PubmedXmlReader, type SaxesParserClass } from '../xml/reader.js';
import { InputDecoder, type InputEncoding } from './decoder.js';
import type { OffsetNote } from '../core/tokenizer.js';
import { NoteLocator } from './note-locator.js';

let saxes: SaxesParserClass | null = null;

/** saxes, loaded with `require`: an ESM import of this CommonJS package costs 12 MB more (the CJS lexer). */
function saxesParser(): SaxesParserClass {
  return (saxes ??= (createRequire(import.meta.url)('saxes') as { SaxesParser: SaxesParserClass }).SaxesParser);
}

/** Parses a whole PubMed XML text at once into citations (the XML twin of `parse`). */
export function parsePubmedXml(text: string, options: CitationOptions = {}): { citations: Citation[]; diagnostics: Diagnostic[] } {
  const citations: Citation[] = [];
  const diagnostics: Diagnostic[] = [];
  const reader = new PubmedXmlReader(
    {
      onDiagnostic: (d) => diagnostics.push(d),
      onRecord: (record) => citations.push(toCitationWithDiagnostics(record, (d) => diagnostics.push(d), options)),
    },
    saxesParser(),
  );
  reader.write(text);
  reader.end();
  return { citations, diagnostics };
}

/** Bytes decoded at once: the text stays well below V8's large-object size (128 kB). */
const TEXT_SLICE = 16 * 1024;

export class XmlPieceMaker<P> {
  private readonly collected: PieceCollector<P>;
  private readonly decoder: InputDecoder;
  private readonly reader: PubmedXmlReader;

  constructor(
    prepare: ((citation: Citation, line: number) => P) | null,
    private readonly onDiagnostic: (d: Diagnostic) => void,
    options: {
      readonly encoding: InputEncoding | null;
      readonly raw: boolean;
      readonly keys?: KeyKind;
      /** A run of whole records cut from the input (`--jobs`), and where it starts. */
      readonly unit?: { readonly first: boolean; readonly last?: boolean; readonly byteOffset: number; readonly root?: string };
    },
  ) {
    const unit = options.unit;
    this.collected = new PieceCollector(prepare, options.keys ?? false);
    this.decoder = new InputDecoder(options.encoding, unit && !unit.first ? { byteOffset: unit.byteOffset } : null, 'PubMed XML');
    this.reader = new PubmedXmlReader({
      onDiagnostic,
      onRecord: (record) => this.collected.add(toCitationWithDiagnostics(record, onDiagnostic, { raw: options.raw }), record.line),
    }, saxesParser(), unit ? { first: unit.first, last: unit.last ?? true, root: unit.root ?? 'PubmedArticleSet' } : null);
  }

  get records(): number {
    return this.reader.records;
  }

  get identified(): number {
    return this.collected.identified;
  }

  /** The XML broke off (not well-formed): nothing after it in this input is read. */
  get stopped(): boolean {
    return this.reader.failed;
  }

  get lines(): number {
    return this.reader.lines;
  }

  /** Always false: XML with no record (an update file of deletions only) is no error; XML that is not is one already. */
  get sawAnyText(): boolean {
    return false;
  }

  /**
   * Throws BinaryInputError for a binary input, as for text. Decoded a slice at a time: a
   * string of a whole 256 kB chunk would live in V8's large-object space until the next
   * full collection, and a run would hold its input's size in dead text.
   */
  write(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; at += TEXT_SLICE) this.pass(this.decoder.write(bytes.subarray(at, at + TEXT_SLICE)));
  }

  end(): void {
    this.pass(this.decoder.end());
    this.reader.end();
  }

  private readonly notes = new NoteLocator();

  private pass(chunk: { text: string; notes: readonly OffsetNote[] }): void {
    this.notes.pass(chunk.text, chunk.notes, this.reader.lines, this.onDiagnostic);
    this.reader.write(chunk.text);
  }

  take(): P[] {
    return this.collected.take();
  }

  takeKeys(): RecordKey[] {
    return this.collected.takeKeys();
  }
}
