/**
 * One input through the parser and a formatter's `prepare`: the loop shared by the
 * in-process run and the worker threads of `--jobs`.
 */
import { BinaryInputError, InputDecoder, type InputEncoding } from '../node/decoder.js';
import { MedlineParser } from '../parser.js';
import type { Citation, Diagnostic } from '../types.js';
import { FileError } from './errors.js';
import type { OpenedInput } from './input.js';

export interface ConvertOptions {
  readonly encoding: InputEncoding | null;
  /** Keep each citation's raw fields (for --raw and --to medline). */
  readonly raw: boolean;
}

export interface ConvertSink<P> {
  /** The pieces made from one chunk of input; awaited, so that a slow output slows the reading. */
  pieces(pieces: P[], bytesRead: number): Promise<void> | void;
  diagnostic(diagnostic: Diagnostic): void;
}

/** Reads one input to its end; `prepare` is null for --check. Returns the number of records. */
export async function convertInput<P>(
  input: OpenedInput,
  prepare: ((citation: Citation) => P) | null,
  options: ConvertOptions,
  sink: ConvertSink<P>,
): Promise<number> {
  const decoder = new InputDecoder(options.encoding);
  let pieces: P[] = [];
  let records = 0;
  const parser = new MedlineParser(
    {
      onCitation: (citation) => {
        records++;
        if (prepare !== null) pieces.push(prepare(citation));
      },
      onDiagnostic: (d) => sink.diagnostic(d),
    },
    { raw: options.raw },
  );
  let bytes = 0;
  const flush = async () => {
    const batch = pieces;
    pieces = [];
    await sink.pieces(batch, bytes);
  };
  try {
    for await (const chunk of input.chunks) {
      bytes += chunk.length;
      const { text, notes } = decoder.write(chunk);
      if (notes.length > 0) parser.note(notes);
      if (text.length > 0) parser.write(text);
      await flush();
    }
    const { text, notes } = decoder.end();
    if (notes.length > 0) parser.note(notes);
    if (text.length > 0) parser.write(text);
    parser.end();
    await flush();
  } catch (error) {
    if (error instanceof BinaryInputError) throw new FileError(input.name, error.message);
    throw error;
  }
  return records;
}
