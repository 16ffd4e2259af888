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
import { selectBatch, type Selection } from '../selection.js';
import type { Diagnostic } from '../types.js';
import { MAX_TEXT_LENGTH } from '../core/tokenizer.js';
import { BinaryInputError } from '../node/decoder.js';
import type { ToWorker, WorkerSetup } from './worker.js';
import type { FormattedWriter } from './writer.js';
import type { Formatter } from '../formats/formatter.js';
import { SpareBuffers } from './spare-buffers.js';

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

/** Worker threads, started on first use; each unit goes to the least busy one. */
class Pool {
  private workers: Array<{ worker: Worker; busy: number }> = [];
  private waiting = new Map<number, { ok: (o: Outcome) => void; fail: (e: Error) => void }>();
  private nextId = 0;
  private nextSpare = 0;
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly setup: WorkerSetup,
    /** Where the units' bytes go when their worker is done with them. */
    private readonly inputs: SpareBuffers,
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

/** One input's state in the main thread: its name, and the lines and records so far. */
interface InputState {
  readonly name: string;
  readonly kind: InputKind;
  /** The input's index for --dedupe's places. */
  readonly file: number;
  lines: number;
  records: number;
  sawText: boolean;
  refused: boolean;
  /** The input broke off (malformed XML) in a unit already written: its later units are not. */
  stopped: boolean;
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
): Promise<boolean> {
  // with a selection, workers send pieces and keys, and the choice is made here, in order
  const keys = selection.active;
  const spareInputs = new SpareBuffers(SPARE_INPUTS);
  const pool = new Pool(options.jobs, { format: options.format, formatOptions: options.formatOptions, check: options.check, keys }, spareInputs);
  const raw = options.raw;
  const prepare = formatter && ((c: Citation) => formatter.prepare(c));
  const queue: Entry[] = [];
  let current: InputState | null = null;
  let anyFileFailed = false;
  // the first unit waits: if it is the whole run, it is converted here and no thread starts
  let held: { state: InputState; unit: Unit; last: boolean } | null = null;
  let started = false;

  const dispatch = (unit: Unit): Promise<Outcome> => {
    const done = pool.run(unit);
    done.catch(() => undefined); // awaited in its turn; until then a failure must not go unhandled
    return done;
  };

  const write = async (entry: Entry) => {
    const { state } = entry;
    if (current !== state) {
      reporter.startFile();
      current = state;
    }
    if (entry.error !== undefined) {
      state.refused = true;
      anyFileFailed = true;
      reporter.error(entry.error.message);
    } else if (entry.tail !== undefined) {
      if (!state.refused) {
        try {
          await entry.tail();
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          state.refused = true;
          anyFileFailed = true;
          reporter.error(error.message);
        }
      }
    } else if (!state.refused && !state.stopped) {
      const { result, warnings } = await entry.done!;
      if (result.binary !== undefined) {
        state.refused = true;
        anyFileFailed = true;
        reporter.error(new InputError(state.name, result.binary).message);
      } else {
        const shifted = result.diagnostics.map((d) => (d.line > 0 ? { ...d, line: d.line + state.lines } : d));
        let pieces = result.pieces;
        if (keys) {
          const chosen = selectBatch(selection, state.file, state.lines, pieces, result.keys ?? [], shifted);
          pieces = chosen.pieces;
          for (const d of chosen.diagnostics) reporter.report(state.name, d);
        } else {
          for (const d of shifted) reporter.report(state.name, d);
        }
        for (const w of warnings) reporter.outputWarning(w.message, w.pmid);
        if (writer !== null) {
          const encoded = result.encoded;
          if (encoded !== undefined) await writer.encoded(encoded.bytes, encoded.count, () => pool.recycle(encoded.bytes.buffer as ArrayBuffer));
          else await writer.pieces(pieces);
        }
        state.lines += result.lines;
        state.records += result.records;
        state.sawText ||= result.sawText;
        state.stopped ||= result.stopped === true;
        reporter.converted(result.records);
      }
    }
    if (entry.last && !state.refused) {
      const none = noRecordFound(state.kind, state.records, state.sawText);
      if (none !== null) reporter.report(state.name, none);
      reporter.endFile(state.name);
    }
  };

  /** The rest of an input, from `byteOffset` on, converted here as it is read. */
  const streamTail = async (
    kind: InputKind,
    state: InputState,
    first: Uint8Array,
    byteOffset: number,
    chunks: AsyncIterator<Buffer>,
    read: number,
    input: OpenedInput,
    root = 'PubmedArticleSet',
  ): Promise<void> => {
    const lines = state.lines;
    let batch: Diagnostic[] = [];
    const maker = sourceFor(
      kind,
      prepare,
      (d) => {
        const shifted = d.line > 0 ? { ...d, line: d.line + lines } : d;
        if (keys) batch.push(shifted);
        else reporter.report(state.name, shifted);
      },
      { encoding: options.encoding, raw, keys, unit: { first: byteOffset === 0, byteOffset, root } },
    );
    const flush = async () => {
      let pieces = maker.take();
      if (keys) {
        const chosen = selectBatch(selection, state.file, lines, pieces, maker.takeKeys(), batch);
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
        reporter.progress(input.name, read, input.size);
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
    state.sawText ||= maker.sawAnyText;
    reporter.converted(maker.records);
  };

  const enqueue = async (entry: Entry) => {
    if (held !== null) {
      queue.push({ state: held.state, last: held.last, done: dispatch(held.unit) });
      held = null;
    }
    queue.push(entry);
    // at most two units per thread under way: memory stays flat
    while (queue.length > options.jobs * 2) await write(queue.shift()!);
  };

  const submit = async (state: InputState, unit: Unit, last: boolean) => {
    if (!started) {
      started = true;
      held = { state, unit, last };
      return;
    }
    await enqueue({ state, last, done: dispatch(unit) });
  };

  try {
    for (const file of options.files) {
      let input: OpenedInput & { kind: InputKind };
      try {
        input = await withKind(await openInput(file, io), options.from, options.encoding);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        started = true;
        await enqueue({ state: newState(file, 'medline', 0), last: true, error });
        continue;
      }
      const state = newState(input.name, input.kind, keys ? selection.addFile(input.name) : 0);
      const pending = new Pending(spareInputs);
      // where the next cut is tried: doubled after a try finds no blank line, so that one
      // huge record is gathered in linear time, not searched again at every chunk
      let tryCutAt = UNIT_BYTES;
      let offset = 0;
      let read = 0;
      const kind = input.kind;
      // XML is cut where its records end, by a scan that knows CDATA, comments and the like;
      // a later unit starts inside the set the cut was in (`root`)
      const cutter = kind === 'xml' ? new XmlCutter(options.encoding) : null;
      let root = 'PubmedArticleSet';
      const unitOf = (bytes: Uint8Array, last: boolean): Unit => {
        const unit: Unit = { bytes, byteOffset: offset, first: offset === 0, encoding: options.encoding, raw, kind: kind === 'xml' ? 'xml' : 'medline', last, root };
        offset += bytes.length;
        if (cutter !== null) {
          cutter.taken(bytes.length);
          root = cutter.root;
        }
        return unit;
      };
      const chunks = input.chunks[Symbol.asyncIterator]();
      if (kind === 'json') {
        // medline's JSON is not cut into units: it streams through this thread
        started = true;
        const whole = input;
        await enqueue({ state, last: true, tail: () => streamTail('json', state, new Uint8Array(0), 0, chunks, 0, whole) });
        continue;
      }
      let streamed = false;
      try {
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
          // copied in at once: the input reuses its buffer for the next chunk
          pending.append(next.value);
          read += next.value.length;
          reporter.progress(input.name, read, input.size);
          if (pending.length < tryCutAt) continue;
          const bytes = pending.view();
          const cut = cutter !== null ? cutter.scan(bytes) : lastBoundary(bytes);
          if (cut <= 0 && pending.length >= GIVE_UP_BYTES) {
            started = true;
            const from = offset;
            const tailRoot = root;
            const tail = () => streamTail(kind, state, bytes, from, chunks, read, input, tailRoot);
            await enqueue({ state, last: true, tail });
            streamed = true;
            break;
          }
          if (cut <= 0) {
            tryCutAt = pending.length * 2;
            continue;
          }
          await submit(state, unitOf(pending.take(cut), false), false);
          tryCutAt = UNIT_BYTES;
        }
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        await enqueue({ state, last: true, error });
        continue;
      }
      if (streamed) continue;
      await submit(state, unitOf(pending.take(pending.length), true), true);
    }
    const alone = held as { state: InputState; unit: Unit; last: boolean } | null;
    if (alone !== null) queue.push({ state: alone.state, last: alone.last, done: { result: convertUnit(alone.unit, prepare, null, keys), warnings: [] } });
    while (queue.length > 0) await write(queue.shift()!);
  } finally {
    await pool.close();
  }
  return anyFileFailed;
}

function newState(name: string, kind: InputKind, file: number): InputState {
  return { name, kind, file, lines: 0, records: 0, sawText: false, refused: false, stopped: false };
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
