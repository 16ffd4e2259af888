// A synthetic PubMed baseline and its update files, from the real records of
// ../shared/corpus-xml (or fixtures/xml): every PubmedArticle written again with a fresh PMID
// and a title that names its version, `baseline` files of `perFile` records, then `updates`
// update files, each revising some PMIDs of the baseline, adding new ones, and deleting
// others in a DeleteCitation block at its end; one PMID is deleted and then added again in a
// later update. Files are named as NLM names them (pubmed26n0001.xml.gz …), so a glob sorts
// them into NLM's order. bench/latest_reference.py computes the current version of each PMID
// from the same files, independently of medline.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n<PubmedArticleSet>\n';
const FIRST = 90_000_000;

export function recordsOf(source) {
  const records = [];
  for (const name of readdirSync(source).sort()) {
    if (!/\.xml(\.gz)?$/.test(name)) continue;
    const bytes = readFileSync(join(source, name));
    const text = (name.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
    for (const m of text.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)) if (/<ArticleTitle>/.test(m[0])) records.push(m[0]);
  }
  return records;
}

/** A record of the pool with its PMID and a title that says which version it is. */
function version(records, pmid, label) {
  const record = records[pmid % records.length];
  return record.replace(/(<PMID[^>]*>)\d+/, (_, open) => `${open}${pmid}`).replace(/<ArticleTitle>[\s\S]*?<\/ArticleTitle>/, `<ArticleTitle>Record ${pmid}, ${label}.</ArticleTitle>`);
}

/**
 * Writes the files into `dir`; returns their names in NLM's order. What each update does is
 * a function of its number, so the files are the same bytes each time.
 */
export function makeSnapshotInput(source, dir, { baseline = 4, updates = 3, perFile = 200 } = {}) {
  const records = recordsOf(source);
  if (records.length === 0) throw new Error(`no PubmedArticle with a title in ${source}`);
  mkdirSync(dir, { recursive: true });
  const names = [];
  const write = (body, deletions) => {
    const name = `pubmed26n${String(names.length + 1).padStart(4, '0')}.xml.gz`;
    const deleted = deletions.length === 0 ? '' : `<DeleteCitation>\n${deletions.map((p) => `<PMID Version="1">${p}</PMID>`).join('\n')}\n</DeleteCitation>\n`;
    writeFileSync(join(dir, name), gzipSync(`${HEAD}${body.join('\n')}\n${deleted}</PubmedArticleSet>\n`));
    names.push(name);
  };
  const total = baseline * perFile;
  for (let f = 0; f < baseline; f++) {
    const body = [];
    for (let i = 0; i < perFile; i++) body.push(version(records, FIRST + f * perFile + i, 'baseline'));
    write(body, []);
  }
  let fresh = FIRST + total;
  const reAdded = FIRST + 5;
  for (let u = 1; u <= updates; u++) {
    const body = [];
    // revisions: every 7th PMID from an offset that moves with the update (some revised twice)
    for (let p = FIRST + u; p < FIRST + total; p += 7) if (p !== reAdded) body.push(version(records, p, `revision ${u}`));
    // new records
    for (let i = 0; i < perFile / 4; i++) body.push(version(records, fresh++, `new in update ${u}`));
    // the deleted PMID comes back two updates later
    if (u === 3) body.push(version(records, reAdded, `added again in update ${u}`));
    // deletions: every 11th PMID from another offset, never one this update revises
    const deletions = [];
    for (let p = FIRST + 3 * u; p < FIRST + total; p += 11) if ((p - FIRST - u) % 7 !== 0 && p !== reAdded) deletions.push(p);
    if (u === 1) deletions.push(reAdded);
    write(body, deletions);
  }
  return names;
}

// node bench/make-snapshot-input.mjs DIR [baseline updates perFile]
if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, b, u, n] = process.argv.slice(2);
  const here = new URL('..', import.meta.url).pathname;
  const shared = join(here, '..', 'shared', 'corpus-xml');
  let source = shared;
  try {
    readdirSync(shared);
  } catch {
    source = join(here, 'fixtures', 'xml');
  }
  const names = makeSnapshotInput(source, dir, { baseline: Number(b ?? 20), updates: Number(u ?? 5), perFile: Number(n ?? 3000) });
  process.stdout.write(`${names.length} files in ${dir}\n`);
}
