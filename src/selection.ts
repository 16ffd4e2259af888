/**
 * Which records are written: --dedupe drops a copy of a work written already (what one work
 * is: dedupe/works.ts), naming both places, or with --keep complete writes each work's most
 * complete copy (two readings, KeepPlan); --latest keeps each PMID's last version
 * (dedupe/latest.ts); a list of PMIDs keeps only those (`--pmids`) or drops them
 * (`--exclude-pmids`). Decided in input order, so the command decides in its main thread and
 * the output is the same with any `--jobs`. No Node imports.
 */
import type { Citation, Diagnostic, RecordKey } from './types.js';
import { pmidNumber, recordKey } from './dedupe/keys.js';
import { WorkIndex, type MatchRule, type Verdict } from './dedupe/works.js';
import type { LatestVersions } from './dedupe/latest.js';
import type { KeyKind } from './node/pieces.js';
export { normaliseDoi, normaliseTitle } from './dedupe/keys.js';

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

  clear(): void {
    this.keys.fill(0);
    this.size = 0;
  }

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


/** Which copy of a work is written: the first read (streaming), or the most complete (two readings). */
export type KeepRule = 'first' | 'complete';

/** For a work read more than once: the copy to write, by what rule its copies matched, and every input it was in. */
interface WorkGroup {
  /** The place (file × 2³² + line) of the copy to write, and how complete it is. */
  best: number;
  score: number;
  rule: MatchRule;
  /** The PMID of the copy to write. */
  pmid: string | null;
  /** Input indexes, in the order first met. */
  files: number[];
}

/**
 * What a first reading of the inputs found for `--keep complete` (and each work's inputs for
 * `sources`): for each work read more than once, its group. The works are numbered as the
 * second reading numbers them, the same rules deciding in the same order. Memory: a byte a
 * work, and a group for each work with copies.
 */
export class KeepPlan {
  private scores = new Uint8Array(1024);
  readonly groups = new Map<number, WorkGroup>();

  /** The groups by the place of the copy written. */
  byBest(): Map<number, WorkGroup> {
    return new Map([...this.groups.values()].map((g) => [g.best, g]));
  }

  /** Notes a record of the first reading. */
  note(verdict: Verdict, key: RecordKey, file: number, place: number, index: WorkIndex): void {
    const score = key.completeness ?? 0;
    if (verdict.match === null) {
      if (verdict.work >= this.scores.length) {
        const bigger = new Uint8Array(this.scores.length * 2);
        bigger.set(this.scores);
        this.scores = bigger;
      }
      this.scores[verdict.work] = score;
      return;
    }
    const work = verdict.work;
    let group = this.groups.get(work);
    if (group === undefined) {
      const first = index.file(work);
      const pmid = verdict.match.pmid === null ? null : String(verdict.match.pmid);
      group = { best: first * 2 ** 32 + index.line(work), score: this.scores[work]!, rule: verdict.match.rule, pmid, files: [first] };
      this.groups.set(work, group);
    }
    if (!group.files.includes(file)) group.files.push(file);
    // the first of the most complete copies: ties keep the earlier
    if (score > group.score) [group.best, group.score, group.rule, group.pmid] = [place, score, verdict.match.rule, key.pmid];
  }
}

export class Selection {
  /** Records left out as duplicates, and by --pmids / --exclude-pmids; records kept that may be duplicates (PossibleRow). */
  duplicates = 0;
  leftOut = 0;
  possible = 0;
  /** Duplicates removed by each rule. */
  readonly byRule = new Map<MatchRule, number>();
  readonly files: string[] = [];
  private works = new WorkIndex();
  /** The PMIDs of --pmids that some input held, to say which none did. */
  private readonly found = new PmidSet();
  /** Told of each record left out as a duplicate, and of each possible duplicate kept, in input order (--duplicates FILE). */
  onDuplicate: ((row: DuplicateRow) => void) | null = null;
  /** Set for the first of two readings (--keep complete): records are noted, not chosen. */
  private survey: KeepPlan | null = null;
  /** Set for the second reading: which copy of each work is written. */
  private plan: KeepPlan | null = null;
  private planByBest: Map<number, WorkGroup> | null = null;
  /** The inputs as the first reading named them: a record's sources name inputs the second has not opened yet. */
  private firstFiles: string[] = [];

  constructor(
    private readonly dedupe: boolean,
    private readonly keep: PmidSet | null,
    private readonly drop: PmidSet | null,
    /** Which copy of a work is written (--keep). */
    readonly copy: KeepRule = 'first',
    /** Whether each record says every input it was read from (--sources). */
    readonly withSources = false,
    /** --latest: the inputs come newest first; each PMID's first copy is written, a DeleteCitation removes older ones. */
    readonly latest: LatestVersions | null = null,
  ) {}

  /** Records read but not written: duplicates, records the lists left out, older versions (--latest). */
  get notWritten(): number {
    return this.duplicates + this.leftOut + (this.latest === null ? 0 : this.latest.superseded + this.latest.deleted);
  }

  get active(): boolean {
    return this.dedupe || this.keep !== null || this.drop !== null || this.latest !== null;
  }

  /** What the selection needs of each record: its whole key for --dedupe, else its PMID alone (cheaper to gather). */
  get keyKind(): KeyKind {
    return this.dedupe ? true : this.active ? 'pmid' : false;
  }

  /** Whether the inputs are read twice: to write a work's most complete copy, or each work's inputs. */
  get twoReadings(): boolean {
    return this.dedupe && (this.copy === 'complete' || this.withSources);
  }

  /**
   * Starts the first of two readings (`--keep complete`): until `startSecondReading`, every
   * record is noted and none chosen.
   */
  startFirstReading(): void {
    this.survey = new KeepPlan();
  }

  /** Ends the first reading: from here the most complete copy of each work is written. */
  startSecondReading(): KeepPlan {
    const plan = this.survey!;
    this.survey = null;
    this.plan = plan;
    this.planByBest = plan.byBest();
    this.firstFiles = [...this.files];
    this.works = new WorkIndex();
    this.files.length = 0;
    this.found.clear();
    return plan;
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

  /** The inputs a written record's work was read from (with a plan; else its own input alone). */
  sourcesOf(file: number, line: number): string[] {
    const place = file * 2 ** 32 + line;
    const group = this.planByBest?.get(place);
    return group === undefined ? [this.files[file]!] : group.files.map((f) => this.fileName(f));
  }

  private fileName(index: number): string {
    return this.files[index] ?? this.firstFiles[index]!;
  }

  /** Whether the record goes out; a duplicate comes with the diagnostic that says so. */
  decide(key: RecordKey, file: number, line: number): { write: boolean; diagnostic: Diagnostic | null } {
    const listed = pmidNumber(key.pmid);
    if ((this.keep !== null && (listed === null || !this.keep.has(listed))) || (this.drop !== null && listed !== null && this.drop.has(listed))) {
      this.leftOut++;
      return { write: false, diagnostic: null };
    }
    if (this.keep !== null && listed !== null) this.found.add(listed);
    if (this.latest !== null) return { write: this.latest.write(key.pmid), diagnostic: null };
    if (!this.dedupe) return { write: true, diagnostic: null };
    const verdict = this.works.place(key, file, line);
    const place = file * 2 ** 32 + line;
    if (this.survey !== null) {
      this.survey.note(verdict, key, file, place, this.works);
      return { write: false, diagnostic: null };
    }
    const group = this.plan?.groups.get(verdict.work);
    // the copy written: the work's first, or with a plan its most complete
    const keptPlace = group !== undefined ? group.best : this.works.file(verdict.work) * 2 ** 32 + this.works.line(verdict.work);
    if (keptPlace === place) {
      if (verdict.possible !== null) this.tellPossible(key, file, line, verdict.possible);
      return { write: true, diagnostic: null };
    }
    const rule = group?.rule ?? verdict.match!.rule;
    this.duplicates++;
    this.byRule.set(rule, (this.byRule.get(rule) ?? 0) + 1);
    // with a plan the copy kept may be in an input the second reading has not opened yet
    const keptFile = this.fileName(Math.floor(keptPlace / 2 ** 32));
    const keptLine = keptPlace % 2 ** 32;
    const matched = verdict.match?.pmid;
    const keptPmid = group !== undefined ? group.pmid : rule === 'same PMID' ? key.pmid : matched == null ? null : String(matched);
    this.onDuplicate?.({ file: this.files[file]!, line, pmid: key.pmid, doi: key.doi, title: key.title ?? null, keptFile, keptLine, keptPmid, rule, removed: true });
    const why =
      rule === 'same PMID' ? `PMID ${key.pmid}` : rule === 'same PMC id' && key.pmc != null ? `PMC id ${key.pmc}` : key.doi !== null && rule === 'same DOI and title' ? `DOI ${key.doi}` : rule;
    const more = group !== undefined && group.best > place ? ', a more complete copy' : '';
    return {
      write: false,
      diagnostic: { code: 'DUPLICATE', severity: 'info', message: `${why}, kept ${keptFile}:${keptLine}${more}; this one left out (--dedupe)`, line, column: 1, pmid: key.pmid },
    };
  }

  private tellPossible(key: RecordKey, file: number, line: number, { work, pmid }: NonNullable<Verdict['possible']>): void {
    this.possible++;
    const keptFile = this.files[this.works.file(work)]!;
    this.onDuplicate?.({
      file: this.files[file]!,
      line,
      pmid: key.pmid,
      doi: key.doi,
      title: key.title ?? null,
      keptFile,
      keptLine: this.works.line(work),
      keptPmid: pmid === null ? null : String(pmid),
      rule: 'same title, not the same year and first page or DOI',
      removed: false,
    });
  }
}

/** One record --dedupe left out (or kept as a possible duplicate), and the one it duplicates: a row of the audit file. */
export interface DuplicateRow {
  readonly file: string;
  readonly line: number;
  readonly pmid: string | null;
  readonly doi: string | null;
  readonly title: string | null;
  readonly keptFile: string;
  readonly keptLine: number;
  readonly keptPmid: string | null;
  readonly rule: MatchRule | 'same title, not the same year and first page or DOI';
  /** False for a possible duplicate: kept, to be checked by hand. */
  readonly removed: boolean;
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
  const { written, diagnostics: all } = decideBatch(selection, file, lineOffset, keys, diagnostics);
  return { pieces: pieces.filter((_, i) => written[i] === 1), diagnostics: all };
}

/**
 * `selectBatch` for records whose pieces are already joined and encoded (a `--jobs` worker's
 * bytes): whether each record, by its index in the batch, is written (1) or not (0).
 */
export function decideBatch(
  selection: Selection,
  file: number,
  lineOffset: number,
  keys: readonly RecordKey[],
  diagnostics: readonly Diagnostic[],
): { written: Uint8Array; diagnostics: Diagnostic[] } {
  const written = new Uint8Array(keys.length);
  const all = [...diagnostics];
  keys.forEach((key, i) => {
    const { write, diagnostic } = selection.decide(key, file, key.line + lineOffset);
    if (diagnostic !== null) all.push(diagnostic);
    if (write) written[i] = 1;
  });
  // --latest: a DeleteCitation (at the end of its file, after the file's records) removes the
  // PMID from the older inputs, read after this one
  if (selection.latest !== null) for (const d of diagnostics) if (d.code === 'DELETED' && d.pmid !== null) selection.latest.delete(d.pmid);
  // whole-input diagnostics (line 0) keep their place at the end
  const order = (d: Diagnostic) => (d.line === 0 ? Infinity : d.line);
  return { written, diagnostics: all.map((d, i) => [d, i] as const).sort((a, b) => order(a[0]) - order(b[0]) || a[1] - b[1]).map(([d]) => d) };
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
    const { write, diagnostic } = selection.decide(recordKey(c, index), file, index);
    if (diagnostic !== null) options.onDiagnostic?.({ ...diagnostic, line: 0, column: 0, message: diagnostic.message.replace(/#:(\d+)/, 'citation $1').replace(/ \(--dedupe\)$/, '') + ` (citation ${index})` });
    if (write) yield c;
  }
}
