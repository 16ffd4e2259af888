/**
 * Tokenizer + mapping: MEDLINE text in, typed citations out, still a push core with no
 * Node imports. `parse()` is the one-shot form.
 */
import { toCitationWithDiagnostics, type CitationOptions } from './citation/to-citation.js';
import type { Citation, Diagnostic, RawRecord } from './types.js';
import { MedlineTokenizer, type OffsetNote, type TokenizerOptions } from './core/tokenizer.js';

export interface ParserHandlers {
  onCitation(citation: Citation, record: RawRecord): void;
  onDiagnostic(diagnostic: Diagnostic): void;
}

export type ParserOptions = CitationOptions & TokenizerOptions;

export class MedlineParser {
  private readonly tokenizer: MedlineTokenizer;

  constructor(handlers: ParserHandlers, options: ParserOptions = {}) {
    this.tokenizer = new MedlineTokenizer({
      onDiagnostic: handlers.onDiagnostic,
      onRecord: (record) => {
        const citation = toCitationWithDiagnostics(record, handlers.onDiagnostic, options);
        handlers.onCitation(citation, record);
      },
    }, options);
  }

  /** Number of records read so far. */
  get records(): number {
    return this.tokenizer.records;
  }

  /** Number of lines read so far. */
  get lines(): number {
    return this.tokenizer.lines;
  }

  /** Whether any line so far held text other than white space. */
  get sawAnyText(): boolean {
    return this.tokenizer.sawAnyText;
  }

  write(text: string): void {
    this.tokenizer.write(text);
  }

  /** UTF-8 bytes, decoded line by line (see MedlineTokenizer.writeBytes). */
  writeBytes(bytes: Uint8Array): void {
    this.tokenizer.writeBytes(bytes);
  }

  note(notes: readonly OffsetNote[]): void {
    this.tokenizer.note(notes);
  }

  end(): void {
    this.tokenizer.end();
  }
}

export interface ParseResult {
  citations: Citation[];
  diagnostics: Diagnostic[];
}

/** Parses a whole MEDLINE text at once. */
export function parse(text: string, options: ParserOptions = {}): ParseResult {
  const result: ParseResult = { citations: [], diagnostics: [] };
  const parser = new MedlineParser(
    { onCitation: (c) => result.citations.push(c), onDiagnostic: (d) => result.diagnostics.push(d) },
    options,
  );
  parser.write(text);
  parser.end();
  return result;
}

/** Tokenizes a whole MEDLINE text into raw records, without typing them. */
export function parseRecords(text: string): { records: RawRecord[]; diagnostics: Diagnostic[] } {
  const records: RawRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const tokenizer = new MedlineTokenizer({ onRecord: (r) => records.push(r), onDiagnostic: (d) => diagnostics.push(d) });
  tokenizer.write(text);
  tokenizer.end();
  return { records, diagnostics };
}
