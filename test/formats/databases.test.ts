/**
 * Into a database (issue 22): medline's NDJSON (full and --compact) and its --long tables
 * loaded as the README says, into DuckDB (@duckdb/node-api) and SQLite (Debian's sqlite3),
 * give back what the NDJSON holds: every record, every PMID, each MeSH heading's count, each
 * author row; Parquet written by DuckDB reads back the same. Real records: the shared corpus
 * where it is, else the fixtures (said in the test's name).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cli-helpers.js';
import { corpusFiles, FIXTURES, ROOT } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'medline.js');
const medline = (args: string[], cwd: string) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
const corpus = corpusFiles();
const inputs = corpus ?? readdirSync(FIXTURES).filter((n) => /\.(txt|nbib)$/.test(n)).map((n) => join(FIXTURES, n));
const where = corpus ? 'the shared corpus' : 'the fixtures only (shared corpus NOT found)';
const hasSqlite = spawnSync('sh', ['-c', 'command -v sqlite3']).status === 0;

interface Row {
  pmid: string | null;
  mesh: Array<{ descriptor: string }>;
  authors: unknown[];
}

describe(`into a database, from ${where}`, () => {
  const dir = tempDir();
  const made = [
    medline([...inputs, '-o', 'records.ndjson', '-q'], dir),
    medline([...inputs, '-o', 'compact.ndjson', '--compact', '-q'], dir),
    medline([...inputs, '-o', 'authors.csv', '--long', 'authors', '-q'], dir),
  ];
  const records: Row[] = readFileSync(join(dir, 'records.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  // what the NDJSON says, counted here
  const meshCounts = new Map<string, number>();
  for (const r of records) for (const m of r.mesh) meshCounts.set(m.descriptor, (meshCounts.get(m.descriptor) ?? 0) + 1);
  const topMesh = [...meshCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
  const pmids = records.map((r) => r.pmid).filter((p) => p !== null).sort();
  const authorRows = records.reduce((n, r) => n + r.authors.length, 0);

  it('medline made the files', () => {
    for (const r of made) expect(r.status, r.stderr.slice(0, 1000)).toBe(0);
    expect(records.length).toBeGreaterThan(corpus ? 5000 : 50);
    expect(topMesh.length).toBeGreaterThan(3);
  });

  it('DuckDB reads the NDJSON, full and compact, and the long tables, and writes Parquet that reads back the same', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const sql = await db.connect();
    const rows = async (query: string) => (await sql.runAndReadAll(query)).getRowObjects();
    for (const file of ['records.ndjson', 'compact.ndjson']) {
      const table = file.replace('.ndjson', '');
      await sql.run(`CREATE TABLE ${table} AS SELECT * FROM read_json('${join(dir, file)}', format = 'newline_delimited', sample_size = -1)`);
      expect(await rows(`SELECT count(*)::INTEGER AS n FROM ${table}`), file).toEqual([{ n: records.length }]);
      const got = (await rows(`SELECT pmid FROM ${table} WHERE pmid IS NOT NULL ORDER BY pmid`)).map((r) => r['pmid']);
      expect(got, file).toEqual(pmids);
      const mesh = await rows(`SELECT m.descriptor AS d, count(*)::INTEGER AS n FROM ${table}, unnest(mesh) AS t(m) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`);
      expect(mesh.map((r) => [r['d'], r['n']]), file).toEqual(topMesh);
    }
    expect(await rows(`SELECT count(*)::INTEGER AS n FROM read_csv('${join(dir, 'authors.csv')}')`)).toEqual([{ n: authorRows }]);
    await sql.run(`COPY records TO '${join(dir, 'records.parquet')}' (FORMAT parquet)`);
    expect(await rows(`SELECT count(*)::INTEGER AS n, count(DISTINCT pmid)::INTEGER AS p FROM '${join(dir, 'records.parquet')}'`)).toEqual([{ n: records.length, p: new Set(pmids).size }]);
  });

  it('SQLite reads the NDJSON a line a row and queries it with its JSON functions, as the README shows', ({ skip }) => {
    if (!hasSqlite) return skip('sqlite3 not installed (.ci/run installs it): the SQLite recipe NOT checked');
    const r = spawnSync(
      'sqlite3',
      ['refs.db', 'CREATE TABLE citations(doc TEXT)', '.mode ascii', '.separator "\\037" "\\n"', '.import records.ndjson citations', '.mode list',
        "SELECT count(*) || ' ' || count(json_extract(doc, '$.pmid')) FROM citations",
        "SELECT d || '|' || n FROM (SELECT json_extract(m.value, '$.descriptor') AS d, count(*) AS n FROM citations, json_each(doc, '$.mesh') AS m GROUP BY d) ORDER BY n DESC, d LIMIT 10"],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(r.status, r.stderr).toBe(0);
    const [count, ...mesh] = r.stdout.trim().split('\n');
    expect(count).toBe(`${records.length} ${pmids.length}`);
    expect(mesh.map((l) => { const [d, n] = l.split('|'); return [d, Number(n)]; })).toEqual(topMesh);
  });
});
