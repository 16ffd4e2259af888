/**
 * The losslessness audit of PubMed XML: every word of every text and attribute value of every
 * record of ../shared/corpus-xml (and fixtures/xml) appears in its citation as the default
 * JSON writes it: in a typed field, in `extra`, or through a transformation named in
 * XML_TRANSFORMED (src/xml/table.ts). A mapping that drops or loses a value fails here,
 * with the file, the PMID, the element path and the words. (MEDLINE text has its own audit in
 * defects.test.ts: "finds every word of every value".)
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SaxesParser as SaxesParserType } from 'saxes';
import { describe, expect, it } from 'vitest';
import { parsePubmedXml } from '../../src/index.js';
import { XML_TRANSFORMED } from '../../src/xml/table.js';
import { ROOT, SHARED } from '../helpers.js';

const { SaxesParser } = createRequire(import.meta.url)('saxes') as { SaxesParser: typeof SaxesParserType };
const XML_CORPUS = join(SHARED, 'corpus-xml');
const files = [
  ...(existsSync(XML_CORPUS) ? readdirSync(XML_CORPUS).filter((n) => /\.xml(\.gz)?$/.test(n)).map((n) => join(XML_CORPUS, n)) : []),
  ...readdirSync(join(ROOT, 'fixtures', 'xml')).map((n) => join(ROOT, 'fixtures', 'xml', n)),
].sort();

/** Words as the text audit counts them: letters and digits, numbers by value (dates split into year, month, day). */
const words = (s: string) =>
  (s.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? []).flatMap((t) =>
    /^\d+$/.test(t) ? (t.length >= 6 && t.length <= 14 && t.length % 2 === 0 ? [t.slice(0, 4), ...t.slice(4).match(/\d\d/g)!] : [t]).map((d) => String(Number(d))) : [t],
  );

const RECORDS = new Set(['PubmedArticle', 'PubmedBookArticle', 'MedlineCitation']);

/** PubMed's own elements are CamelCase; inline markup (`i`, `sup`) and MathML are not. */
const isStructural = (name: string) => /^[A-Z]/.test(name);
const isMathMl = (name: string) => name === 'math' || name.startsWith('mml:');

/**
 * Each record's values, read by saxes from the XML itself: every attribute (`Element@name`),
 * and the text of every PubMed element (`Parent/Element`) with its inline markup and MathML
 * run together as the reader does (`n<sup>th</sup>` is one word).
 */
function recordValues(xml: string): Array<Array<{ path: string; value: string }>> {
  const records: Array<Array<{ path: string; value: string }>> = [];
  const parser = new SaxesParser();
  // open PubMed elements, each with the text gathered for it
  const stack: Array<{ name: string; text: string }> = [];
  let current: Array<{ path: string; value: string }> | null = null;
  let recordDepth = -1;
  let inMath = 0;
  const names: string[] = [];
  const text = (t: string) => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += t;
  };
  parser.on('opentag', (tag) => {
    names.push(tag.name);
    if (current === null && RECORDS.has(tag.name)) {
      current = [];
      recordDepth = stack.length;
    }
    if (isMathMl(tag.name)) inMath++;
    if (current !== null) {
      for (const [name, value] of Object.entries(tag.attributes as Record<string, string>)) current.push({ path: inMath > 0 ? 'MathML@*' : `${tag.name}@${name}`, value });
    }
    if (isStructural(tag.name)) stack.push({ name: tag.name, text: '' });
    // sub- and superscripts in parentheses, as textOf renders them (`10<sup>28</sup>` is `10(28)`)
    else if (tag.name === 'sub' || tag.name === 'sup') text('(');
  });
  // white space right inside a MathML element is layout, as the reader takes it (src/xml/reader.ts)
  const layoutIn = (name: string | undefined) => name !== undefined && (name === 'math' || (name.startsWith('mml:') && name !== 'mml:mtext' && name !== 'mml:ms'));
  parser.on('text', (t) => (layoutIn(names[names.length - 1]) && !/\S/.test(t) ? undefined : text(t)));
  parser.on('cdata', text);
  parser.on('closetag', (tag) => {
    names.pop();
    if (isMathMl(tag.name)) inMath--;
    if (tag.name === 'sub' || tag.name === 'sup') text(')');
    if (!isStructural(tag.name)) return;
    const done = stack.pop()!;
    const parent = stack[stack.length - 1];
    if (current !== null && /\S/.test(done.text)) current.push({ path: `${parent?.name ?? ''}/${done.name}`, value: done.text });
    if (current !== null && stack.length === recordDepth) {
      records.push(current);
      current = null;
    }
  });
  parser.write(xml.replace(/^\uFEFF/, '')).close();
  return records;
}

describe('PubMed XML: nothing of a record is lost unsaid', () => {
  it(`every word of every text and attribute of every record of ${files.length} files is in its citation${existsSync(XML_CORPUS) ? '' : ' (fixtures only: ../shared/corpus-xml NOT found)'}`, () => {
    const lost: string[] = [];
    let values = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      const xml = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
      // the files with several documents joined are read by the command, not here
      if ((xml.match(/<\?xml\s/g) ?? []).length > 1) continue;
      const { citations } = parsePubmedXml(xml);
      const records = recordValues(xml);
      expect(records.length, file).toBe(citations.length);
      records.forEach((record, i) => {
        const c = citations[i]!;
        const have = new Set(words(JSON.stringify(c)));
        for (const { path, value } of record) {
          values++;
          const rule = XML_TRANSFORMED.get(path) ?? XML_TRANSFORMED.get(path.split('/').pop()!);
          if (rule === 'structure' || (typeof rule === 'string' && rule.startsWith('not kept:'))) continue;
          const text = typeof rule === 'function' ? rule(value) : value;
          const missing = words(text).filter((w) => !have.has(w));
          if (missing.length > 0) lost.push(`${file.split('/').pop()} PMID ${c.pmid} ${path}: ${value.slice(0, 60)} (${missing.slice(0, 5).join(', ')})`);
        }
      });
    }
    expect(values).toBeGreaterThan(existsSync(XML_CORPUS) ? 200_000 : 1_000);
    if (process.env.AUDIT_DUMP) writeFileSync(process.env.AUDIT_DUMP, lost.join("\n"));
    expect(lost.slice(0, 40)).toEqual([]);
  });
});
