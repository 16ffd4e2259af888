/**
 * biber (the biblatex back end) validates the BibTeX of every fixture and of the whole
 * corpus against its data model. It takes over a minute, so it has a file of its own.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatAll } from '../src/formats/formatter.js';
import { createFormatter } from '../src/formats/index.js';
import { parse } from '../src/parser.js';
import { tempDir } from './cli-helpers.js';
import { allInputs } from './helpers.js';

const one = (text: string) => parse(text).citations;
const inputs = allInputs();

describe('biber --validate-datamodel', () => {
  const biber = spawnSync('biber', ['--version'], { encoding: 'utf8' });
  it(biber.status === 0 ? 'passes biber --validate-datamodel with no error, whole corpus' : 'biber is not installed: datamodel check NOT run', { timeout: 600_000 }, () => {
    if (biber.status !== 0) return console.warn('medline: biber not found; install it (apt-get install biber) to run the datamodel check');
    const dir = tempDir();
    const bib = join(dir, 'all.bib');
    const f = createFormatter('bibtex');
    const crafted = one(`PMID- 1\nTI  - ${String.raw`}, note = {x}} @misc{evil, title={\input{/etc/passwd}`}\nAB  - 43.64}12.64 -- 100% & $5 #1 a_b ~ ^\n`);
    writeFileSync(bib, formatAll(f, [...inputs.flatMap(([, cs]) => cs), ...crafted]));
    const result = spawnSync('biber', ['--tool', '--validate-datamodel', 'all.bib'], { cwd: dir, encoding: 'utf8' });
    const log = result.stdout + result.stderr;
    expect(result.status).toBe(0);
    expect(log.split('\n').filter((l) => /\bERROR\b/.test(l))).toEqual([]);
  });
});
