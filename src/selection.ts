/**
 * Which records are written: deduplication drops a record whose PMID (or, without a PMID,
 * DOI) was written already, naming both places (`--dedupe`); a list of PMIDs keeps only
 * those (`--pmids`) or drops them (`--exclude-pmids`). Decided in input order, so the
 * command decides in its main thread and the output is the same with any `--jobs`.
 * No Node imports.
 */
import type { Citation, Diagnostic, RecordKey } from './types.js';
import { isNotice } from './node/pieces.js';

/**
 * PMIDs seen, with where each was written, in typed arrays: open addressing on the PMID
 * number, 4 bytes of key and 8 of place per slot, at most 70% full, doubled when full:
 * 24 bytes a record measured (`node bench/dedupe.mjs`: 240 MB for 10 million), where a
 * Map of strings takes over 100.
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

  /** The place of `pmid`, or null. */
  get(pmid: number): number | null {
    const mask = this.keys.length - 1;
    for (let i = Math.imul(pmid, 0x9e3779b1) >>> 0 & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === pmid) return this.places[i]!;
      if (k === 0) return null;
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

/**
 * Every record's DOI, with its title and whether it is a notice, as one 52-bit hash, and the
 * record kept for it: its PMID when it has one (then its place is in PmidPlaces), else its
 * place, negated. Two typed arrays, 16 bytes a slot, at most 70% full: so a record with a
 * PMID and its copy without one (an Embase export of the same article) are found to be one
 * work, in either order, within about 23 bytes a record beside the PMID index's 24.
 */
class DoiIndex {
  private keys = new Float64Array(1 << 12);
  private refs = new Float64Array(1 << 12);
  private size = 0;

  get(hash: number): number | null {
    const mask = this.keys.length - 1;
    for (let i = (hash % 0x7fffffff) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === hash) return this.refs[i]!;
      if (k === 0) return null;
    }
  }

  add(hash: number, ref: number): void {
    if ((this.size + 1) * 10 > this.keys.length * 7) this.grow();
    const mask = this.keys.length - 1;
    for (let i = (hash % 0x7fffffff) & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === hash) return;
      if (k === 0) {
        this.keys[i] = hash;
        this.refs[i] = ref;
        this.size++;
        return;
      }
    }
  }

  private grow(): void {
    const { keys, refs } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.refs = new Float64Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== 0) this.add(keys[i]!, refs[i]!);
  }
}

/**
 * One work's key: a 52-bit hash (two 32-bit FNV-1a with different seeds, never 0) of its
 * normalised DOI, its title as matching compares it, and whether it is a notice. The title is
 * hashed as it is read, letters and digits only, lower-cased: no string is made for an ASCII
 * title (this runs for every record with a DOI).
 */
function workKey(doi: string, title: string | null, notice: boolean): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const mix = (c: number) => {
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  };
  const d = normaliseDoi(doi);
  for (let i = 0; i < d.length; i++) mix(d.charCodeAt(i));
  mix(0);
  const t = title === null ? '' : /[^\x00-\x7f]/.test(title) ? normaliseTitle(title) : title;
  for (let i = 0; i < t.length; i++) {
    let c = t.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c > 0x7f) mix(c);
  }
  mix(notice ? 2 : 1);
  return ((a >>> 12) & 0xfffff) * 0x100000000 + (b >>> 0) || 1;
}

const MAX_PMID = 0xffffffff;

/**
 * The one reading of a PMID as a user gives it, for the command's lists and the library's
 * `pmids` alike: `12345`, `012345`, `PMID: 12345`, `PMID:12345`, a PubMed URL
 * (`https://pubmed.ncbi.nlm.nih.gov/12345/`, `…/pubmed/12345`). Its number, or null.
 */
export function pmidOf(text: string): number | null {
  const m = /^(?:PMID\s*:?\s*|(?:https?:\/\/)?(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov\/|ncbi\.nlm\.nih\.gov\/pubmed\/))?0*(\d{1,10})\/?$/i.exec(text.trim());
  if (m === null) return null;
  const n = Number(m[1]);
  return n > 0 && n <= MAX_PMID ? n : null;
}

/**
 * A set of PMIDs as numbers in one typed array (open addressing, at most 70% full): 10
 * million take 64 MB, where a Set of strings took over a gigabyte.
 */
export class PmidSet {
  private keys = new Uint32Array(1 << 10);
  size = 0;

  add(pmid: number): void {
    if ((this.size + 1) * 10 > this.keys.length * 7) this.grow();
    const mask = this.keys.length - 1;
    for (let i = Math.imul(pmid, 0x9e3779b1) >>> 0 & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === pmid) return;
      if (k === 0) {
        this.keys[i] = pmid;
        this.size++;
        return;
      }
    }
  }

  has(pmid: number): boolean {
    const mask = this.keys.length - 1;
    for (let i = Math.imul(pmid, 0x9e3779b1) >>> 0 & mask; ; i = (i + 1) & mask) {
      const k = this.keys[i]!;
      if (k === pmid) return true;
      if (k === 0) return false;
    }
  }

  /** Each PMID, in no particular order. */
  *[Symbol.iterator](): IterableIterator<number> {
    for (const k of this.keys) if (k !== 0) yield k;
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Uint32Array(old.length * 2);
    this.size = 0;
    for (const k of old) if (k !== 0) this.add(k);
  }

  /** A set of the PMIDs given as text; a text that is no PMID is passed to `bad` (or throws). */
  static of(pmids: Iterable<string | number>, bad: (text: string) => void): PmidSet {
    const set = new PmidSet();
    for (const p of pmids) {
      const n = typeof p === 'number' ? (Number.isInteger(p) && p > 0 && p <= MAX_PMID ? p : null) : pmidOf(p);
      if (n === null) bad(String(p));
      else set.add(n);
    }
    return set;
  }
}

/** The number of a record's PMID for the lists, or null (none, or not a plain number). */
function recordPmid(pmid: string | null): number | null {
  if (pmid === null || !/^\d{1,10}$/.test(pmid)) return null;
  const n = Number(pmid);
  return n > 0 && n <= MAX_PMID ? n : null;
}

export class Selection {
  /** Records left out as duplicates, and by --pmids / --exclude-pmids. */
  duplicates = 0;
  leftOut = 0;
  private readonly files: string[] = [];
  private readonly pmidPlaces = new PmidPlaces();
  /** PMIDs that are not plain numbers (ERIC's, PMC's), with where each was written. */
  private readonly otherPlaces = new Map<string, number>();
  /** Every DOI with its title and notice flag (DoiIndex): a DOI alone is no proof of one work. */
  private readonly dois = new DoiIndex();
  /** The PMIDs of --pmids that some input held, to say which none did. */
  private readonly found = new PmidSet();
  /** Told of each record left out as a duplicate, in input order (--duplicates FILE). */
  onDuplicate: ((row: DuplicateRow) => void) | null = null;

  constructor(
    private readonly dedupe: boolean,
    private readonly keep: PmidSet | null,
    private readonly drop: PmidSet | null,
  ) {}

  get active(): boolean {
    return this.dedupe || this.keep !== null || this.drop !== null;
  }

  /** The PMIDs of --pmids that no input held, in no particular order (at most `limit`), and how many. */
  missingFromList(limit = 20): { count: number; some: number[] } {
    if (this.keep === null) return { count: 0, some: [] };
    const some: number[] = [];
    let count = 0;
    for (const pmid of this.keep) {
      if (this.found.has(pmid)) continue;
      count++;
      if (some.length < limit) some.push(pmid);
    }
    return { count, some: some.sort((a, b) => a - b) };
  }

  /** Index of an input for places; call once per input, in order. */
  addFile(name: string): number {
    this.files.push(name);
    return this.files.length - 1;
  }

  /** Whether the record goes out; a duplicate comes with the diagnostic that says so. */
  decide(key: RecordKey, file: number, line: number): { write: boolean; diagnostic: Diagnostic | null } {
    const pmid = key.pmid;
    const listed = recordPmid(pmid);
    if ((this.keep !== null && (listed === null || !this.keep.has(listed))) || (this.drop !== null && listed !== null && this.drop.has(listed))) {
      this.leftOut++;
      return { write: false, diagnostic: null };
    }
    if (this.keep !== null && listed !== null) this.found.add(listed);
    if (!this.dedupe) return { write: true, diagnostic: null };
    const place = file * 2 ** 32 + line;
    const numeric = listed;
    let seen: number | null = null;
    let what = '';
    let keptPmid: string | null = null;
    if (numeric !== null) {
      seen = this.pmidPlaces.get(numeric);
      if (seen !== null) [what, keptPmid] = [`PMID ${pmid}`, pmid];
    } else if (pmid !== null) {
      seen = this.otherPlaces.get(`pmid:${pmid}`) ?? null;
      if (seen !== null) [what, keptPmid] = [`PMID ${pmid}`, pmid];
    }
    // the DOI, when no PMID matched: with the title (a supplement's DOI on many abstracts) and
    // the notice flag (an erratum carries its article's DOI); two different PMIDs are two works
    // hashed only when a PMID did not decide: a DOI then either finds the work or registers it
    const doiKey = seen !== null || key.doi === null ? null : workKey(key.doi, key.title ?? null, key.notice === true);
    if (doiKey !== null) {
      const ref = this.dois.get(doiKey);
      if (ref !== null && ref < 0) [seen, what, keptPmid] = [-ref - 1, `DOI ${key.doi}`, null];
      else if (ref !== null && (numeric === null || numeric === ref)) [seen, what, keptPmid] = [this.pmidPlaces.get(ref), `DOI ${key.doi}`, String(ref)];
    }
    if (seen === null) {
      // a new work: each of its identifiers now leads to it
      if (numeric !== null) this.pmidPlaces.seenOrAdd(numeric, place);
      else if (pmid !== null) this.otherPlaces.set(`pmid:${pmid}`, place);
      if (doiKey !== null) this.dois.add(doiKey, numeric !== null ? numeric : -(place + 1));
      return { write: true, diagnostic: null };
    }
    // a copy found by its DOI that has a PMID of its own: later copies with that PMID are the same work
    if (numeric !== null && this.pmidPlaces.get(numeric) === null) this.pmidPlaces.seenOrAdd(numeric, seen);
    this.duplicates++;
    const keptFile = this.files[Math.floor(seen / 2 ** 32)]!;
    const keptLine = seen % 2 ** 32;
    this.onDuplicate?.({
      file: this.files[file]!,
      line,
      pmid,
      doi: key.doi,
      title: key.title ?? null,
      keptFile,
      keptLine,
      keptPmid,
      rule: what.startsWith('PMID') ? 'same PMID' : 'same DOI',
    });
    return {
      write: false,
      diagnostic: { code: 'DUPLICATE', severity: 'info', message: `${what}, kept ${keptFile}:${keptLine}; this one left out (--dedupe)`, line, column: 1, pmid },
    };
  }
}

/** A title as matching compares it: letters and digits only, lower case, accents folded. */
function normaliseTitle(title: string): string {
  return title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * DOIs compare as the same DOI however they were written: any resolver URL
 * (`https://doi.org/`, `http://dx.doi.org/`, `https://www.doi.org/`), a `doi:` or `DOI `
 * label, %-escapes (`%2F`), trailing punctuation, case.
 */
export function normaliseDoi(doi: string): string {
  // the common form, `10.1234/abc`, has nothing to take off
  if (doi.charCodeAt(0) === 0x31 && doi.indexOf('%') === -1 && !/[\s.,;:]$/.test(doi)) return doi.toLowerCase();
  let d = doi.trim().replace(/^(?:https?:\/\/(?:www\.|dx\.)?doi\.org\/|doi:?\s*)/i, '');
  if (d.includes('%')) {
    try {
      d = decodeURIComponent(d);
    } catch {
      // a lone % is part of the DOI
    }
  }
  return d.replace(/[.,;:]+$/, '').toLowerCase();
}

/** One record --dedupe left out, and the one it duplicates: a row of the audit file. */
export interface DuplicateRow {
  readonly file: string;
  readonly line: number;
  readonly pmid: string | null;
  readonly doi: string | null;
  readonly title: string | null;
  readonly keptFile: string;
  readonly keptLine: number;
  readonly keptPmid: string | null;
  readonly rule: 'same PMID' | 'same DOI';
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

export interface SelectOptions {
  /** Write each PMID (without a PMID: each DOI) once, the first time it comes. */
  readonly dedupe?: boolean;
  /** Keep only these PMIDs. */
  readonly pmids?: Iterable<string>;
  /** Leave these PMIDs out. */
  readonly excludePmids?: Iterable<string>;
  /** Receives a DUPLICATE diagnostic for each duplicate left out. */
  readonly onDiagnostic?: (diagnostic: Diagnostic) => void;
}

/**
 * The library's form of `--dedupe`, `--pmids` and `--exclude-pmids`: the citations that
 * are chosen, in order. Duplicates are named by their index in the sequence (line 0).
 */
export async function* selectCitations(citations: Iterable<Citation> | AsyncIterable<Citation>, options: SelectOptions): AsyncGenerator<Citation> {
  const list = (pmids: Iterable<string> | undefined, name: string) =>
    pmids === undefined
      ? null
      : PmidSet.of(pmids, (text) => {
          throw new TypeError(`${name}: "${text.slice(0, 60)}" is not a PMID`);
        });
  const selection = new Selection(options.dedupe === true, list(options.pmids, 'pmids'), list(options.excludePmids, 'excludePmids'));
  const file = selection.addFile('#');
  let index = 0;
  for await (const c of citations) {
    index++;
    const title = c.title ?? c.transliteratedTitle;
    const { write, diagnostic } = selection.decide({ pmid: c.pmid, doi: c.ids.doi, line: index, title, notice: isNotice(c.publicationTypes, title) }, file, index);
    if (diagnostic !== null) options.onDiagnostic?.({ ...diagnostic, line: 0, column: 0, message: diagnostic.message.replace(/#:(\d+)/, 'citation $1').replace(/ \(--dedupe\)$/, '') + ` (citation ${index})` });
    if (write) yield c;
  }
}
