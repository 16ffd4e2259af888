/** The library API: one-shot, async iterator and Transform stream agree. */
import { createReadStream, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { convert, createFormatter, formatAll, MedlineParseStream, parse, parseStream, type Citation, type Diagnostic } from '../../src/index.js';
import { run, tempDir } from '../cli-helpers.js';
import { fixture, ROOT } from '../helpers.js';

const FILE = fixture('text-between-records.txt');

describe('library API', () => {
  const expected = parse(readFileSync(FILE, 'utf8'));

  it('parseStream reads a file stream to the same citations and diagnostics', async () => {
    const diagnostics: Diagnostic[] = [];
    const citations: Citation[] = [];
    for await (const c of parseStream(createReadStream(FILE, { highWaterMark: 64 }), { onDiagnostic: (d) => diagnostics.push(d) })) citations.push(c);
    expect(citations).toEqual(expected.citations);
    expect(diagnostics).toEqual(expected.diagnostics);
  });

  it('MedlineParseStream is a Transform from bytes to citations with diagnostic events', async () => {
    const citations: Citation[] = [];
    const diagnostics: Diagnostic[] = [];
    const stream = new MedlineParseStream();
    stream.on('diagnostic', (d: Diagnostic) => diagnostics.push(d));
    await pipeline(Readable.from([readFileSync(FILE)]), stream, async (source: AsyncIterable<Citation>) => {
      for await (const c of source) citations.push(c);
    });
    expect(citations).toEqual(expected.citations);
    expect(diagnostics).toEqual(expected.diagnostics);
  });

  it('formats with formatAll', () => {
    expect(formatAll(createFormatter('ris'), expected.citations).match(/^TY {2}- /gm)).toHaveLength(expected.citations.length);
  });
});

describe('library API: JSON back in, and choosing records', () => {
  it('parseCitationJson reads back what the ndjson formatter wrote; selectCitations dedupes and filters', async () => {
    const { parseCitationJson, selectCitations } = await import('../../src/index.js');
    const citations = parse(readFileSync(fixture('crlf-export-75-records.nbib'), 'utf8')).citations;
    const ndjson = formatAll(createFormatter('ndjson'), [...citations, ...citations]);
    const back: Citation[] = [];
    for await (const c of parseCitationJson(Readable.from([Buffer.from(ndjson)]))) back.push(c);
    expect(back).toEqual([...citations, ...citations]);
    const duplicates: Diagnostic[] = [];
    const once: Citation[] = [];
    for await (const c of selectCitations(back, { dedupe: true, onDiagnostic: (d) => duplicates.push(d) })) once.push(c);
    expect(once).toEqual(citations);
    expect(duplicates).toHaveLength(75);
    expect(duplicates[0]!.message).toBe(`PMID ${citations[0]!.pmid}, kept citation 1; this one left out (citation 76)`);
    const chosen: Citation[] = [];
    for await (const c of selectCitations(citations, { pmids: [citations[5]!.pmid!, citations[2]!.pmid!] })) chosen.push(c);
    expect(chosen).toEqual([citations[2], citations[5]]);
  });
});

describe('InputDecoder.write, the text API', () => {
  it('finds invalid UTF-8 whatever the chunks, a sequence split between chunks being no error', async () => {
    const { InputDecoder } = await import('../../src/index.js');
    // é split between chunks, then a lone 0xE9 (Latin-1 é), then a real U+FFFD (EF BF BD)
    const bytes = new Uint8Array([...new TextEncoder().encode('PMID- 1\nTI  - caf'), 0xc3, 0xa9, 0x20, 0xe9, 0x20, 0xef, 0xbf, 0xbd, 0x0a, ...new Array(8200).fill(0x20)]);
    for (const cut of [1, 19, 20, 21, 25, 8000]) {
      const decoder = new InputDecoder();
      const a = decoder.write(bytes.subarray(0, cut));
      const b = decoder.write(bytes.subarray(cut));
      const c = decoder.end();
      const text = a.text + b.text + c.text;
      const notes = [...a.notes, ...b.notes, ...c.notes];
      expect(text.startsWith('PMID- 1\nTI  - café \uFFFD \uFFFD\n')).toBe(true);
      expect(notes.map((n) => [n.offset, n.message])).toEqual([
        [19, 'invalid UTF-8 byte 0xE9 at byte offset 20 replaced by U+FFFD (is the file Latin-1? try --encoding latin1)'],
      ]);
    }
  });
});

describe('convert(): the engine without a command line', () => {
  const inputs = [fixture('crlf-export-75-records.nbib'), fixture('crlf-export-75-records.nbib'), join(ROOT, 'fixtures', 'xml', 'biopython-pubmed4-markup.xml')];

  it('streams what the command writes to stdout, with the diagnostics given to a callback', async () => {
    const command = await run([...inputs, '--to', 'ris', '--dedupe', '--max-warnings', '1000000']);
    const seen: string[] = [];
    const stream = convert(inputs, { to: 'ris', dedupe: true, onDiagnostic: (file, d) => seen.push(`${file}:${d.line}:${d.column || 1}: ${d.code} ${d.message}`) });
    let text = '';
    for await (const chunk of stream) text += chunk.toString();
    expect(text).toBe(command.stdout);
    expect(seen).toHaveLength(75);
    expect(command.stderr).toContain(seen[0]!);
  });

  it('writes a path atomically and resolves with a summary; a run with nothing converted leaves the old file', async () => {
    const dir = tempDir();
    const out = join(dir, 'refs.bib');
    // worker threads start from dist/ (npm test builds it first)
    const built = (await import(join(ROOT, 'dist', 'index.js'))) as { convert: typeof convert };
    const summary = await built.convert(inputs, { output: out, to: 'bibtex', jobs: 2, dedupe: true });
    expect(summary).toMatchObject({ records: 151, files: 3, failedInputs: [], errors: 0 });
    expect(readFileSync(out, 'utf8')).toBe((await run([...inputs, '--to', 'bibtex', '--dedupe'])).stdout);
    await expect(convert([join(dir, 'missing.txt')], { output: out, to: 'bibtex' })).rejects.toThrow(/no record converted: .*missing\.txt: no such file/);
    expect(readFileSync(out, 'utf8')).toBe((await run([...inputs, '--to', 'bibtex', '--dedupe'])).stdout);
    expect(readdirSync(dir)).toEqual(['refs.bib']);
  });
});

describe('the library from other projects', () => {
  /** An empty project with medline (and Node's types) in node_modules, as npm would leave it. */
  function consumer(): string {
    const dir = tempDir();
    mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules', 'medline'));
    symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
    return dir;
  }

  it('a strict TypeScript project without skipLibCheck compiles against our types with no error (no third-party types reached)', () => {
    const dir = consumer();
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
    writeFileSync(
      join(dir, 'index.ts'),
      "import type { Citation, ConvertOptions } from 'medline';\nimport { convert, parse, parsePubmedXml, PubmedXmlReader, selectCitations } from 'medline';\n" +
        "const c: Citation | undefined = parse('PMID- 1\\nTI  - x\\n').citations[0];\nconst o: ConvertOptions = { to: 'ris', dedupe: true, keep: 'complete' };\nconsole.log(c?.title, o, convert, parsePubmedXml, PubmedXmlReader, selectCitations);\n",
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, types: ['node'] }, files: ['index.ts'] }));
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it('CommonJS: require("medline") works on the Node versions package.json names', () => {
    const dir = consumer();
    const r = spawnSync(process.execPath, ['-e', "const m = require('medline'); process.stdout.write(m.parse('PMID- 7\\nTI  - A title.\\n').citations[0].title)"], { cwd: dir, encoding: 'utf8' });
    expect([r.stderr, r.stdout]).toEqual(['', 'A title.']);
    const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    expect(engines).toBe('^20.19.0 || >=22.12.0');
  });
});

describe('subpath exports: a small surface for each use', () => {
  /** Every module a built file reaches by static imports: our files, and the packages named. */
  function reach(entry: string): { files: string[]; packages: Set<string> } {
    const files: string[] = [];
    const packages = new Set<string>();
    const queue = [entry];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (files.includes(file)) continue;
      files.push(file);
      const code = readFileSync(file, 'utf8');
      for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3] ?? m[4]!;
        if (spec.startsWith('.')) queue.push(join(file, '..', spec));
        else packages.add(spec);
      }
    }
    return { files, packages };
  }

  it('medline/core imports nothing from Node, directly or through a package', () => {
    const { files, packages } = reach(join(ROOT, 'dist', 'api', 'core.js'));
    expect(files.length).toBeGreaterThan(20);
    expect([...packages].sort()).toEqual(['csv-stringify/sync']);
    // csv-stringify's synchronous build is one file that requires nothing
    const csv = readFileSync(join(ROOT, 'node_modules', 'csv-stringify', 'dist', 'esm', 'sync.js'), 'utf8');
    expect(csv).not.toMatch(/\bfrom\s+['"]|\brequire\(/);
    // the full API reaches Node (streams, files): the subpaths are what keeps the core apart
    expect([...reach(join(ROOT, 'dist', 'index.js')).packages].some((p) => p.startsWith('node:'))).toBe(true);
  });

  it('medline/core, medline/node and medline/engine resolve for a consumer, and together are the whole API', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'medline'));
    const script = "const all = await import('medline'); const parts = await Promise.all(['medline/core', 'medline/node', 'medline/engine'].map((p) => import(p))); const keys = parts.flatMap((p) => Object.keys(p)).sort(); console.log(JSON.stringify([Object.keys(all).sort(), keys]));";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [all, parts] = JSON.parse(r.stdout) as [string[], string[]];
    expect(parts).toEqual(all);
    expect(all).toContain('parse');
    expect(all).toContain('convert');
  });
});
