/**
 * PubMed XML as an input of the command: bytes decoded as for text (BOM, invalid UTF-8
 * reported), read by PubmedXmlReader, and each record made a citation by the same
 * `toCitation` as MEDLINE text.
 */
import { toCitation } from '../citation/to-citation.js';
import type { Citation, Diagnostic, RecordKey } from '../types.js';
import { PubmedXmlReader } from '../xml/reader.js';
import { InputDecoder, type InputEncoding } from './decoder.js';

export class XmlPieceMaker<P> {
  private pieces: P[] = [];
  private keys: RecordKey[] = [];
  private readonly decoder: InputDecoder;
  private readonly reader: PubmedXmlReader;

  constructor(
    prepare: ((citation: Citation) => P) | null,
    private readonly onDiagnostic: (d: Diagnostic) => void,
    options: { readonly encoding: InputEncoding | null; readonly raw: boolean; readonly keys?: boolean },
  ) {
    this.decoder = new InputDecoder(options.encoding, null, false);
    this.reader = new PubmedXmlReader({
      onDiagnostic,
      onRecord: (record) => {
        const citation = toCitation(
          record,
          (code, message, field) => onDiagnostic({ code, severity: 'warning', message, line: field.line, column: field.column, pmid: record.pmid }),
          { raw: options.raw },
        );
        if (prepare !== null) this.pieces.push(prepare(citation));
        if (options.keys) this.keys.push({ pmid: citation.pmid, doi: citation.ids.doi, line: record.line });
      },
    });
  }

  get records(): number {
    return this.reader.records;
  }

  get lines(): number {
    return this.reader.lines;
  }

  get sawAnyText(): boolean {
    return this.reader.sawAnyText;
  }

  /** Throws BinaryInputError for a binary input, as for text. */
  write(bytes: Uint8Array): void {
    this.pass(this.decoder.write(bytes));
  }

  end(): void {
    this.pass(this.decoder.end());
    this.reader.end();
  }

  private pass(chunk: { text: string; notes: ReadonlyArray<{ code: string; message: string }> }): void {
    for (const note of chunk.notes) {
      this.onDiagnostic({ code: 'INVALID_UTF8', severity: 'warning', message: note.message, line: 0, column: 0, pmid: null });
    }
    this.reader.write(chunk.text);
  }

  take(): P[] {
    const pieces = this.pieces;
    this.pieces = [];
    return pieces;
  }

  takeKeys(): RecordKey[] {
    const keys = this.keys;
    this.keys = [];
    return keys;
  }
}
