/**
 * medline's own JSON as input (NDJSON, the JSON array, jq's pretty objects): every corpus
 * file and fixture, MEDLINE → NDJSON → each format, gives byte for byte what MEDLINE → that
 * format gives; lines that are not citations are reported and skipped.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonPieceMaker } from '../../src/node/json-input.js';
import { formatAll } from '../../src/formats/formatter.js';
import { createFormatter, FORMAT_NAMES } from '../../src/formats/index.js';
import type { Citation } from '../../src/types.js';
import { run } from '../cli-helpers.js';
import { CORPUS, corpusFiles, corpusName, fixture, fixtureNames, parseByteChunks, readFixture, ROOT } from '../helpers.js';

const corpus = corpusFiles();
const inputs: Array<[string, string]> = [
  ...fixtureNames().map((n): [string, string] => [`fixtures/${n}`, fixture(n)]),
  ...(corpus ?? []).map((p): [string, string] => [`corpus/${corpusName(p)}`, p]),
];

/** Citations read back from JSON bytes by the reader the command uses. */
function readJson(bytes: Uint8Array, raw: boolean): Citation[] {
  const maker = new JsonPieceMaker<Citation>((c) => c, () => {
    throw new Error('a citation medline wrote was refused');
  }, { raw });
  maker.write(bytes);
  maker.end();
  return maker.take();
}

// The reader is the command's (JsonPieceMaker). Formatters are pure functions of the
// citations in order, so citations read back equal (strictly) to those written give every
// format byte for byte: that is checked for every corpus file, and the bytes of every format
// besides for the fixtures.
describe('MEDLINE → NDJSON → every format is MEDLINE → that format, byte for byte', () => {
  if (corpus === null) it.skip(`corpus NOT checked: ${CORPUS} not found; fixtures only`, () => undefined);
  it.each(inputs)('%s', (name, path) => {
    const withRaw = parseByteChunks([readFileSync(path)], true).citations;
    const plain = withRaw.map(({ raw: _raw, ...c }) => c as Citation);
    const ndjsonRaw = new TextEncoder().encode(formatAll(createFormatter('ndjson'), withRaw));
    const ndjsonPlain = new TextEncoder().encode(formatAll(createFormatter('ndjson'), plain));
    expect(readJson(ndjsonRaw, true)).toStrictEqual(withRaw);
    expect(readJson(ndjsonPlain, false)).toStrictEqual(plain);
    if (!name.startsWith('fixtures/')) return;
    for (const format of FORMAT_NAMES) {
      // as the command: raw kept for medline output (and --raw), dropped otherwise
      const needsRaw = format === 'medline';
      const direct = formatAll(createFormatter(format), needsRaw ? withRaw : plain);
      expect({ format, out: formatAll(createFormatter(format), readJson(ndjsonRaw, needsRaw)) }).toEqual({ format, out: direct });
      // without --raw, MEDLINE output is written from the typed fields; the rest is the same
      if (!needsRaw) expect({ format, out: formatAll(createFormatter(format), readJson(ndjsonPlain, false)) }).toEqual({ format, out: direct });
    }
  });

  it('the command gives the same as the library for one file through stdin, every format', async () => {
    const path = fixture('crlf-export-75-records.nbib');
    const ndjson = await run([path, '--to', 'ndjson', '--raw', '-q']);
    for (const format of FORMAT_NAMES) {
      const direct = await run([path, '--to', format, '-q']);
      expect({ format, out: (await run(['-', '--to', format, '-q'], { stdin: ndjson.stdout })).stdout }).toEqual({ format, out: direct.stdout });
    }
  });
});

describe('reading JSON', () => {
  const seed = fixture('reference-record.txt');
  const four = fixture('biopython-four-records.txt');

  it('reads the JSON array, --pretty JSON, and the pretty objects jq prints', async ({ skip }) => {
    const direct = await run([four, '--to', 'ris']);
    for (const args of [['--to', 'json'], ['--to', 'json', '--pretty']]) {
      const json = await run([four, ...args]);
      expect((await run(['-', '--to', 'ris'], { stdin: json.stdout })).stdout).toBe(direct.stdout);
    }
    const jq = spawnSync('jq', ['--version']);
    if (jq.status !== 0) return skip('medline: jq not installed; its pretty output not checked');
    const ndjson = (await run([four, '--to', 'ndjson'])).stdout;
    const pretty = spawnSync('jq', ['.'], { input: ndjson, encoding: 'utf8' }).stdout;
    expect(pretty.split('\n').length).toBeGreaterThan(100);
    expect((await run(['-', '--to', 'ris'], { stdin: pretty })).stdout).toBe(direct.stdout);
  });

  it('reads the empty array of a run with no record; text that is no JSON gets one message a line', async () => {
    const empty = await run([join(ROOT, 'fixtures', 'bad-input', 'empty.txt'), '--to', 'json']);
    expect(empty.stdout).toBe('[\n]\n');
    const back = await run(['-', '--to', 'ris'], { stdin: empty.stdout });
    expect([back.status, back.stdout, back.stderr]).toEqual([0, '', '']);
    const forced = await run([seed, '--from', 'json', '--to', 'ris', '--max-warnings', '1000000']);
    const lines = readFixture('reference-record.txt').split('\n').filter((l) => l.trim().length > 0).length;
    // one message a line, then: no citation read (exit 1), as for any input that gave none
    expect(forced.stderr.trim().split('\n')).toHaveLength(lines + 1);
    expect(forced.status).toBe(1);
    expect(forced.stderr).toMatch(/NO_RECORDS no citation read: every JSON value of this input was rejected/);
    expect(forced.stderr).toMatch(/^\S+reference-record\.txt:1:1: INVALID_CITATION not a JSON object: the rest of the line was skipped$/m);
  });

  it('reports a value that is not a citation with its line, skips it, converts the rest', async () => {
    const lines = (await run([four, '--to', 'ndjson'])).stdout.trim().split('\n');
    const broken = JSON.parse(lines[1]!);
    broken.authors = 'not a list';
    const input = [lines[0], JSON.stringify(broken), '{"pmid": "1", "oops"', lines[2], lines[3]].join('\n') + '\n';
    const r = await run(['-', '--to', 'ndjson'], { stdin: input });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).pmid)).toEqual([lines[0], lines[2], lines[3]].map((l) => JSON.parse(l!).pmid));
    const messages = r.stderr.trim().split('\n');
    expect(messages[0]).toMatch(/^<stdin>:2:1: INVALID_CITATION not a medline citation at \/authors: must be array; skipped \(PMID \d+\)$/);
    expect(messages[1]).toMatch(/^<stdin>:3:1: INVALID_CITATION not valid JSON/);
  });

  it('filters through jq and back, with --jobs too, and --from json forces the reading', ({ skip }) => {
    const bin = join(ROOT, 'bin', 'medline.js');
    const pipeline = (jobs: string) =>
      spawnSync('bash', ['-c', `node "${bin}" "${fixture('crlf-export-111-records.txt')}" --to ndjson | jq -c 'select(.published.year >= 2020)' | node "${bin}" --to bibtex --jobs ${jobs}`], { encoding: 'utf8' });
    if (spawnSync('jq', ['--version']).status !== 0) return skip('medline: jq not installed; the pipeline not checked');
    const one = pipeline('1');
    const two = pipeline('2');
    expect(one.status).toBe(0);
    const years = [...readFixture('crlf-export-111-records.txt').matchAll(/^DP {2}- (\d{4})/gm)].map((m) => Number(m[1]));
    expect(one.stdout.match(/^@\w+\{/gm)).toHaveLength(years.filter((y) => y >= 2020).length);
    expect(two.stdout).toBe(one.stdout);
    const forced = spawnSync(process.execPath, [bin, seed, '--from', 'json', '--to', 'ris'], { encoding: 'utf8' });
    expect(forced.stderr).toMatch(/INVALID_CITATION/);
    expect(readFileSync(seed, 'utf8')).toMatch(/^PMID- /);
  });
});

describe('--compact: JSON without what reading it back restores', () => {
  it('every record of the fixtures and corpus: compact NDJSON is read back to the full form byte for byte, in about two thirds of the bytes', async () => {
    const files = [...fixtureNames().filter((n) => !n.endsWith('.md')).map(fixture), ...(corpusFiles() ?? [])];
    const full = await run([...files, '--to', 'ndjson', '-q']);
    const compact = await run([...files, '--to', 'ndjson', '--compact', '-q']);
    expect(compact.stdout.length).toBeLessThan(full.stdout.length * 0.75);
    expect(compact.stdout).not.toMatch(/:null[,}]|:\[\]|:false[,}]|:\{\}/);
    const back = await run(['-', '--from', 'ndjson', '--to', 'ndjson'], { stdin: compact.stdout });
    expect(back.stderr).toBe('');
    expect(back.stdout).toBe(full.stdout);
    // the JSON array and --pretty the same way
    const array = await run([fixture('reference-record.txt'), '--to', 'json', '--compact', '--pretty']);
    expect((await run(['-', '--to', 'json'], { stdin: array.stdout })).stdout).toBe((await run([fixture('reference-record.txt'), '--to', 'json'])).stdout);
  });

  it('a structured abstract is written once: its sections come back from it; sections it would not give are kept', async () => {
    const record = readFixture('reference-record.txt').replace(/^AB {2}- .*/m, 'AB  - BACKGROUND: Why it was done. METHODS: How. RESULTS: What came out.');
    const compact = (await run(['-', '--to', 'ndjson', '--compact'], { stdin: record })).stdout;
    expect(compact).not.toMatch(/abstractSections/);
    const back = JSON.parse((await run(['-', '--from', 'ndjson', '--to', 'ndjson'], { stdin: compact })).stdout);
    expect(back.abstractSections.map((s: { label: string }) => s.label)).toEqual(['BACKGROUND', 'METHODS', 'RESULTS']);
    // sections the abstract does not give (PubMed XML's own labels) stay written
    const own = { ...JSON.parse((await run(['-', '--to', 'ndjson'], { stdin: record })).stdout), abstract: 'One plain paragraph.' };
    const kept = (await run(['-', '--from', 'ndjson', '--to', 'ndjson', '--compact'], { stdin: JSON.stringify(own) })).stdout;
    expect(JSON.parse(kept).abstractSections).toHaveLength(3);
  });
});
