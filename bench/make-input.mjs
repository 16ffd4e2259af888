// Builds the benchmark input deterministically from real records: those of the shared
// corpus (every file under the folder, walked in name order) or of fixtures/. They are
// written again and again, in MEDLINE layout, with fresh PMIDs, until the target size.
import { closeSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { medlineRecord } from '../dist/formats/medline.js';
import { parse } from '../dist/parser.js';

function filesUnder(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return filesUnder(path);
      return name.endsWith('.md') || name.includes('flattened') ? [] : [path];
    });
}

export function makeInput(source, path, targetBytes) {
  const records = [];
  for (const file of filesUnder(source)) {
    for (const c of parse(readFileSync(file, 'utf8'), { raw: true }).citations) {
      if (c.raw.some((f) => f.tag === 'PMID')) records.push(c.raw);
    }
  }
  const fd = openSync(path, 'w');
  let bytes = 0;
  let count = 0;
  let pmid = 90_000_000;
  const batch = [];
  while (bytes < targetBytes) {
    for (const raw of records) {
      const fields = raw.map((f) => (f.tag === 'PMID' ? { tag: 'PMID', value: String(pmid++) } : f));
      const text = '\n' + medlineRecord({ raw: fields });
      batch.push(text);
      bytes += Buffer.byteLength(text);
      count++;
      if (bytes >= targetBytes) break;
    }
    writeSync(fd, batch.join(''));
    batch.length = 0;
  }
  closeSync(fd);
  return { bytes, records: count };
}
