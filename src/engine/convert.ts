/**
 * One input through the parser and a formatter's `prepare`: the loop shared by the
 * in-process run and the worker threads of `--jobs`.
 */
import { BinaryInputError, InputDecoder, nodeUtf8Decode, type InputEncoding } from '../node/decoder.js';
import { MedlineParser } from '../parser.js';
import type { Citation, Diagnostic, RecordKey } from '../types.js';
import { InputError } from './errors.js';
import type { InputKind, OpenedInput } from './input.js';
import { JsonPieceMaker } from '../node/json-input.js';
import { PieceCollector, type KeyKind } from '../node/pieces.js';
import type { XmlPieceMaker } from '../node/xml-input.js';

export interface ConvertOptions {
  readonly encoding: InputEncoding | null;
  /** Keep each citation's raw fields (for --raw and --to medline). */
  readonly raw: boolean;
  /** Keep each record's key (`--dedupe`, `--pmids`), in step with the pieces. */
  readonly keys?: KeyKind;
}

export interface ConvertSink<P> {
  /** The pieces made from one chunk of input; awaited, so that a slow output slows the reading. */
  pieces(pieces: P[], bytesRead: number, recordsRead: number, keys: RecordKey[]): Promise<void> | void;
  diagnostic(diagnostic: Diagnostic): void;
}

/**
 * Bytes in, prepared pieces out: the decoder, the parser and the formatter's `prepare`
 * together, for a whole input read chunk by chunk or for one unit of `--jobs`.
 */
export class PieceMaker<P> {
  records = 0;
  get identified(): number {
    return this.collected.identified;
  }
  private readonly collected: PieceCollector<P>;
  private readonly decoder: InputDecoder;
  readonly parser: MedlineParser;

  constructor(
    prepare: ((citation: Citation, line: number) => P) | null,
    onDiagnostic: (d: Diagnostic) => void,
    options: ConvertOptions & { readonly unit?: { readonly first: boolean; readonly byteOffset: number } },
  ) {
    const unit = options.unit;
    this.collected = new PieceCollector(prepare, options.keys ?? false);
    // a later unit starts mid-input: no BOM or binary sniffing, byte offsets from its start
    this.decoder = new InputDecoder(options.encoding, unit && !unit.first ? { byteOffset: unit.byteOffset } : null);
    this.parser = new MedlineParser(
      {
        onCitation: (citation, record) => {
          this.records++;
          this.collected.add(citation, record.line);
        },
        onDiagnostic,
      },
      // whether the input held any record is the read loop's to say, for every kind alike (noRecordFound)
      { raw: options.raw, part: true, decodeUtf8: nodeUtf8Decode, byteOffset: unit?.byteOffset ?? 0 },
    );
  }

  /** Decodes and parses bytes; throws BinaryInputError for a binary input. */
  write(bytes: Uint8Array): void {
    this.decoder.feed(bytes, this.parser);
  }

  end(): void {
    this.decoder.finish(this.parser);
    this.parser.end();
  }

  /** The pieces made since the last call. */
  take(): P[] {
    return this.collected.take();
  }

  get lines(): number {
    return this.parser.lines;
  }

  get sawAnyText(): boolean {
    return this.parser.sawAnyText;
  }

  /** The keys of the records read since the last call (with `keys`). */
  takeKeys(): RecordKey[] {
    return this.collected.takeKeys();
  }
}

/** What turns an input's bytes into pieces: MEDLINE text (PieceMaker), PubMed XML or medline's JSON. */
export interface RecordSource<P> {
  readonly records: number;
  /** Records with a PMID, a title or another identifier (PieceCollector.identified). */
  readonly identified: number;
  /** Lines read so far, and whether any held text. */
  readonly lines: number;
  readonly sawAnyText: boolean;
  /** Set when the input broke off (malformed XML): what follows it is not read. */
  readonly stopped?: boolean;
  write(bytes: Uint8Array): void;
  end(): void;
  take(): P[];
  takeKeys(): RecordKey[];
}

/** The PubMed XML reader, loaded on the first XML input: saxes's character tables cost 15 MB of memory. */
let xmlMaker: typeof XmlPieceMaker | null = null;

/** Loads what reading an input of this kind needs; awaited before `sourceFor`. */
export async function loadSource(kind: InputKind): Promise<void> {
  if (kind === 'xml' && xmlMaker === null) xmlMaker = (await import('../node/xml-input.js')).XmlPieceMaker;
}

/** The source for an input of this kind (after `loadSource`). */
export function sourceFor<P>(
  kind: InputKind,
  prepare: ((citation: Citation, line: number) => P) | null,
  onDiagnostic: (d: Diagnostic) => void,
  options: ConvertOptions & { readonly unit?: { readonly first: boolean; readonly last?: boolean; readonly byteOffset: number; readonly root?: string } },
): RecordSource<P> {
  if (kind === 'json') return new JsonPieceMaker(prepare, onDiagnostic, options);
  if (kind === 'xml') {
    if (xmlMaker === null) throw new Error('sourceFor: loadSource("xml") was not awaited');
    return new xmlMaker(prepare, onDiagnostic, options);
  }
  return new PieceMaker(prepare, onDiagnostic, options);
}

/**
 * The one rule for an input that held text but gave no record, whatever its kind and however
 * many jobs read it: an error (exit 1), and the previous `-o` is kept. XML with no record is
 * none (an update file may hold only deletions; XML that is not PubMed's is an error already).
 */
export function noRecordFound(kind: InputKind, records: number, sawText: boolean, identified: number = records): Diagnostic | null {
  if (records > 0 && identified === 0 && kind === 'medline') {
    const what = records === 1 ? 'one block of tag lines was read, but it has no' : `${records.toLocaleString('en-US')} blocks of tag lines were read, but not one has a`;
    return { code: 'NO_RECORDS', severity: 'error', message: `no MEDLINE record found: ${what} PMID, title or other identifier; this does not look like MEDLINE text`, line: 0, column: 0, pmid: null };
  }
  if (records > 0 || !sawText || kind === 'xml') return null;
  const message =
    kind === 'json'
      ? 'no citation read: every JSON value of this input was rejected (see above)'
      : 'no MEDLINE record found: this input does not look like MEDLINE text';
  return { code: 'NO_RECORDS', severity: 'error', message, line: 0, column: 0, pmid: null };
}

/**
 * The pieces made are written every this many bytes of input, not once a read: held for a
 * whole 256 kB read, the strings of a read outlived V8's young generation, which then grew
 * to its largest (16 MB semi-spaces) and copied them twice more.
 */
const PIECES_EVERY = 32 * 1024;

/** Reads one input to its end; `prepare` is null for --check. Returns the number of records. */
export async function convertInput<P>(
  input: OpenedInput & { readonly kind: InputKind },
  prepare: ((citation: Citation, line: number) => P) | null,
  options: ConvertOptions,
  sink: ConvertSink<P>,
): Promise<number> {
  const maker = sourceFor(input.kind, prepare, (d) => sink.diagnostic(d), options);
  let bytes = 0;
  try {
    for await (const chunk of input.chunks) {
      for (let at = 0; at < chunk.length; at += PIECES_EVERY) {
        const part = chunk.subarray(at, Math.min(chunk.length, at + PIECES_EVERY));
        bytes += part.length;
        maker.write(part);
        await sink.pieces(maker.take(), bytes, maker.records, maker.takeKeys());
      }
    }
    maker.end();
    const none = noRecordFound(input.kind, maker.records, maker.sawAnyText, maker.identified);
    if (none !== null) sink.diagnostic(none);
    await sink.pieces(maker.take(), bytes, maker.records, maker.takeKeys());
  } catch (error) {
    if (error instanceof BinaryInputError) throw new InputError(input.name, error.message);
    throw error;
  }
  return maker.records;
}
