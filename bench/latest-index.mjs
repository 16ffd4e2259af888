// --latest's index at scale: N PMIDs (default 40 million, all of PubMed) decided and, every
// tenth, deleted, as the command feeds it. Prints N, seconds and the RSS growth in bytes.
import { LatestVersions } from '../dist/dedupe/latest.js';

const n = Number(process.argv[2] ?? 40_000_000);
const latest = new LatestVersions();
const before = process.memoryUsage().rss;
const started = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  // PMIDs as PubMed spreads them (1 … 4.2e7), each once, as text as records give them
  const pmid = String(1 + ((i * 7919) % 42_000_000));
  if (i % 10 === 9) latest.delete(pmid);
  else latest.write(pmid);
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(`${n} ${seconds.toFixed(2)} ${process.memoryUsage().rss - before}\n`);
