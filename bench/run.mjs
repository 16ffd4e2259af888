// `npm run bench [-- --size 100m|1g] [--runs N] [--formats ndjson,csv] [--skip biopython,jobs,long-line,dedupe,xml,snapshot]`
//
// Builds its input from the records of ../shared/corpus, or of fixtures/ where the corpus is
// absent (said plainly; bench/data/, not committed), then measures each step as
// a separate process, one at a time: the baseline (read + decode + count lines), tokenizing
// only, the full conversion to each format written to /dev/null, Biopython when installed,
// --jobs 2 against --jobs 1 on 8 files, one 15 MB line (under the 16 MiB bound), and PubMed XML (from ../shared/corpus-xml)
// against Biopython's Entrez. Every figure is also given as a
// ratio to the baseline measured in the same run, because these machines are shared and noisy.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeInput } from './make-input.mjs';
import { makeXmlInput } from './make-xml-input.mjs';
import { makeSnapshotInput } from './make-snapshot-input.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..');
const DATA = join(HERE, 'data');
const CORPUS = join(ROOT, '..', 'shared', 'corpus');
const SOURCE = existsSync(CORPUS) ? { dir: CORPUS, name: 'corpus' } : { dir: join(ROOT, 'fixtures', 'medline'), name: 'fixtures' };
const FORMATS = ['ndjson', 'json', 'csv', 'bibtex', 'ris', 'csl', 'medline'];

function args() {
  const out = { size: '100m', runs: 1, formats: FORMATS, skip: new Set() };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (argv[i + 1] === undefined) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--size') out.size = value();
    else if (a === '--runs') out.runs = Number(value());
    else if (a === '--formats') out.formats = value().split(',');
    else if (a === '--skip') out.skip = new Set(value().split(','));
    else throw new Error(`unknown option ${a}; see the first line of bench/run.mjs`);
  }
  return out;
}

function bytesOf(size) {
  const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(size);
  if (!m) throw new Error(`--size: expected e.g. 200m or 1g, got ${size}`);
  return Math.round(Number(m[1]) * { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2].toLowerCase()]);
}

function input(name, bytes) {
  mkdirSync(DATA, { recursive: true });
  const path = join(DATA, `${SOURCE.name}-${name}`);
  if (!existsSync(path) || statSync(path).size < bytes) {
    process.stderr.write(`building ${path} (${(bytes / 1e6).toFixed(0)} MB) from the records of ${SOURCE.dir}…\n`);
    makeInput(SOURCE.dir, path, bytes);
  }
  return path;
}

function longLineInput() {
  const path = join(DATA, 'long-line-15mb.txt');
  if (!existsSync(path)) {
    const words = ['mesenchymal', 'stromal', 'cells', 'were', 'infused', 'safely', 'in', 'severe', 'COVID-19'];
    const value = Array.from({ length: 2_200_000 }, (_, i) => words[i % words.length]).join(' ').slice(0, 15_000_000);
    writeFileSync(path, `PMID- 1\nTI  - One very long abstract\nAB  - ${value}\n`);
  }
  return path;
}

const python = ['python3', '/usr/bin/python3'].find(
  (p) => spawnSync(p, ['-c', 'import Bio.Medline'], { stdio: 'ignore' }).status === 0,
);

/** Runs a command with stdout to /dev/null; resolves wall time and the peak RSS it reported. */
function measure(command, argv) {
  return new Promise((resolve, reject) => {
    const devnull = openSync('/dev/null', 'w');
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', devnull, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /BENCH_PEAK_RSS (\d+)/.exec(stderr);
      const cpu = /BENCH_CPU ([\d.]+)/.exec(stderr);
      if (code !== 0) return reject(new Error(`${command} ${argv.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`));
      resolve({ seconds, rss: rss ? Number(rss[1]) : null, cpu: cpu ? Number(cpu[1]) : null });
    });
  });
}

async function best(runs, command, argv) {
  let result = null;
  for (let i = 0; i < runs; i++) {
    const r = await measure(command, argv);
    if (result === null || r.seconds < result.seconds) result = { ...r, rss: Math.max(r.rss ?? 0, result?.rss ?? 0) };
  }
  return result;
}

const node = (script, ...rest) => [process.execPath, ['--import', join(HERE, 'rss.mjs'), script, ...rest]];
const cli = (...rest) => node(join(ROOT, 'bin', 'medline.js'), ...rest, '--quiet');

const opts = args();
const target = bytesOf(opts.size);
const file = input(`input-${opts.size}.txt`, target);
const size = statSync(file).size;
const records = Number(spawnSync(process.execPath, [join(HERE, 'tokenize.mjs'), file], { encoding: 'utf8' }).stdout.trim());

const rows = [];
const run = async (name, [command, argv], comparedTo, mb = size, count = records) => {
  process.stderr.write(`  ${name}…\n`);
  const r = { ...(await best(opts.runs, command, argv)), name, mb, count, comparedTo };
  rows.push(r);
  return r;
};

process.stderr.write(`input: ${file}, ${(size / 1e6).toFixed(1)} MB, ${records.toLocaleString('en-US')} records; ${cpus().length} cores, node ${process.version}\n`);
const baseline = await run('baseline: read + decode UTF-8 + count lines', node(join(HERE, 'baseline.mjs'), file));
await run('tokenize to raw records', node(join(HERE, 'tokenize.mjs'), file), 'parse');
for (const format of opts.formats) await run(`convert --to ${format}`, cli(file, '--to', format, '--jobs', '1'), 'json');
// what users run: no --jobs flag at all
if (opts.formats.includes('ndjson')) await run('convert --to ndjson, default settings', [process.execPath, ['--import', join(HERE, 'rss.mjs'), join(ROOT, 'bin', 'medline.js'), file, '--to', 'ndjson', '--quiet']], 'json');
const bio = {};
if (python && !opts.skip.has('biopython')) {
  bio.parse = await run('Biopython Medline.parse (untyped dicts)', [python, [join(HERE, 'biopython.py'), 'parse', file]]);
  bio.json = await run('Biopython Medline.parse + json.dumps', [python, [join(HERE, 'biopython.py'), 'json', file]]);
}

let jobs = null;
let jobsMemory = null;
if (!opts.skip.has('jobs')) {
  const parts = Array.from({ length: 8 }, (_, i) => input(`part-${opts.size}-${i + 1}.txt`, Math.ceil(target / 8)));
  const partsSize = parts.reduce((n, p) => n + statSync(p).size, 0);
  const one = await run('8 files --to ndjson --jobs 1', cli(...parts, '--to', 'ndjson', '--jobs', '1'), null, partsSize, null);
  const two = await run('8 files --to ndjson --jobs 2', cli(...parts, '--to', 'ndjson', '--jobs', '2'), null, partsSize, null);
  jobs = one.seconds / two.seconds;
  jobsMemory = two.rss !== null && one.rss !== null ? two.rss / one.rss : null;
}

let longLine = null;
if (!opts.skip.has('long-line')) {
  const path = longLineInput();
  longLine = await run('one 15 MB line --to ndjson', cli(path, '--to', 'ndjson'), null, statSync(path).size, 1);
}

let xml = null;
const XML_CORPUS = join(ROOT, '..', 'shared', 'corpus-xml');
if (!opts.skip.has('xml')) {
  const source = existsSync(XML_CORPUS) ? XML_CORPUS : join(ROOT, 'fixtures', 'xml');
  const path = join(DATA, `${source === XML_CORPUS ? 'corpus' : 'fixtures'}-xml-input-${opts.size}.xml`);
  // the record count is kept beside the input, which is built once
  if (!existsSync(path) || statSync(path).size < target || !existsSync(`${path}.count`)) {
    process.stderr.write(`building ${path} from the PubMed XML records of ${source}…\n`);
    mkdirSync(DATA, { recursive: true });
    writeFileSync(`${path}.count`, String(makeXmlInput(source, path, target)));
  }
  const count = Number(readFileSync(`${path}.count`, 'utf8'));
  const xmlSize = statSync(path).size;
  xml = { source, ours: await run('PubMed XML --to ndjson --jobs 1', cli(path, '--to', 'ndjson', '--jobs', '1'), null, xmlSize, count) };
  if (python && !opts.skip.has('biopython')) xml.bio = await run('Biopython Entrez.read + json.dumps (XML)', [python, [join(HERE, 'biopython.py'), 'xml', path]], null, xmlSize, count);
}

// all of PubMed, small: a baseline and updates made from corpus-xml (issue 22's floors)
let snapshot = null;
if (!opts.skip.has('snapshot')) {
  const dir = join(DATA, 'snapshot-bench');
  const source = existsSync(XML_CORPUS) ? XML_CORPUS : join(ROOT, 'fixtures', 'xml');
  if (!existsSync(join(dir, 'pubmed26n0025.xml.gz'))) {
    process.stderr.write(`building ${dir}: 20 baseline and 5 update files from ${source}…\n`);
    makeSnapshotInput(source, dir, { baseline: 20, updates: 5, perFile: 800 });
  }
  const files = Array.from({ length: 25 }, (_, i) => join(dir, `pubmed26n${String(i + 1).padStart(4, '0')}.xml.gz`));
  const onDisk = files.reduce((n, f) => n + statSync(f).size, 0);
  // the steps compared take turns, round after round (A B C … A B C …): a slow spell of this
  // shared machine falls on all of them, not on whichever ran then; each keeps its median
  const pairOf = (half) => cli(...half, '--to', 'ndjson', '--jobs', '1');
  const steps = [
    ['25 XML files --to ndjson --jobs 1', cli(...files, '--to', 'ndjson', '--jobs', '1')],
    ['25 XML files --latest --jobs 1', cli('--latest', ...files, '--to', 'ndjson', '--jobs', '1')],
    ['25 XML files --latest --jobs 2', cli('--latest', ...files, '--to', 'ndjson', '--jobs', '2')],
    // what two cores can give this work at all: the same conversion with --jobs 2, and two
    // --jobs 1 processes at once over half the files each (no --latest: it needs them all)
    ['25 XML files --to ndjson --jobs 2', cli(...files, '--to', 'ndjson', '--jobs', '2')],
    ['two --jobs 1 processes at once, 13 and 12 of the files', null],
    // --out-dir converts each input in a run of its own, the worker threads kept from one to the next
    ['25 XML files --latest --out-dir --jobs 2', cli('--latest', ...files, '--out-dir', join(DATA, 'snapshot-out-dir'), '--jobs', '2')],
    ['25 XML files --latest --compact --jobs 1', cli('--latest', ...files, '--to', 'ndjson', '--compact', '--jobs', '1')],
  ];
  const times = steps.map(() => []);
  for (let round = 0; round < Math.max(3, opts.runs); round++) {
    for (const [i, [name, command]] of steps.entries()) {
      process.stderr.write(`  ${name} (round ${round + 1})…\n`);
      // each --out-dir run starts from an empty folder (else it skips the inputs done)
      rmSync(join(DATA, 'snapshot-out-dir'), { recursive: true, force: true });
      if (command !== null) times[i].push(await measure(...command));
      else {
        const started = process.hrtime.bigint();
        const done = await Promise.all([pairOf(files.slice(0, 13)), pairOf(files.slice(13))].map((c) => measure(...c)));
        times[i].push({ seconds: Number(process.hrtime.bigint() - started) / 1e9, rss: null, cpu: done.reduce((n, r) => n + (r.cpu ?? 0), 0) });
      }
    }
  }
  const median = (list) => {
    const sorted = [...list].sort((x, y) => x.seconds - y.seconds);
    return { ...sorted[Math.floor(sorted.length / 2)], rss: Math.max(...list.map((r) => r.rss ?? 0)) || null };
  };
  const [plain, latest, latestTwo, plainTwo, pair, outDirTwo, compactRun] = steps.map(([name], i) => {
    const r = { ...median(times[i]), name: `${name} (median of ${times[i].length}, in turns)`, mb: onDisk, count: null, comparedTo: null };
    rows.push(r);
    return r;
  });
  // output size, full and compact
  const out = join(DATA, 'snapshot-bench.ndjson');
  spawnSync(process.execPath, [join(ROOT, 'bin', 'medline.js'), '--latest', ...files, '-o', out, '-q']);
  const full = statSync(out).size;
  spawnSync(process.execPath, [join(ROOT, 'bin', 'medline.js'), '--latest', ...files, '-o', out, '--compact', '-q']);
  const compact = statSync(out).size;
  process.stderr.write('  --latest index, 40 million PMIDs…\n');
  const index = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, join(HERE, 'latest-index.mjs'), '40000000'], { encoding: 'utf8' });
  const indexPeak = Number(index.stderr.trim().split('\n').pop()) * 1024;
  snapshot = { plain, latest, latestTwo, plainTwo, pair, outDirTwo, full, compact, compactRun, indexPeak: Number.isFinite(indexPeak) ? indexPeak : null };
}

let dedupe = null;
if (!opts.skip.has('dedupe')) {
  process.stderr.write('  --dedupe index, 10 million PMIDs…\n');
  const [n, seconds, grown, perRecord] = spawnSync(process.execPath, [join(HERE, 'dedupe.mjs'), '10000000'], { encoding: 'utf8' }).stdout.trim().split(' ');
  dedupe = { n: Number(n), seconds: Number(seconds), mb: Number(grown) / 1e6, perRecord: Number(perRecord) };
}

// ---- report ------------------------------------------------------------------------
const mbps = (r) => r.mb / 1e6 / r.seconds;
const cell = (s, w, right = true) => (right ? String(s).padStart(w) : String(s).padEnd(w));
const lines = [];
lines.push(`| step | s | MB/s | records/s | peak RSS MB | time vs baseline | vs Biopython |`);
lines.push(`|---|---:|---:|---:|---:|---:|---:|`);
for (const r of rows) {
  const vsBase = r.mb === size ? `${(r.seconds / baseline.seconds).toFixed(2)}×` : '';
  const ref = r.comparedTo === 'parse' ? bio.parse : r.comparedTo === 'json' ? bio.json : null;
  const vsBio = ref ? `${(ref.seconds / r.seconds).toFixed(2)}× faster` : '';
  const recs = r.count ? Math.round(r.count / r.seconds).toLocaleString('en-US') : '';
  lines.push(
    `| ${r.name} | ${r.seconds.toFixed(2)} | ${mbps(r).toFixed(1)} | ${recs} | ${r.rss ? (r.rss / 1e6).toFixed(0) : '?'} | ${vsBase} | ${vsBio} |`,
  );
}
if (SOURCE.name !== 'corpus') console.log(`\nNOTE: ${CORPUS} not found: the input is built from fixtures/ only, which under-weighs large records; figures are not comparable with the corpus-built ones.`);
console.log(`\nInput: ${(size / 1e6).toFixed(1)} MB, ${records.toLocaleString('en-US')} records built from ${SOURCE.name === 'corpus' ? '../shared/corpus' : 'fixtures/'} (${opts.size}); node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}); best of ${opts.runs}.\n`);
console.log(lines.join('\n'));
if (dedupe !== null) {
  console.log(`\n--dedupe index: ${dedupe.n.toLocaleString('en-US')} distinct PMIDs in ${dedupe.seconds.toFixed(2)} s, ${dedupe.mb.toFixed(0)} MB (${dedupe.perRecord} bytes a record).`);
}

// ---- targets (the speed issue: floors; ratios to Biopython parse + json.dumps, same run) ----
const find = (name) => rows.find((r) => r.name === name);
const checks = [];
const check = (what, ok, figure) => checks.push(`${ok ? 'MET   ' : 'MISSED'}  ${what}: ${figure}`);
const ratio = (r) => (bio.json ? bio.json.seconds / r.seconds : null);
if (bio.json) {
  const nd = find('convert --to ndjson');
  if (nd) check('--to ndjson --jobs 1 ≥ 0.9× Biopython (goal 1.2×)', ratio(nd) >= 0.9, `${ratio(nd).toFixed(2)}×`);
  const ndDefault = find('convert --to ndjson, default settings');
  if (ndDefault) check('--to ndjson, default settings (2 cores) ≥ 1.5× Biopython (goal 2×)', ratio(ndDefault) >= 1.5, `${ratio(ndDefault).toFixed(2)}×`);
  for (const format of opts.formats.filter((f) => f !== 'ndjson')) {
    const r = find(`convert --to ${format}`);
    if (r) check(`--to ${format} --jobs 1 ≥ 0.8× Biopython (goal 1×)`, ratio(r) >= 0.8, `${ratio(r).toFixed(2)}×`);
  }
} else {
  checks.push(opts.skip.has('biopython') ? 'skip    Biopython comparisons: --skip biopython' : 'skip    Biopython comparisons: Biopython is not installed (apt-get install python3-biopython)');
}
const converts = rows.filter((r) => r.name.startsWith('convert --to') && !r.name.includes('default'));
const worst = Math.max(...converts.map((r) => r.rss ?? 0));
if (size >= 0.35e9) check(`peak RSS --jobs 1 < 100 MB at ${(size / 1e6).toFixed(0)} MB (goal 80)`, worst < 100e6, `${(worst / 1e6).toFixed(0)} MB, worst format`);
else checks.push(`info    peak RSS --jobs 1, worst format, ${(size / 1e6).toFixed(0)} MB input: ${(worst / 1e6).toFixed(0)} MB (the floor, < 100 MB, is for 400 MB and 1 GB: --size 400m, --size 1g)`);
if (jobs !== null) check('--jobs 2 ≥ 1.6× --jobs 1 on 8 files (goal 1.8×)', jobs >= 1.6, `${jobs.toFixed(2)}×`);
if (jobsMemory !== null) check('--jobs 2 uses at most twice the memory of --jobs 1 (8 files)', jobsMemory <= 2, `${jobsMemory.toFixed(2)}×`);
const ndDefaultRow = find('convert --to ndjson, default settings');
if (ndDefaultRow?.rss != null) {
  if (size >= 0.35e9) check(`peak RSS, default settings < 200 MB at ${(size / 1e6).toFixed(0)} MB (goal 150)`, ndDefaultRow.rss < 200e6, `${(ndDefaultRow.rss / 1e6).toFixed(0)} MB`);
  else checks.push(`info    peak RSS, default settings, ${(size / 1e6).toFixed(0)} MB input: ${(ndDefaultRow.rss / 1e6).toFixed(0)} MB (the floor, < 200 MB, is for 400 MB: --size 400m)`);
}
if (longLine !== null) {
  const perMb = longLine.seconds / (longLine.mb / 1e6);
  const nd = find('convert --to ndjson');
  const normal = nd ? nd.seconds / (size / 1e6) : null;
  check('a 15 MB line in linear time (s per MB within 3× of normal input)', normal === null || perMb <= 3 * normal, `${perMb.toFixed(4)} s/MB vs ${normal?.toFixed(4)} s/MB`);
}
if (xml !== null) {
  if (xml.bio) check('PubMed XML --to ndjson ≥ 2× Biopython Entrez + json.dumps', xml.bio.seconds / xml.ours.seconds >= 2, `${(xml.bio.seconds / xml.ours.seconds).toFixed(2)}×`);
  check(`PubMed XML --to ndjson --jobs 1: peak RSS < 100 MB (${(xml.ours.mb / 1e6).toFixed(0)} MB of XML${xml.source === XML_CORPUS ? '' : ', from fixtures/xml only'})`, (xml.ours.rss ?? Infinity) < 100e6, `${((xml.ours.rss ?? 0) / 1e6).toFixed(0)} MB`);
}
if (snapshot !== null) {
  const { plain, latest, latestTwo, plainTwo, pair, outDirTwo, full, compact, compactRun, indexPeak } = snapshot;
  check('--latest costs ≤ 10% over the same conversion (25 files, --jobs 1)', latest.seconds <= plain.seconds * 1.1, `${(latest.seconds / plain.seconds).toFixed(3)}×`);
  check('--latest --jobs 2 ≥ 1.7× --jobs 1 over 25 files', latest.seconds / latestTwo.seconds >= 1.7, `${(latest.seconds / latestTwo.seconds).toFixed(2)}×`);
  checks.push(
    `info    what 2 cores give this work: two --jobs 1 processes at once on half the files each ${(plain.seconds / pair.seconds).toFixed(2)}× one over all; --jobs 2 (no --latest) ${(plain.seconds / plainTwo.seconds).toFixed(2)}×; ` +
      `--jobs 1 keeps ${plain.cpu !== null ? (plain.cpu / plain.seconds).toFixed(2) : '?'} cores busy (GC, gunzip and compiler threads), the pair ${(pair.cpu / pair.seconds).toFixed(2)}`,
  );
  checks.push(`info    --latest --out-dir --jobs 2 (an output per input): ${(outDirTwo.seconds / latestTwo.seconds).toFixed(2)}× the time of one output`);
  check('--latest --jobs 1: peak RSS < 110 MB', (latest.rss ?? Infinity) < 110e6, `${((latest.rss ?? 0) / 1e6).toFixed(0)} MB`);
  if (indexPeak !== null) check('--latest index of 40 M PMIDs: peak RSS < 250 MB', indexPeak < 250e6, `${(indexPeak / 1e6).toFixed(0)} MB`);
  checks.push(`info    --compact: ${((100 * compact) / full).toFixed(0)}% of the NDJSON bytes (${(full / 1e6).toFixed(0)} → ${(compact / 1e6).toFixed(0)} MB), ${(compactRun.seconds / latest.seconds).toFixed(2)}× the time`);
}
console.log('\nTargets:\n' + checks.map((c) => '  ' + c).join('\n'));
