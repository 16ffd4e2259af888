/**
 * `--out-dir`'s done marks (`DIR/.NAME.done`, beside the output `DIR/NAME`): what a run needs
 * to skip an input already converted, and what the output cannot say itself — the PMIDs the
 * input's `DeleteCitation` blocks named. An output read back as an input (`--latest
 * converted/*.ndjson`, the snapshot step after sharding across machines) carries those
 * deletions: they are reported after its records as the XML's own were, and `--latest`
 * applies them to the older inputs.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { decideBatch, type Selection } from '../selection.js';
import type { Diagnostic } from '../types.js';
import { InputError } from './errors.js';
import type { EngineEvents } from './options.js';

export interface DoneMark {
  /** The input converted, its size and time: a changed input is converted again. */
  readonly input: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** The settings the output was made with: another --to or --fields makes it again. */
  readonly settings: string;
  readonly records: number;
  /** --latest: the counts, and the PMIDs this input decided (written, and taken out by its DeleteCitation). */
  readonly superseded: number;
  readonly deletedRecords: number;
  readonly written: string[];
  readonly deleted: string[];
  /** The PMIDs of the input's DeleteCitation blocks: how many, and which. */
  readonly deleteCitationCount: number;
  readonly deleteCitations: string[];
  /** The output's size when it was marked: a mark is believed only for the output it was written for. */
  readonly outputSize?: number;
}

export function markPathOf(output: string): string {
  return join(dirname(output), `.${basename(output)}.done`);
}

export function readMark(path: string): DoneMark | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  try {
    const mark = JSON.parse(text) as DoneMark;
    return typeof mark.settings === 'string' && Array.isArray(mark.written) && Array.isArray(mark.deleteCitations) ? mark : null;
  } catch {
    return null;
  }
}

/** The deletions an input read back carries: from the input it was converted from. */
export interface CarriedDeletions {
  readonly from: string;
  readonly pmids: readonly string[];
}

/**
 * The deletions carried by the file at `path` (an --out-dir output, `size` bytes), or null when
 * no done mark lies beside it. A mark written for another version of the file is an error:
 * applying its deletions, or quietly not, could both give a wrong snapshot.
 */
export function carriedDeletions(name: string, path: string, size: number): CarriedDeletions | null {
  const mark = readMark(markPathOf(path));
  if (mark === null) return null;
  if (mark.outputSize !== undefined && mark.outputSize !== size) {
    throw new InputError(name, `its done mark (${basename(markPathOf(path))}) was written for another version of this file (${mark.outputSize.toLocaleString('en-US')} bytes, not ${size.toLocaleString('en-US')}): the DeleteCitation PMIDs it lists cannot be trusted; convert ${basename(mark.input)} again`);
  }
  return { from: basename(mark.input), pmids: mark.deleteCitations };
}

/**
 * Reports an input's carried deletions after its records, each as the XML reported it; with a
 * selection (--latest) through it, which takes the PMIDs out of the older inputs.
 */
export function reportCarried(carried: CarriedDeletions | undefined, name: string, file: number, selection: Selection, reporter: EngineEvents): void {
  if (carried === undefined || carried.pmids.length === 0) return;
  const deletions: Diagnostic[] = carried.pmids.map((pmid) => ({
    code: 'DELETED',
    severity: 'warning',
    message: `PMID ${pmid} is deleted from PubMed by ${carried.from} (DeleteCitation, kept in this output's done mark)`,
    line: 0,
    column: 0,
    pmid,
  }));
  const diagnostics = selection.active ? decideBatch(selection, file, 0, [], deletions).diagnostics : deletions;
  for (const d of diagnostics) reporter.report(name, d);
}
