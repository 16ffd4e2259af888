// Builds the benchmark input deterministically from the real records in fixtures/: they
// are written again and again, in MEDLINE layout, with fresh PMIDs, until the target size.
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { medlineRecord } from '../dist/formats/medline.js';
import { parse } from '../dist/parser.js';

export function makeInput(fixtures, path, targetBytes) {
  const records = [];
  for (const name of readdirSync(fixtures).sort()) {
    if (name.endsWith('.md') || name.includes('flattened')) continue;
    for (const c of parse(readFileSync(join(fixtures, name), 'utf8'), { raw: true }).citations) {
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
