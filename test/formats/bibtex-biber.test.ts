/**
 * biber (the biblatex back end) validates our BibTeX against its data model. biber takes
 * about 15 ms an entry, so `npm test` gives it every fixture and a sample of the corpus that
 * holds one entry of each shape (entry type, field names, numeric or not) and every twentieth
 * entry besides; with MEDLINE_FULL_CORPUS=1 (as CI runs it) it gets the whole corpus.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAll } from '../../src/formats/formatter.js';
import { createFormatter } from '../../src/formats/index.js';
import { parse } from '../../src/parser.js';
import type { Citation } from '../../src/types.js';
import { tempDir } from '../cli-helpers.js';
import { allInputs, fixture } from '../helpers.js';

const full = process.env['MEDLINE_FULL_CORPUS'] === '1';
const inputs = allInputs();

/** The entries to validate: all of them, or one of each shape plus every twentieth; and a crafted one. */
function entries(): string[] {
  const f = createFormatter('bibtex');
  const write = (c: Citation) => f.finish(f.prepare(c)) as string;
  const crafted = parse(`PMID- 1\nTI  - ${String.raw`}, note = {x}} @misc{evil, title={\input{/etc/passwd}`}\nAB  - 43.64}12.64 -- 100% & $5 #1 a_b ~ ^\n`).citations;
  const all = inputs.flatMap(([, cs]) => cs.map(write));
  const seen = new Set<string>();
  const sample = all.filter((entry, i) => {
    const fields = [...entry.matchAll(/^ {2}(\w+)\s*=\s*\{?(.*?)\}?,?$/gm)].map(([, k, v]) =>
      ['volume', 'number', 'year', 'pages'].includes(k!) ? `${k}${/^\d+$/.test(v!) ? '#' : '*'}` : k,
    );
    const shape = `${entry.slice(0, entry.indexOf('{'))}:${fields.sort().join(',')}`;
    const fresh = !seen.has(shape);
    seen.add(shape);
    return fresh || i % 20 === 0;
  });
  return [...(full ? all : sample), ...crafted.map(write)];
}

describe('biber --validate-datamodel', () => {
  const biber = spawnSync('biber', ['--version'], { encoding: 'utf8' });
  const what = full ? 'whole corpus' : 'fixtures and a sample of the corpus (MEDLINE_FULL_CORPUS=1: whole corpus)';
  it(biber.status === 0 ? `passes with no error, ${what}` : 'biber is not installed: datamodel check NOT run', ({ skip }) => {
    if (biber.status !== 0) return skip('medline: biber not found; install it (apt-get install biber) to run the datamodel check');
    const dir = tempDir();
    const chosen = entries();
    writeFileSync(join(dir, 'all.bib'), chosen.join('\n'));
    const result = spawnSync('biber', ['--tool', '--validate-datamodel', 'all.bib'], { cwd: dir, encoding: 'utf8' });
    const log = result.stdout + result.stderr;
    expect(result.status).toBe(0);
    expect(log.split('\n').filter((l) => /\bERROR\b/.test(l))).toEqual([]);
    // biber read every entry we gave it: its --tool output holds as many
    const written = readFileSync(join(dir, 'all_bibertool.bib'), 'utf8').match(/^@/gm)?.length;
    expect(written).toBe(chosen.length);
  });
});

describe('keywords read back by biber', () => {
  const biber = spawnSync('biber', ['--version'], { encoding: 'utf8' });
  it(biber.status === 0 ? 'gives back every keyword whole, MeSH terms with commas included (real export, 111 records)' : 'biber is not installed: keyword read-back NOT run', ({ skip }) => {
    if (biber.status !== 0) return skip('medline: biber not found; keyword read-back not checked');
    const citations = parse(readFileSync(fixture('crlf-export-111-records.txt'), 'utf8')).citations;
    const expected = citations.map((c) => [...new Set([...c.keywords, ...c.mesh.map((m) => m.descriptor)])]);
    expect(expected.flat().filter((k) => k.includes(',')).length).toBeGreaterThan(20);
    const dir = tempDir();
    writeFileSync(join(dir, 'kw.bib'), formatAll(createFormatter('bibtex', { key: 'pmid' }), citations));
    const result = spawnSync('biber', ['--tool', '--output-format=bibtex', '--output-file=out.bib', 'kw.bib'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const out = readFileSync(join(dir, 'out.bib'), 'utf8');
    // biber's own output, split at its commas outside braces
    const readBack = new Map<string, string[]>();
    for (const entry of out.split(/^@/m).slice(1)) {
      const key = /^\w+\{([^,]+),/.exec(entry)![1]!;
      const field = /^\s*KEYWORDS\s*=\s*\{(.*)\},?$/m.exec(entry)?.[1] ?? '';
      const words: string[] = [];
      let depth = 0;
      let word = '';
      for (const ch of field) {
        if (ch === ',' && depth === 0) {
          words.push(word);
          word = '';
          continue;
        }
        if (ch === '{') depth++;
        if (ch === '}') depth--;
        word += ch;
      }
      if (word !== '') words.push(word);
      readBack.set(key, words.map((w) => w.trim().replace(/^\{(.*)\}$/, '$1').replace(/,\s*/g, ', ')));
    }
    citations.forEach((c, i) => {
      const got = readBack.get(`pmid${c.pmid}`) ?? [];
      expect({ pmid: c.pmid, keywords: [...got].sort() }).toEqual({ pmid: c.pmid, keywords: expected[i]!.map((k) => k.replace(/\s+/g, ' ')).sort() });
    });
  });
});
