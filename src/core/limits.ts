/**
 * The bounds every record source keeps (MEDLINE text, PubMed XML, medline's JSON), so that a
 * crafted or corrupt input (a gigabyte on one line, a million nested elements) is a
 * diagnostic for that record, with its line and column, and never exhausts memory or the
 * stack; the other records are still converted. No real record comes near any of them.
 */

/**
 * The longest line, value or text run kept, in bytes (byte input) or UTF-16 code units
 * (text): 16 MiB, a hundred times the longest real value (a reference list, an abstract).
 * Past it the rest is skipped (TOO_LONG). A value is held in several forms on its way out
 * (read, citation, output text): at 64 MiB a run peaked near 500 MB, at 16 MiB it stays
 * under 300 MB.
 */
export const MAX_TEXT_LENGTH = 16 * 1024 * 1024;

/**
 * How deep elements (XML) or values (JSON) may nest within one record: MathML in an abstract
 * nests about ten deep, a citation's JSON five. Deeper, the record is skipped (TOO_DEEP).
 */
export const MAX_DEPTH = 256;

/**
 * The most elements one XML record may hold: the largest real ones (a GeneReviews chapter of
 * 577 sections, an article citing a thousand references) hold about 20,000. More, and the
 * record is skipped (TOO_LONG), so that it is never held whole (an element tree costs about
 * 500 bytes an element: 100,000 are 50 MB).
 */
export const MAX_RECORD_ELEMENTS = 100_000;

export interface Limits {
  readonly maxTextLength: number;
  readonly maxDepth: number;
  readonly maxRecordElements: number;
}

export const LIMITS: Limits = Object.freeze({ maxTextLength: MAX_TEXT_LENGTH, maxDepth: MAX_DEPTH, maxRecordElements: MAX_RECORD_ELEMENTS });
