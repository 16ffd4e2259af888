// Builds the PubMed XML benchmark input from the real records of ../shared/corpus-xml (or
// fixtures/xml where it is absent): each PubmedArticle written again and again with a fresh
// PMID until the target size. Only records that Biopython's Entrez parser can read are taken
// (DTD 2018 and later, no MathML: it fails on both), so that both tools read the same file.
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export function makeXmlInput(source, path, targetBytes) {
  const records = [];
  for (const name of readdirSync(source).sort()) {
    if (!/\.xml(\.gz)?$/.test(name)) continue;
    const bytes = readFileSync(join(source, name));
    const text = (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    if (!/pubmed_(18|19)\d{4}\.dtd/.test(text.slice(0, 2000))) continue;
    for (const m of text.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)) if (!m[0].includes('mml:')) records.push(m[0]);
  }
  if (records.length === 0) throw new Error(`no PubmedArticle of DTD 2018–2019 without MathML in ${source}`);
  const fd = openSync(path, 'w');
  let bytes = writeSync(
    fd,
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n<PubmedArticleSet>\n',
  );
  let count = 0;
  while (bytes < targetBytes) {
    const record = records[count % records.length].replace(/(<PMID[^>]*>)\d+/, (_, open) => `${open}${90_000_000 + count}`);
    bytes += writeSync(fd, record + '\n');
    count++;
  }
  writeSync(fd, '</PubmedArticleSet>\n');
  closeSync(fd);
  return count;
}
