/**
 * Where an invalid byte is, as a line and column, for the readers that take decoded text a
 * piece at a time (PubMed XML, medline's JSON): the decoder's notes count characters from the
 * input's start; the reader knows how many lines came before this piece. Only a piece with a
 * note is searched for line ends.
 */
import type { OffsetNote } from '../core/tokenizer.js';
import type { Diagnostic } from '../types.js';

export class NoteLocator {
  /** Characters passed on so far, and where the current line began. */
  private charsFed = 0;
  private lineStart = 0;

  /** Reports each note of `text` (a piece about to be read after `linesBefore` line ends), then moves past it. */
  pass(text: string, notes: readonly OffsetNote[], linesBefore: number, report: (d: Diagnostic) => void): void {
    for (const note of notes) {
      const at = note.offset - this.charsFed;
      let line = linesBefore;
      let lineStart = this.lineStart;
      for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
        line++;
        lineStart = this.charsFed + i + 1;
      }
      report({ code: 'INVALID_UTF8', severity: 'warning', message: note.message, line: line + 1, column: note.offset - lineStart + 1, pmid: null });
    }
    const lastLineEnd = text.lastIndexOf('\n');
    if (lastLineEnd !== -1) this.lineStart = this.charsFed + lastLineEnd + 1;
    this.charsFed += text.length;
  }
}
