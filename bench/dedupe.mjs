// --dedupe's index at scale: N distinct PMIDs (default 10 million) through a Selection, as
// the command feeds it. Prints the memory the index took (RSS growth) per record.
import { Selection } from '../dist/selection.js';

const n = Number(process.argv[2] ?? 10_000_000);
// `doi`: each record also has a DOI, a title, a year, a volume and a first page, as most do (the title index beside the PMID index)
const withDoi = process.argv[3] === 'doi';
const selection = new Selection(true, null, null);
const file = selection.addFile('bench');
const before = process.memoryUsage().rss;
const started = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  // spread like real PMIDs (1 … 4e7), each once
  const pmid = String(1 + ((i * 7919) % 40_000_000));
  const key = withDoi ? { pmid, doi: `10.1000/j.${i}`, title: `A title of record ${i}`, year: 1950 + (i % 75), volume: String(i % 300), firstPage: String(i % 2000), line: i } : { pmid, doi: null, line: i };
  selection.decide(key, file, i);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const grown = process.memoryUsage().rss - before;
process.stdout.write(`${n} ${seconds.toFixed(2)} ${grown} ${(grown / n).toFixed(1)} ${selection.duplicates}\n`);
