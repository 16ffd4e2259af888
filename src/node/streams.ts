/** Node adapters over the push parser: a Transform stream and an async iterator. */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { MedlineParser, type ParserOptions } from '../parser.js';
import type { Citation, Diagnostic } from '../types.js';
import { InputDecoder, nodeUtf8Decode, type InputEncoding } from './decoder.js';

export interface StreamOptions extends ParserOptions {
  /** Input encoding; by default a BOM decides, else UTF-8. */
  readonly encoding?: InputEncoding;
  /** Receives every diagnostic; the Transform also emits them as `diagnostic` events. */
  readonly onDiagnostic?: (diagnostic: Diagnostic) => void;
}

/** Bytes or strings in, Citation objects out. Diagnostics are emitted as `diagnostic` events. */
export class MedlineParseStream extends Transform {
  private readonly parser: MedlineParser;
  private readonly decoder: InputDecoder;

  constructor(options: StreamOptions = {}) {
    super({ readableObjectMode: true, writableObjectMode: false, decodeStrings: false });
    this.decoder = new InputDecoder(options.encoding ?? null);
    this.parser = new MedlineParser(
      {
        onCitation: (c) => this.push(c),
        onDiagnostic: (d) => {
          options.onDiagnostic?.(d);
          this.emit('diagnostic', d);
        },
      },
      { decodeUtf8: nodeUtf8Decode, ...options },
    );
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      if (typeof chunk === 'string') this.parser.write(chunk);
      else this.decoder.feed(chunk, this.parser);
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.finish(this.parser);
      this.parser.end();
      done();
    } catch (error) {
      done(error as Error);
    }
  }
}

/** Reads citations from a byte or text stream, one at a time. */
export async function* parseStream(input: Readable | AsyncIterable<Buffer | string>, options: StreamOptions = {}): AsyncGenerator<Citation> {
  const queue: Citation[] = [];
  const decoder = new InputDecoder(options.encoding ?? null);
  const parser = new MedlineParser(
    { onCitation: (c) => queue.push(c), onDiagnostic: (d) => options.onDiagnostic?.(d) },
    { decodeUtf8: nodeUtf8Decode, ...options },
  );
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    if (typeof chunk === 'string') parser.write(chunk);
    else decoder.feed(chunk, parser);
    yield* queue.splice(0);
  }
  decoder.finish(parser);
  parser.end();
  yield* queue.splice(0);
}
