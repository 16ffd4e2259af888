/**
 * `--jobs N`: inputs are cut at blank lines (PubMed XML: after a record's end tag) into units
 * of about a megabyte, converted on N worker threads at once, and finished (separators, unique keys) and written in input
 * order by the main thread, with their diagnostics: the output and the messages are those
 * of a single-threaded run, byte for byte. Many files and one large file gain alike. An
 * input that is a single small unit is converted in the main thread: no thread is started.
 */
import { Worker } from 'node:worker_threads';
import type { Citation } from '../types.js';
import { InputError } from './errors.js';
import { openInput, withKind, type InputKind, type OpenedInput } from './input.js';
import type { EngineEvents, EngineOptions, InputPlace } from './options.js';
import { convertUnit, lastBoundary, type Unit, type UnitResult } from './unit.js';
import { XmlCutter } from './xml-cut.js';
import { noRecordFound, sourceFor } from './convert.js';
import { decideBatch, selectBatch, type Selection } from '../selection.js';
import type { Diagnostic } from '../types.js';
import { MAX_TEXT_LENGTH } from '../core/tokenizer.js';
import { BinaryInputError } from '../node/decoder.js';
import type { ToWorker, WorkerSetup } from './worker.js';
import type { FormattedWriter } from './writer.js';
import type { Formatter } from '../formats/formatter.js';
import { SpareBuffers } from './spare-buffers.js';
import { reportCarried, type CarriedDeletions } from './done-mark.js';
import type { KeyKind } from '../node/pieces.js';

/**
 * A worker's young generation (V8's default grows to 32 MB and more): the units it converts
 * die young in much less, and two workers at their default took 70 MB more for the same speed.
 */
const WORKER_YOUNG_MB = 8;

/**
 * A unit is cut once this many bytes are waiting (at the next blank line). 1 MB: as fast as
 * 4 MB on 2 cores, and 60 MB less held in flight (input, pieces, their join and encoding).
 */
const UNIT_BYTES = 1024 * 1024;

/**
 * With this many bytes waiting and still no blank line (one enormous record, a gigabyte on
 * one line), the rest of that input is converted in the main thread as it is read, as
 * `--jobs 1` would: gathering it whole for a worker would take its size in memory.
 */
const GIVE_UP_BYTES = MAX_TEXT_LENGTH;

type Outcome = { result: UnitResult<unknown>; warnings: Array<{ message: string; pmid: string | null }> };

/** Spent unit buffers kept for the next units (a unit in flight per thread and one more). */
const SPARE_INPUTS = 4;

/**
 * Worker threads, started on first use; each unit goes to the least busy one. A pool serves
 * one run, or several with the same settings (KeptWorkers: `--out-dir`, a run per input).
 */
export class WorkerPool {
  /** Spent unit buffers, back from the workers, for the next units to be read into. */
  readonly inputs = new SpareBuffers(SPARE_INPUTS);
  private workers: Array<{ worker: Worker; busy: number }> = [];
  private waiting = new Map<number, { ok: (o: Outcome) => void; fail: (e: Error) => void }>();
  private nextId = 0;
  private nextSpare = 0;
  private closed = false;

  constructor(
    readonly size: number,
    readonly setup: WorkerSetup,
  ) {}

  /** An output buffer written out: back to a worker, to encode a later unit into. */
  recycle(buffer: ArrayBuffer): void {
    if (this.closed || this.workers.length === 0 || buffer.byteLength === 0) return;
    const slot = this.workers[this.nextSpare++ % this.workers.length]!;
    slot.worker.postMessage({ spare: buffer } satisfies ToWorker, [buffer]);
  }

  run(unit: Unit): Promise<Outcome> {
    if (this.workers.length < this.size) this.start();
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    const id = this.nextId++;
    return new Promise((ok, fail) => {
      this.waiting.set(id, {
        ok: (o) => {
          slot.busy--;
          ok(o);
        },
        fail,
      });
      // the bytes move to the worker, they are not copied
      slot.worker.postMessage({ id, unit } satisfies ToWorker, [unit.bytes.buffer as ArrayBuffer]);
    });
  }

  private start(): void {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: this.setup, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    worker.on('message', (m: { id: number; failure?: string; input?: ArrayBuffer } & Partial<Outcome>) => {
      if (m.input !== undefined) this.inputs.give(m.input);
      const waiting = this.waiting.get(m.id)!;
      this.waiting.delete(m.id);
      if (m.failure !== undefined) waiting.fail(new Error(m.failure));
      else waiting.ok(m as Outcome);
    });
    worker.on('error', (error) => {
      for (const w of this.waiting.values()) w.fail(error);
      this.waiting.clear();
    });
    this.workers.push({ worker, busy: 0 });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}

/**
 * Worker threads kept from one run to the next while the settings stay the same: `--out-dir`
 * converts each input in a run of its own, and a pool started for each would load and warm
 * up its workers again for every input (25 files: 2.5× the time of one run over all).
 */
export class KeptWorkers {
  private pool: WorkerPool | null = null;

  poolFor(size: number, setup: WorkerSetup): WorkerPool {
    const same = (p: WorkerPool) => JSON.stringify([p.size, p.setup]) === JSON.stringify([size, setup]);
    if (this.pool === null || !same(this.pool)) {
      void this.pool?.close();
      this.pool = new WorkerPool(size, setup);
    }
    return this.pool;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}

/** One input's state in the main thread: its name, and the lines and records so far. */
interface InputState {
  readonly name: string;
  readonly kind: InputKind;
  /** The input's index for --dedupe's places. */
  readonly file: number;
  lines: number;
  records: number;
  identified: number;
  sawText: boolean;
  refused: boolean;
  /** The input broke off (malformed XML) in a unit already written: its later units are not. */
  stopped: boolean;
  /** An --out-dir output read back: its input's DeleteCitation PMIDs, from its done mark. */
  readonly carried?: CarriedDeletions;
}

/**
 * A unit in input order: its result (or the promise of it), an input that failed, or the
 * rest of an input to stream through the main thread when its turn comes.
 */
interface Entry {
  readonly state: InputState;
  readonly last: boolean;
  readonly done?: Promise<Outcome> | Outcome;
  readonly error?: InputError;
  readonly tail?: () => Promise<void>;
}

/** Converts the inputs; returns true when one of them could not be read. */
export async function convertInParallel(
  options: EngineOptions & { readonly jobs: number },
  io: InputPlace,
  reporter: EngineEvents,
  formatter: Formatter | null,
  writer: FormattedWriter | null,
  selection: Selection,
  kept: KeptWorkers | null = null,
): Promise<boolean> {
  const run = new ParallelRun(options, io, reporter, formatter, writer, selection, kept);
  try {
    for (const file of options.files) await run.cutInput(file);
    await run.finish();
  } finally {
    await run.close();
  }
  return run.anyFileFailed;
}

/**
 * One run of `--jobs`, in named steps: each input is cut into units (`cutInput`), each unit
 * sent to a worker as it is cut (`submit`), and the results written in input order by the
 * main thread (`writeEntry`) with at most two units a thread under way; an input with no
 * place to cut streams through this thread (`streamTail`).
 */
class ParallelRun {
  anyFileFailed = false;
  /** With a selection, workers send pieces and keys, and the choice is made here, in order. */
  private readonly keys: KeyKind;
  private readonly pool: WorkerPool;
  private readonly spareInputs: SpareBuffers;
  /** The pool is this run's own (closed at its end), or kept for the next run. */
  private readonly ownPool: boolean;
  private readonly prepare: ((c: Citation) => unknown) | null;
  private readonly separatorBytes: Buffer;
  /** Units in input order, waiting to be written. */
  private readonly queue: Entry[] = [];
  private current: InputState | null = null;
  /** The first unit waits: if it is the whole run, it is converted here and no thread starts. */
  private held: { state: InputState; unit: Unit; last: boolean } | null = null;
  private started = false;

  constructor(
    private readonly options: EngineOptions & { readonly jobs: number },
    private readonly io: InputPlace,
    private readonly reporter: EngineEvents,
    formatter: Formatter | null,
    private readonly writer: FormattedWriter | null,
    private readonly selection: Selection,
    kept: KeptWorkers | null,
  ) {
    this.keys = selection.keyKind;
    const setup: WorkerSetup = { format: options.format, formatOptions: options.formatOptions, check: options.check, keys: this.keys };
    this.pool = kept !== null ? kept.poolFor(options.jobs, setup) : new WorkerPool(options.jobs, setup);
    this.ownPool = kept === null;
    this.spareInputs = this.pool.inputs;
    this.prepare = formatter && ((c: Citation) => formatter.prepare(c));
    this.separatorBytes = Buffer.from(formatter?.separator ?? '');
  }

  /** Opens an input and cuts it into units as it is read: at blank lines (text) or where a record ends (XML, XmlCutter). */
  async cutInput(file: string): Promise<void> {
    const { options, reporter } = this;
    let input: OpenedInput & { kind: InputKind };
    try {
      input = await withKind(await openInput(file, this.io), options.from, options.encoding);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      this.started = true;
      await this.enqueue({ state: newState(file, 'medline', 0), last: true, error });
      return;
    }
    const state = newState(input.name, input.kind, this.keys ? this.selection.addFile(input.name) : 0, input.carried);
    const chunks = input.chunks[Symbol.asyncIterator]();
    if (input.kind === 'json') {
      // medline's JSON is not cut into units: it streams through this thread
      this.started = true;
      const whole = input;
      await this.enqueue({ state, last: true, tail: () => this.streamTail('json', state, new Uint8Array(0), 0, chunks, 0, whole) });
      return;
    }
    const kind = input.kind;
    const pending = new Pending(this.spareInputs);
    // where the next cut is tried: doubled after a try finds no place, so that one huge
    // record is gathered in linear time, not searched again at every chunk
    let tryCutAt = UNIT_BYTES;
    let offset = 0;
    let read = 0;
    // a later XML unit starts inside the set the cut was in (`root`)
    const cutter = kind === 'xml' ? new XmlCutter(options.encoding) : null;
    let root = 'PubmedArticleSet';
    const unitOf = (bytes: Uint8Array, last: boolean): Unit => {
      const unit: Unit = { bytes, byteOffset: offset, first: offset === 0, encoding: options.encoding, raw: options.raw, kind, last, root };
      offset += bytes.length;
      if (cutter !== null) {
        cutter.taken(bytes.length);
        root = cutter.root;
      }
      return unit;
    };
    try {
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        // copied in at once: the input reuses its buffer for the next chunk
        pending.append(next.value);
        read += next.value.length;
        reporter.progress(input.name, input.read.bytes, input.size);
        if (pending.length < tryCutAt) continue;
        const bytes = pending.view();
        const cut = cutter !== null ? cutter.scan(bytes) : lastBoundary(bytes);
        if (cut <= 0 && pending.length >= GIVE_UP_BYTES) {
          this.started = true;
          const from = offset;
          const tailRoot = root;
          await this.enqueue({ state, last: true, tail: () => this.streamTail(kind, state, bytes, from, chunks, read, input, tailRoot) });
          return;
        }
        if (cut <= 0) {
          tryCutAt = pending.length * 2;
          continue;
        }
        await this.submit(state, unitOf(pending.take(cut), false), false);
        tryCutAt = UNIT_BYTES;
      }
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      await this.enqueue({ state, last: true, error });
      return;
    }
    await this.submit(state, unitOf(pending.take(pending.length), true), true);
  }

  /** Writes what is still queued; a run of one unit is converted here, with no thread started. */
  async finish(): Promise<void> {
    const alone = this.held;
    if (alone !== null) {
      this.queue.push({ state: alone.state, last: alone.last, done: { result: convertUnit(alone.unit, this.prepare, null, this.keys), warnings: [] } });
    }
    while (this.queue.length > 0) await this.writeEntry(this.queue.shift()!);
  }

  async close(): Promise<void> {
    if (this.ownPool) await this.pool.close();
  }

  private dispatch(unit: Unit): Promise<Outcome> {
    const done = this.pool.run(unit);
    done.catch(() => undefined); // awaited in its turn; until then a failure must not go unhandled
    return done;
  }

  private async submit(state: InputState, unit: Unit, last: boolean): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.held = { state, unit, last };
      return;
    }
    await this.enqueue({ state, last, done: this.dispatch(unit) });
  }

  private async enqueue(entry: Entry): Promise<void> {
    if (this.held !== null) {
      const { state, last, unit } = this.held;
      this.queue.push({ state, last, done: this.dispatch(unit) });
      this.held = null;
    }
    this.queue.push(entry);
    // at most two units per thread under way: memory stays flat
    while (this.queue.length > this.options.jobs * 2) await this.writeEntry(this.queue.shift()!);
  }

  /** An input that cannot be used: said once, its later units not written. */
  private refuse(state: InputState, message: string): void {
    state.refused = true;
    this.anyFileFailed = true;
    this.reporter.error(message);
  }

  /** Writes one entry in input order: a unit's result, a failed input, or a streamed tail. */
  private async writeEntry(entry: Entry): Promise<void> {
    const { state } = entry;
    if (this.current !== state) {
      this.reporter.startFile();
      this.current = state;
    }
    if (entry.error !== undefined) this.refuse(state, entry.error.message);
    else if (entry.tail !== undefined) {
      if (!state.refused) {
        try {
          await entry.tail();
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          this.refuse(state, error.message);
        }
      }
    } else if (!state.refused && !state.stopped) {
      await this.writeUnit(state, await entry.done!);
    }
    if (entry.last && !state.refused) {
      // an output read back: its input's deletions (done mark), after its records
      reportCarried(state.carried, state.name, state.file, this.selection, this.reporter);
      const none = noRecordFound(state.kind, state.records, state.sawText, state.identified);
      if (none !== null) this.reporter.report(state.name, none);
      this.reporter.endFile(state.name);
    }
  }

  /** A unit's diagnostics (lines shifted by the units before it), its chosen pieces, and its counts. */
  private async writeUnit(state: InputState, { result, warnings }: Outcome): Promise<void> {
    const { reporter, writer } = this;
    if (result.binary !== undefined) return this.refuse(state, new InputError(state.name, result.binary).message);
    const shifted = result.diagnostics.map((d) => (d.line > 0 ? { ...d, line: d.line + state.lines } : d));
    const { encoded } = result;
    let pieces = result.pieces;
    let written: Uint8Array | null = null;
    if (this.keys) {
      const chosen = decideBatch(this.selection, state.file, state.lines, result.keys ?? [], shifted);
      written = chosen.written;
      if (encoded === undefined) pieces = pieces.filter((_, i) => written![i] === 1);
      for (const d of chosen.diagnostics) reporter.report(state.name, d);
    } else {
      for (const d of shifted) reporter.report(state.name, d);
    }
    for (const w of warnings) reporter.outputWarning(w.message, w.pmid);
    if (writer !== null) {
      if (encoded !== undefined) await this.writeEncoded(writer, encoded, written);
      else await writer.pieces(pieces);
    }
    state.lines += result.lines;
    state.records += result.records;
    state.identified += result.identified;
    state.sawText ||= result.sawText;
    state.stopped ||= result.stopped === true;
    reporter.converted(result.records);
  }

  /**
   * A worker's encoded pieces: all of them, or (with a selection) the chosen ones, moved
   * together in the same buffer (each run of chosen pieces with the separators inside it)
   * and written at once. The buffer goes back to a worker once written.
   */
  private async writeEncoded(writer: FormattedWriter, encoded: NonNullable<UnitResult<unknown>['encoded']>, written: Uint8Array | null): Promise<void> {
    const release = () => this.pool.recycle(encoded.bytes.buffer as ArrayBuffer);
    const { bytes, count, ends } = encoded;
    if (written === null) return writer.encoded(bytes, count, release);
    // a worker asked for keys notes where each piece ends: without them no record could be left out
    if (ends === undefined) throw new Error('writeEncoded: a selection without the pieces\' ends');
    const separator = this.separatorBytes.length;
    let at = 0;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      if (written[i] !== 1) continue;
      let j = i;
      while (j + 1 < count && written[j + 1] === 1) j++;
      const start = i === 0 ? 0 : ends[i - 1]! + separator;
      // behind the run's start: a left-out piece and its separator lie between
      if (kept > 0) {
        bytes.set(this.separatorBytes, at);
        at += this.separatorBytes.length;
      }
      bytes.copyWithin(at, start, ends[j]!);
      at += ends[j]! - start;
      kept += j - i + 1;
      i = j;
    }
    if (kept === 0) return release();
    return writer.encoded(bytes.subarray(0, at), kept, release);
  }

  /** The rest of an input, from `byteOffset` on, converted here as it is read. */
  private async streamTail(
    kind: InputKind,
    state: InputState,
    first: Uint8Array,
    byteOffset: number,
    chunks: AsyncIterator<Buffer>,
    read: number,
    input: OpenedInput,
    root = 'PubmedArticleSet',
  ): Promise<void> {
    const { reporter, writer, options, keys } = this;
    const lines = state.lines;
    let batch: Diagnostic[] = [];
    const maker = sourceFor(
      kind,
      this.prepare,
      (d) => {
        const shifted = d.line > 0 ? { ...d, line: d.line + lines } : d;
        if (keys) batch.push(shifted);
        else reporter.report(state.name, shifted);
      },
      { encoding: options.encoding, raw: options.raw, keys, unit: { first: byteOffset === 0, byteOffset, root } },
    );
    const flush = async () => {
      let pieces = maker.take();
      if (keys) {
        const chosen = selectBatch(this.selection, state.file, lines, pieces, maker.takeKeys(), batch);
        batch = [];
        pieces = chosen.pieces;
        for (const d of chosen.diagnostics) reporter.report(state.name, d);
      }
      if (writer !== null) await writer.pieces(pieces);
    };
    try {
      maker.write(first);
      await flush();
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        read += next.value.length;
        reporter.progress(input.name, input.read.bytes, input.size);
        maker.write(next.value);
        await flush();
      }
      maker.end();
      await flush();
    } catch (error) {
      if (error instanceof BinaryInputError) throw new InputError(state.name, error.message);
      throw error;
    }
    state.lines += maker.lines;
    state.records += maker.records;
    state.identified += maker.identified;
    state.sawText ||= maker.sawAnyText;
    reporter.converted(maker.records);
  }
}

function newState(name: string, kind: InputKind, file: number, carried?: CarriedDeletions): InputState {
  return { name, kind, file, lines: 0, records: 0, identified: 0, sawText: false, refused: false, stopped: false, ...(carried !== undefined ? { carried } : {}) };
}

/**
 * The bytes of an input waiting to be cut into units: one buffer, grown by doubling, the
 * chunks copied in as they come. A unit leaves in this very buffer (moved to its worker, not
 * copied); only the rest after the cut, a record's start, is copied into the next one.
 */
class Pending {
  private buffer: Buffer;
  length = 0;

  /** Buffers come from `spares` when there are some: the units' own, back from their workers. */
  constructor(private readonly spares: SpareBuffers) {
    this.buffer = spares.take(2 * UNIT_BYTES);
  }

  append(chunk: Uint8Array): void {
    if (this.length + chunk.length > this.buffer.length) {
      const grown = this.spares.take(Math.max(2 * this.buffer.length, this.length + chunk.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.spares.give(this.buffer.buffer as ArrayBuffer);
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
  }

  view(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** `[0, cut)` in a buffer that holds nothing else, to be moved; the rest stays pending. */
  take(cut: number): Uint8Array {
    const rest = this.length - cut;
    const next = this.spares.take(Math.max(2 * UNIT_BYTES, 2 * rest));
    next.set(this.buffer.subarray(cut, this.length));
    const unit = new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, cut);
    this.buffer = next;
    this.length = rest;
    return unit;
  }
}
