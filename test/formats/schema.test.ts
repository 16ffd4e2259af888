/** Every citation medline writes is valid against the JSON Schema it ships. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { emptyCitation } from '../../src/citation/to-citation.js';
import { corpusFiles, corpusName, fixture, fixtureNames, parseByteChunks, ROOT } from '../helpers.js';

const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'citation.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function invalid(citations: unknown[]): string[] {
  const problems: string[] = [];
  for (const c of citations) {
    // validate what the JSON output holds, not the in-memory object
    if (!validate(JSON.parse(JSON.stringify(c)))) problems.push(JSON.stringify(validate.errors).slice(0, 500));
  }
  return problems;
}

describe('citation JSON Schema', () => {
  it('names every property of a citation, and requires all but raw, sources and references (JSON written before medline read XML has none)', () => {
    expect(Object.keys(schema.properties).sort()).toEqual([...Object.keys(emptyCitation()), 'raw', 'sources'].sort());
    expect(schema.required.sort()).toEqual(Object.keys(emptyCitation()).filter((k) => k !== 'references' && k !== 'majorKeywords').sort());
  });

  it('rejects a citation with a missing or mistyped field', () => {
    const c = JSON.parse(JSON.stringify(emptyCitation()));
    expect(validate(c)).toBe(true);
    delete c.title;
    expect(validate(c)).toBe(false);
    expect(validate({ ...emptyCitation(), authors: [{ family: 1 }] })).toBe(false);
  });

  it.each(fixtureNames())('validates the output for fixture %s (with --raw)', (name) => {
    const { citations } = parseByteChunks([readFileSync(fixture(name))], true);
    expect(citations.length).toBeGreaterThan(0);
    expect(invalid(citations)).toEqual([]);
  });

  const files = corpusFiles();
  it(files === null ? 'skips the shared corpus: not found' : 'validates the output for the whole shared corpus', ({ skip }) => {
    if (files === null) return skip('medline: shared corpus not found; schema checked on fixtures only');
    for (const path of files) {
      const { citations } = parseByteChunks([readFileSync(path)]);
      expect({ file: corpusName(path), problems: invalid(citations) }).toEqual({ file: corpusName(path), problems: [] });
    }
  });
});
