/**
 * A formatter's output on its way out: opens and closes it, finishes pieces, and puts the
 * format's separator between citations, whether they come one by one or as runs already
 * encoded by a worker thread.
 */
import type { Formatter } from '../formats/formatter.js';
import type { Output } from './output.js';

export class FormattedWriter {
  /** Citations written so far. */
  private count = 0;

  constructor(
    private readonly formatter: Formatter,
    private readonly output: Output,
  ) {}

  async begin(): Promise<void> {
    await this.output.write(this.formatter.begin());
  }

  /** Pieces from `prepare`, in order. */
  async pieces(pieces: readonly unknown[]): Promise<void> {
    const { formatter, output } = this;
    for (const piece of pieces) {
      const text = formatter.finish(piece);
      const pending = output.write(this.count++ === 0 ? text : formatter.separator + text);
      if (pending !== undefined) await pending;
    }
  }

  /**
   * `count` citations of a plain format, joined with the separator and encoded as UTF-8.
   * `release` is called once the output is done with the bytes, if it can tell.
   */
  async encoded(bytes: Uint8Array, count: number, release?: () => void): Promise<void> {
    if (count === 0) return;
    if (this.count > 0 && this.formatter.separator !== '') await this.output.write(this.formatter.separator);
    await this.output.writeBytes(bytes, release);
    this.count += count;
  }

  async end(): Promise<void> {
    await this.output.write(this.formatter.end(this.count));
  }
}
