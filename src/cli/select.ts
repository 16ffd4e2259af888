/**
 * Which records are written: `--dedupe` drops a record whose PMID (or, without a PMID, DOI)
 * was written already, naming both places; `--pmids FILE` keeps only the listed PMIDs,
 * `--exclude-pmids FILE` drops them. Decided in input order in the main thread, so the
 * output is the same with any `--jobs`.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic, RecordKey } from '../types.js';
import { describeFsError, UsageError } from './errors.js';

export interface SelectOptions {
  readonly dedupe: boolean;
  readonly pmids: string | null;
  readonly excludePmids: string | null;
}

/**
 * PMIDs seen, with where each was written, in typed arrays: open addressing on the PMID
 * number, 4 bytes of key and 8 of place per slot, at most 70% full: about 17 bytes a
 * record (170 MB for 10 million), where a Map of strings takes over 100.
 */
class PmidPlaces {
  private keys = new Uint32Array(1 << 16);
  private places = new Float64Array(1 << 16);
  private size = 0;

  /** The place of `pmid` if seen, else remembers `place` and returns null. */
  seenOrAdd(pmid: number, place: number): number | null {
    if ((this.size + 1) * 10 > this.keys.length * 7) this.grow();
    const mask = this.keys.length - 1;
    // 0 marks an empty slot; PMIDs start at 1
    for (let i = Math.imul(pmid, 0x9e3779b1) >>> 0 & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === pmid) return this.places[i]!;
      if (k === 0) {
        this.keys[i] = pmid;
        this.places[i] = place;
        this.size++;
        return null;
      }
    }
  }

  private grow(): void {
    const { keys, places } = this;
    this.keys = new Uint32Array(keys.length * 2);
    this.places = new Float64Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.seenOrAdd(keys[i]!, places[i]!);
  }
}

const MAX_PMID = 0xffffffff;

export class Selection {
  /** Records left out as duplicates, and by --pmids / --exclude-pmids. */
  duplicates = 0;
  leftOut = 0;
  private readonly files: string[] = [];
  private readonly pmidPlaces = new PmidPlaces();
  /** PMIDs that are not plain numbers, and DOIs of records without a PMID. */
  private readonly otherPlaces = new Map<string, number>();

  constructor(
    private readonly dedupe: boolean,
    private readonly keep: ReadonlySet<string> | null,
    private readonly drop: ReadonlySet<string> | null,
  ) {}

  get active(): boolean {
    return this.dedupe || this.keep !== null || this.drop !== null;
  }

  /** Index of an input for places; call once per input, in order. */
  addFile(name: string): number {
    this.files.push(name);
    return this.files.length - 1;
  }

  /** Whether the record goes out; a duplicate comes with the diagnostic that says so. */
  decide(key: RecordKey, file: number, line: number): { write: boolean; diagnostic: Diagnostic | null } {
    const pmid = key.pmid;
    const listed = pmid !== null && /^\d{1,10}$/.test(pmid) ? String(Number(pmid)) : pmid;
    if ((this.keep !== null && (listed === null || !this.keep.has(listed))) || (this.drop !== null && listed !== null && this.drop.has(listed))) {
      this.leftOut++;
      return { write: false, diagnostic: null };
    }
    if (!this.dedupe) return { write: true, diagnostic: null };
    const place = file * 2 ** 32 + line;
    let seen: number | null;
    let what: string;
    if (pmid !== null && /^\d{1,10}$/.test(pmid) && Number(pmid) > 0 && Number(pmid) <= MAX_PMID) {
      seen = this.pmidPlaces.seenOrAdd(Number(pmid), place);
      what = `PMID ${pmid}`;
    } else {
      const doi = key.doi === null ? null : normaliseDoi(key.doi);
      const id = pmid !== null ? `pmid:${pmid}` : doi !== null ? `doi:${doi}` : null;
      if (id === null) return { write: true, diagnostic: null };
      seen = this.otherPlaces.get(id) ?? null;
      if (seen === null) this.otherPlaces.set(id, place);
      what = pmid !== null ? `PMID ${pmid}` : `DOI ${key.doi}`;
    }
    if (seen === null) return { write: true, diagnostic: null };
    this.duplicates++;
    const kept = `${this.files[Math.floor(seen / 2 ** 32)]}:${seen % 2 ** 32}`;
    return {
      write: false,
      diagnostic: { code: 'DUPLICATE', severity: 'warning', message: `${what}, kept ${kept}; this one left out (--dedupe)`, line, column: 1, pmid },
    };
  }
}

/** DOIs compare without case and without a resolver prefix. */
function normaliseDoi(doi: string): string {
  return doi.trim().replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '').toLowerCase();
}

/**
 * A list of PMIDs, one a line (`#` starts a comment; blank lines are skipped). Other lines
 * are reported with their line number and skipped.
 */
export function readPmidList(path: string, cwd: string, report: (line: number, text: string) => void): Set<string> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: ${describeFsError(error)}`);
  }
  const pmids = new Set<string>();
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const m = /^(?:PMID:?\s*)?(\d{1,10})$/i.exec(line);
    if (m) pmids.add(String(Number(m[1])));
    else report(i + 1, raw);
  });
  return pmids;
}

/**
 * The pieces of one batch of records (a chunk read, a `--jobs` unit) that are written, and
 * the batch's diagnostics with the duplicates among them, in line order: the same order
 * however the input was cut, so that `--jobs` changes no message.
 */
export function selectBatch<P>(
  selection: Selection,
  file: number,
  lineOffset: number,
  pieces: readonly P[],
  keys: readonly RecordKey[],
  diagnostics: readonly Diagnostic[],
): { pieces: P[]; diagnostics: Diagnostic[] } {
  const kept: P[] = [];
  const all = [...diagnostics];
  keys.forEach((key, i) => {
    const { write, diagnostic } = selection.decide(key, file, key.line + lineOffset);
    if (diagnostic !== null) all.push(diagnostic);
    if (write && i < pieces.length) kept.push(pieces[i]!);
  });
  // whole-input diagnostics (line 0) keep their place at the end
  const order = (d: Diagnostic) => (d.line === 0 ? Infinity : d.line);
  return { pieces: kept, diagnostics: all.map((d, i) => [d, i] as const).sort((a, b) => order(a[0]) - order(b[0]) || a[1] - b[1]).map(([d]) => d) };
}
