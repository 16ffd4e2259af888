/**
 * `--out-dir DIR`: one output per input, named after it, each written atomically and then
 * marked done (`.NAME.done`: the input's size and time, the settings, and what --latest
 * decided). A run started again skips every input whose output is marked done for the same
 * input and settings, taking what --latest decided from the mark: a run killed at any point
 * and started again ends with the same bytes as one never interrupted.
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { markPathOf, readMark, type DoneMark } from '../engine/done-mark.js';
import { join, resolve } from 'node:path';
import type { Formatter } from '../formats/formatter.js';
import { outputName } from '../formats/index.js';
import { convertInputs } from '../engine/run.js';
import { KeptWorkers } from '../engine/parallel.js';
import { commitAll, openOutput, refuseClashes, resolveOutputTarget } from '../engine/output.js';
import { FormattedWriter } from '../engine/writer.js';
import type { Selection } from '../selection.js';
import type { CliIO } from './io.js';
import { engineOptions, type RunOptions } from './options.js';
import type { Reporter } from './reporter.js';

/** Converts each input into its own output in `dir`; true when one of them could not be used. */
export async function convertEach(options: RunOptions, io: CliIO, reporter: Reporter, selection: Selection, makeFormatter: () => Formatter): Promise<boolean> {
  const dir = resolve(io.cwd, options.outDir!);
  mkdirSync(dir, { recursive: true });
  const reads = [...options.files.map((name) => ({ role: 'input', name })), ...[options.pmids, options.excludePmids].filter((l) => l !== null).map((name) => ({ role: 'PMID list', name: name! }))];
  const settings = JSON.stringify({ ...engineOptions(options), files: undefined, jobs: undefined, latest: options.latest });
  let failed = false;
  // one set of worker threads for all the inputs (with --jobs 2 and more), not one per input
  const kept = new KeptWorkers();
  try {
    for (const input of options.files) {
      const name = outputName(input, options.format);
      const markPath = markPathOf(join(dir, name));
      let stats;
      try {
        stats = statSync(resolve(io.cwd, input));
      } catch {
        stats = null; // reported as the engine reports a missing input
      }
      const mark = stats === null ? null : readMark(markPath);
      if (stats !== null && mark !== null && mark.input === resolve(io.cwd, input) && mark.size === stats.size && mark.mtimeMs === stats.mtimeMs && mark.settings === settings && exists(join(dir, name))) {
        // done before: what it decided is taken from its mark, as if it had been read again
        selection.latest?.load(mark.written, mark.deleted, mark.superseded, mark.deletedRecords);
        reporter.skipped(input, mark.records, mark.deleteCitationCount, mark.deleteCitations);
        continue;
      }
      removeStaleTemporaries(dir, [name, `.${name}.done`]);
      const target = resolveOutputTarget(join(dir, name), io.cwd);
      // an output never lands on an input (`--out-dir .` beside a same-named input)
      refuseClashes([{ flag: '--out-dir', target }], reads, io);
      const output = await openOutput(target, io);
      const formatter = makeFormatter();
      const writer = new FormattedWriter(formatter, output);
      const before = { records: reporter.records, deleteCitationCount: reporter.deleted, deleteCitations: reporter.deletedPmids?.length ?? 0, superseded: selection.latest?.superseded ?? 0, deleted: selection.latest?.deleted ?? 0 };
      selection.latest?.startJournal();
      await writer.begin();
      if (await convertInputs({ ...engineOptions(options), files: [input] }, io, reporter, formatter, writer, selection, kept)) {
        await output.abort();
        failed = true;
        continue;
      }
      await writer.end();
      const journal = selection.latest?.takeJournal() ?? { written: [], deleted: [] };
      const done: DoneMark = {
        input: resolve(io.cwd, input),
        size: stats?.size ?? 0,
        mtimeMs: stats?.mtimeMs ?? 0,
        settings,
        records: reporter.records - before.records,
        superseded: (selection.latest?.superseded ?? 0) - before.superseded,
        deletedRecords: (selection.latest?.deleted ?? 0) - before.deleted,
        written: journal.written,
        deleted: journal.deleted,
        deleteCitationCount: reporter.deleted - before.deleteCitationCount,
        deleteCitations: reporter.deletedPmids?.slice(before.deleteCitations) ?? [],
      };
      // the output first, then its mark: a mark never names an output that is not whole
      await commitAll([output]);
      const markOutput = await openOutput(resolveOutputTarget(markPath, io.cwd), io);
      await markOutput.write(`${JSON.stringify({ ...done, outputSize: statSync(join(dir, name)).size })}\n`);
      await commitAll([markOutput]);
    }
  } finally {
    await kept.close();
  }
  return failed;
}

function exists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Temporary files a killed run left for these names (`.NAME.<12 hex>.tmp`). */
function removeStaleTemporaries(dir: string, names: readonly string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (names.some((n) => entry.startsWith(`.${n}.`) && /\.[0-9a-f]{12}\.tmp$/.test(entry))) rmSync(join(dir, entry), { force: true });
  }
}
