/**
 * --dedupe on records without PMIDs (issue 20's floors): on a labelled set made from real
 * records (dedupe-labelled.ts), at least 95% of the copies found and at most 1% of the
 * distinct works merged with another. Scored from the audit file alone, as a reviewer reads it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cli-helpers.js';
import { CORPUS, ROOT } from '../helpers.js';
import { labelledSet } from './dedupe-labelled.js';

const BIN = join(ROOT, 'bin', 'medline.js');

/** Runs --dedupe over the set's files in `order`; the counts a benchmark reports. */
function score(order: number[]) {
  const set = labelledSet();
  const dir = tempDir();
  for (const f of set.files) writeFileSync(join(dir, f.name), f.text);
  const names = order.map((i) => set.files[i]!.name);
  const run = spawnSync(process.execPath, [BIN, ...names, '--dedupe', '--duplicates', 'audit.tsv', '-o', 'out.ndjson', '-q'], { cwd: dir, encoding: 'utf8' });
  expect(run.stderr).toBe('');
  const labelOf = (file: string, line: number) => set.files.find((f) => f.name === file)!.labels.get(line);
  const rows = readFileSync(join(dir, 'audit.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  let found = 0;
  let possible = 0;
  const wrongly = new Set<string>();
  for (const r of rows) {
    const [file, line, , , , keptFile, keptLine, , , decision] = r;
    const own = labelOf(file!, Number(line));
    const kept = labelOf(keptFile!, Number(keptLine));
    expect(own, `${file}:${line} is a record's first line`).toBeDefined();
    expect(kept, `${keptFile}:${keptLine} is a record's first line`).toBeDefined();
    if (decision === 'check') possible++;
    else if (own === kept) found++;
    else wrongly.add(own!);
  }
  const written = readFileSync(join(dir, 'out.ndjson'), 'utf8').trim().split('\n').length;
  return { ...set, found, possible, merged: wrongly.size, written, removed: rows.length - possible };
}

describe('--dedupe finds copies without PMIDs and merges no distinct works (labelled set from real records)', () => {
  const where = labelledSet(1).fromCorpus ? 'the corpus' : `the fixtures (NOT the corpus: ${CORPUS} not found)`;
  it(`on ${where}: ≥ 95% of copies found, ≤ 1% of works merged, in either order of the exports`, () => {
    for (const order of [[0, 1, 2], [2, 1, 0]]) {
      const s = score(order);
      console.info(
        `medline dedupe benchmark (${where}, order ${order.join(',')}): ${s.works} works, ${s.copies} copies; found ${s.found} (${((100 * s.found) / s.copies).toFixed(1)}%), ` +
          `${s.merged} works wrongly merged (${((100 * s.merged) / s.works).toFixed(2)}%), ${s.possible} possible duplicates to check`,
      );
      expect(s.copies).toBeGreaterThan(s.fromCorpus ? 2000 : 20);
      expect(s.found / s.copies).toBeGreaterThanOrEqual(0.95);
      expect(s.merged / s.works).toBeLessThanOrEqual(0.01);
      expect(s.written).toBe(s.works + s.copies - s.removed);
    }
  });
});
