/**
 * What the engine needs to know, and what it tells as it goes: its own types, so that it
 * serves the command line and the library alike and imports nothing from either.
 */
import type { Readable } from 'node:stream';
import type { FormatName, FormatOptions } from '../formats/index.js';
import type { Diagnostic } from '../types.js';
import type { InputEncoding } from '../node/decoder.js';
import type { InputKind } from './input.js';

export interface EngineOptions {
  /** Inputs in order: paths, `-` for `stdin`. */
  readonly files: readonly string[];
  /** What the inputs hold when their first bytes should not decide. */
  readonly from: InputKind | null;
  readonly encoding: InputEncoding | null;
  /** Keep each citation's raw fields (for `raw` output and MEDLINE text). */
  readonly raw: boolean;
  /**
   * Worker threads; 1 converts in this thread. `auto`: the machine's cores (at most
   * AUTO_MAX_JOBS) when the inputs on disk are large enough to gain from them, else 1.
   */
  readonly jobs: number | 'auto';
  /** The output format, and its options: worker threads make their own formatter from them. */
  readonly format: FormatName;
  readonly formatOptions: FormatOptions;
  /** Read and report only. */
  readonly check: boolean;
  /** Give each citation the inputs it was read from (`sources`), from the selection. */
  readonly sources?: boolean;
}

/** Where relative paths start and what `-` reads. */
export interface InputPlace {
  readonly cwd: string;
  readonly stdin: Readable;
}

/**
 * What the engine tells as it converts. `report` may throw to stop the run (the command's
 * --strict does); everything else only informs.
 */
export interface EngineEvents {
  /** An input begins (after it was opened). */
  startFile(): void;
  /** An input ended; `name` as diagnostics name it. */
  endFile(name: string): void;
  /** A problem in the data, or a record left out (--dedupe), with the input's name. */
  report(file: string, diagnostic: Diagnostic): void;
  /** An input could not be used at all (missing, unreadable, binary); the others go on. */
  error(message: string): void;
  /** Progress within an input: bytes read of `size`, records of this input not yet counted. */
  progress(file: string, bytes: number, size: number | null, inFile?: number): void;
  /** A problem writing one citation in the output format (BibTeX --ascii). */
  outputWarning(message: string, pmid: string | null): void;
  /** `count` more records were converted. */
  converted(count: number): void;
}
