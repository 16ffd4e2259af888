/**
 * A labelled set for --dedupe without PMIDs, built from real records: every work of the
 * corpus (fixtures where the corpus is absent) exported as other databases export it — no
 * PMID or PMC id, the DOI in other spellings or missing, the title in other case and
 * punctuation, no abstract or MeSH, pages written out, ahead-of-print copies without
 * volume or pages — beside works that must stay apart: real errata and comments given
 * their article's DOI, "Correction to:" notices, conference abstracts sharing their
 * supplement's DOI. Each record's label is the PMID of the work it is a copy of.
 */
import { readFileSync } from 'node:fs';
import type { Citation } from '../../src/types.js';
import { corpusFiles, fixture, fixtureNames, parseByteChunks } from '../helpers.js';

type Field = { tag: string; value: string };

export interface LabelledFile {
  name: string;
  text: string;
  /** The label of the record starting at each line (1-based). */
  labels: Map<number, string>;
}

export interface LabelledSet {
  files: LabelledFile[];
  /** Distinct works (labels) and records that copy an earlier record of their work. */
  works: number;
  copies: number;
  fromCorpus: boolean;
}

const DOI_SPELLINGS: Array<(doi: string) => string | null> = [
  (d) => d,
  (d) => `https://doi.org/${d}`,
  (d) => `http://dx.doi.org/${d}`,
  (d) => `DOI ${d}`,
  (d) => d.toUpperCase(),
  (d) => d.replace('/', '%2F'),
  (d) => `${d}.`,
  () => null,
];

const TITLE_SPELLINGS: Array<(t: string) => string> = [
  (t) => t,
  (t) => t.toUpperCase(),
  (t) => t.replace(/^\[(.*)\]\.?$/, '$1').replace(/\.$/, ''),
  (t) => t.replace(/-/g, ' ').replace(/\s+/g, '  '),
  (t) => t.toLowerCase(),
];

/** A record's fields as MEDLINE text. */
function recordText(fields: readonly Field[]): string {
  return fields.map((f) => `${f.tag.padEnd(4)}- ${f.value}`).join('\n');
}

/** The fields with the PMID and PMC id taken off, as Embase and CINAHL exports converted to MEDLINE have them. */
const withoutIds = (fields: readonly Field[]): Field[] => fields.filter((f) => !['PMID', 'PMC', 'PMCR', 'MID'].includes(f.tag));

function withDoi(fields: readonly Field[], doi: string | null): Field[] {
  const out: Field[] = [];
  for (const f of fields) {
    if ((f.tag === 'LID' || f.tag === 'AID') && / \[doi\]$/.test(f.value)) {
      if (doi !== null && !out.some((o) => / \[doi\]$/.test(o.value))) out.push({ tag: f.tag, value: `${doi} [doi]` });
    } else out.push(f);
  }
  return out;
}

/** A copy of a work as another database exports it; `k` picks the spellings. */
function otherCopy(c: Citation, k: number): Field[] {
  let fields = withoutIds(c.raw!);
  const doi = c.ids.doi;
  // every third copy without its DOI: the title, year and first page alone must find it
  if (doi !== null) fields = withDoi(fields, k % 3 === 0 ? null : DOI_SPELLINGS[k % DOI_SPELLINGS.length]!(doi));
  const title = TITLE_SPELLINGS[k % TITLE_SPELLINGS.length]!;
  fields = fields.map((f) => (f.tag === 'TI' ? { tag: 'TI', value: title(f.value) } : f));
  fields = fields.filter((f) => !(k % 2 === 0 ? f.tag === 'AB' : f.tag === 'MH'));
  // pages written out (1234-40 → 1234-1240), the date as a year alone
  fields = fields.map((f) => (f.tag === 'PG' && c.pages?.last ? { tag: 'PG', value: `${c.pages.first}-${c.pages.last}` } : f.tag === 'DP' && c.published?.year ? { tag: 'DP', value: String(c.published.year) } : f));
  return fields;
}

/** An ahead-of-print copy: no volume, issue or pages, and its DOI (its one way to be found). */
function aheadOfPrint(c: Citation): Field[] {
  return withoutIds(c.raw!).filter((f) => !['VI', 'IP', 'PG', 'MH', 'AB'].includes(f.tag));
}

const NOTICE_TYPES = /^(published erratum|erratum|comment|retraction of publication|retraction notice|expression of concern)$/i;

/** The labelled set; `limit` caps the works taken (the whole corpus when absent). */
export function labelledSet(limit = Infinity): LabelledSet {
  const corpus = corpusFiles();
  const paths = corpus ?? fixtureNames().filter((n) => !n.endsWith('.xml') && !n.endsWith('.json') && !n.endsWith('.gz')).map(fixture);
  const works: Citation[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    for (const c of parseByteChunks([readFileSync(path)], true).citations) {
      if (c.pmid === null || seen.has(c.pmid) || !/^\d+$/.test(c.pmid) || c.raw === undefined) continue;
      seen.add(c.pmid);
      works.push(c);
    }
  }
  const chosen = works.slice(0, limit);
  const articles = chosen.filter((c) => !c.publicationTypes.some((t) => NOTICE_TYPES.test(t)) && c.ids.doi !== null && c.title !== null);
  const notices = chosen.filter((c) => c.publicationTypes.some((t) => NOTICE_TYPES.test(t)));
  // two exports: each holds the first copy of half the works and the other copy of the rest
  const files: Array<{ name: string; records: Array<{ fields: Field[]; label: string }> }> = [
    { name: 'embase.txt', records: [] },
    { name: 'cinahl.txt', records: [] },
    { name: 'scopus.txt', records: [] },
  ];
  let copies = 0;
  const noticeLabels = new Set(notices.map((n) => n.pmid));
  chosen.forEach((c, k) => {
    const label = c.pmid!;
    const [first, second] = k % 2 === 0 ? [files[0]!, files[1]!] : [files[1]!, files[0]!];
    first.records.push({ fields: withoutIds(c.raw!), label });
    // a notice keeps its own record only: it is given an article's DOI below
    if (noticeLabels.has(label)) return;
    if (k % 5 < 3) {
      second.records.push({ fields: otherCopy(c, k), label });
      copies++;
    }
    if (k % 10 === 0) {
      files[2]!.records.push({ fields: otherCopy(c, k + 1), label });
      copies++;
    }
    if (k % 13 === 0 && c.ids.doi !== null) {
      files[2]!.records.push({ fields: aheadOfPrint(c), label });
      copies++;
    }
  });
  // works that must stay apart from the articles whose DOI they carry
  notices.forEach((n, i) => {
    const article = articles[(i * 7) % Math.max(articles.length, 1)];
    if (article === undefined) return;
    // as Embase gives it, with its article's DOI: never one work with the article; a copy of
    // the notice where the notice had no DOI of its own, else (two DOIs) a record apart
    const fields = n.ids.doi === null ? [...withoutIds(n.raw!), { tag: 'LID', value: `${article.ids.doi} [doi]` }] : withDoi(withoutIds(n.raw!), article.ids.doi);
    files[2]!.records.push({ fields, label: n.ids.doi === null ? n.pmid! : `notice-${n.pmid}` });
  });
  articles.slice(0, 60).forEach((a, i) => {
    const fields = [
      { tag: 'TI', value: `Correction to: ${a.title}` },
      { tag: 'PT', value: 'Published Erratum' },
      { tag: 'DP', value: String(a.published?.year ?? 2020) },
      { tag: 'LID', value: `${a.ids.doi} [doi]` },
      { tag: 'TA', value: a.journal.abbreviation ?? 'J' },
    ];
    files[2]!.records.push({ fields, label: `correction-${i}` });
  });
  // conference abstracts of one supplement: different works, one DOI
  for (let i = 0; i + 1 < Math.min(articles.length, 120); i += 2) {
    const doi = `10.1016/j.supplement.${2000 + (i % 20)}.abstracts`;
    // each on its page of the supplement: the abstract an article grew from, a work apart from it
    for (const a of [articles[i]!, articles[i + 1]!]) {
      const fields = withDoi(withoutIds(a.raw!), doi)
        .filter((f) => f.tag !== 'PG' && !(f.tag === 'LID' && !/\[(doi|pii)\]$/.test(f.value)))
        .map((f) => (f.tag === 'IP' ? { tag: 'IP', value: 'Suppl 1' } : f));
      fields.push({ tag: 'PG', value: `S${100 + i}` });
      files[2]!.records.push({ fields, label: `abstract-${a.pmid}` });
    }
  }
  const out: LabelledFile[] = files.map((f) => {
    const labels = new Map<number, string>();
    let line = 1;
    const texts: string[] = [];
    for (const r of f.records) {
      labels.set(line, r.label);
      const text = recordText(r.fields);
      texts.push(text);
      line += text.split('\n').length + 1;
    }
    return { name: f.name, text: `${texts.join('\n\n')}\n`, labels };
  });
  const labels = new Set(out.flatMap((f) => [...f.labels.values()]));
  return { files: out, works: labels.size, copies: out.reduce((n, f) => n + f.labels.size, 0) - labels.size, fromCorpus: corpus !== null };
}
