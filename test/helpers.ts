/** Shared by the tests: where fixtures and the shared corpus are, and ways of feeding input. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MedlineParser } from '../src/parser.js';
import { InputDecoder, nodeUtf8Decode } from '../src/node/decoder.js';
import type { Citation, Diagnostic } from '../src/types.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'fixtures', 'medline');
export const SHARED = join(ROOT, '..', 'shared');
export const CORPUS = join(SHARED, 'corpus');
export const SEED = join(SHARED, 'seed');

export const fixture = (name: string): string => join(FIXTURES, name);
export const readFixture = (name: string): string => readFileSync(fixture(name), 'utf8');

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES).filter((n) => !n.endsWith('.md')).sort();
}

/** Every file of the shared corpus, or null (said plainly by the caller) where it is absent. */
export function corpusFiles(): string[] | null {
  if (!existsSync(CORPUS)) return null;
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name !== 'SOURCES.md') out.push(path);
    }
  };
  walk(CORPUS);
  return out;
}

export const corpusName = (path: string): string => relative(CORPUS, path);

export interface Parsed {
  citations: Citation[];
  diagnostics: Diagnostic[];
}

/** Parses strings given as chunks. */
export function parseChunks(chunks: readonly string[], raw = false): Parsed {
  const out: Parsed = { citations: [], diagnostics: [] };
  const parser = new MedlineParser(
    { onCitation: (c) => out.citations.push(c), onDiagnostic: (d) => out.diagnostics.push(d) },
    { raw },
  );
  for (const chunk of chunks) parser.write(chunk);
  parser.end();
  return out;
}

/** Parses bytes given as chunks, through the same decoder and byte path as the command. */
export function parseByteChunks(chunks: readonly Uint8Array[], raw = false): Parsed {
  const out: Parsed = { citations: [], diagnostics: [] };
  const parser = new MedlineParser(
    { onCitation: (c) => out.citations.push(c), onDiagnostic: (d) => out.diagnostics.push(d) },
    { raw, decodeUtf8: nodeUtf8Decode },
  );
  const decoder = new InputDecoder();
  for (const chunk of chunks) decoder.feed(chunk, parser);
  decoder.finish(parser);
  parser.end();
  return out;
}

/** Cuts a string or byte array at the given sorted positions. */
export function splitAt<T extends string | Uint8Array>(input: T, cuts: readonly number[]): T[] {
  const parts: T[] = [];
  let from = 0;
  for (const cut of cuts) {
    parts.push(input.slice(from, cut) as T);
    from = cut;
  }
  parts.push(input.slice(from) as T);
  return parts;
}

export function oneCharAtATime(text: string): string[] {
  return Array.from({ length: text.length }, (_, i) => text[i]!);
}

export function oneByteAtATime(bytes: Uint8Array): Uint8Array[] {
  return Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
}

/** Every fixture and, where it exists, every corpus file, parsed from bytes: [name, citations]. */
export function allInputs(raw = false): Array<[string, Citation[]]> {
  const corpus = corpusFiles();
  if (corpus === null) console.warn(`medline: shared corpus not found at ${CORPUS}; checks run on the fixtures only`);
  return [
    ...fixtureNames().map((n): [string, Citation[]] => [`fixtures/${n}`, parseByteChunks([readFileSync(fixture(n))], raw).citations]),
    ...(corpus ?? []).map((p): [string, Citation[]] => [`corpus/${corpusName(p)}`, parseByteChunks([readFileSync(p)], raw).citations]),
  ];
}
