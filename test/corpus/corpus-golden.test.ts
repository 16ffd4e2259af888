/**
 * Every corpus file and fixture in every format, through the command as users run it: the
 * SHA-256 of stdout and stderr is compared with test/golden/corpus-outputs.json. The corpus
 * is not in this repository, so its outputs are kept as hashes; a rewrite of the hot path
 * must not change one byte of them. After an intended change of output, `UPDATE_GOLDEN=1
 * npx vitest run test/corpus/corpus-golden.test.ts` rewrites the file: say why in the commit.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../cli-helpers.js';
import { CORPUS, corpusFiles, corpusName, fixture, fixtureNames, ROOT } from '../helpers.js';

const GOLDEN = join(ROOT, 'test', 'golden', 'corpus-outputs.json');
const update = process.env['UPDATE_GOLDEN'] === '1';
const golden: Record<string, Record<string, string>> = existsSync(GOLDEN) ? JSON.parse(readFileSync(GOLDEN, 'utf8')) : {};
const FORMATS = [
  ['json'],
  ['ndjson'],
  ['ndjson', '--raw'],
  ['csv'],
  ['tsv'],
  ['bibtex'],
  ['bibtex', '--ascii'],
  ['ris'],
  ['csl'],
  ['medline'],
] as const;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const corpus = corpusFiles();
const inputs: Array<[string, string]> = [
  ...fixtureNames().map((n): [string, string] => [`fixtures/${n}`, fixture(n)]),
  ...(corpus ?? []).map((p): [string, string] => [`corpus/${corpusName(p)}`, p]),
];

describe('every output byte of every corpus file and fixture, in every format', () => {
  if (corpus === null) {
    it.skip(`corpus NOT checked: ${CORPUS} not found; fixtures only`, () => undefined);
  }
  afterAll(() => {
    if (update) writeFileSync(GOLDEN, JSON.stringify(golden, null, 1) + '\n');
  });

  it.each(inputs)('%s', async (name, path) => {
    const got: Record<string, string> = {};
    for (const [format, ...more] of FORMATS) {
      const r = await run([path, '--to', format, ...more, '--max-warnings', '1000000']);
      got[[format, ...more].join(' ')] = sha(r.stdout);
      if (format === 'json') got['stderr'] = sha(r.stderr.split(path).join('INPUT'));
    }
    if (update) golden[name] = got;
    else expect(got).toEqual(golden[name]);
  });
});
