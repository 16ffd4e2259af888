/**
 * What every output format implements. A formatter is created once per run and holds that
 * run's state (whether a separator is due, the citation keys used so far); it turns one
 * citation at a time into text, so output starts before input ends and memory stays flat.
 */
import type { Citation } from '../types.js';

export interface Formatter {
  /** Text that opens the output (a CSV header, `[`); may be empty. */
  begin(): string;
  /** The text of one citation. */
  format(citation: Citation): string;
  /** Text that closes the output (`]`); may be empty. */
  end(): string;
}
