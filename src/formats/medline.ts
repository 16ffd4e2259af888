/**
 * MEDLINE text again: four-character tags, `- `, values wrapped at 88 columns with
 * six-space continuation lines. A citation that carries its raw fields (`raw`) is written
 * field for field, so a PubMed export round-trips tag for tag; one without them is written
 * from its typed fields in PubMed's order.
 */
import { MALFORMED_TAG } from '../core/tags.js';
import { shortFormOf } from '../citation/names.js';
import { FLATTENED_MIN_MARKERS, findTagMarkers, isBlank } from '../core/tokenizer.js';
import type { Citation, Person } from '../types.js';
import { meshNotation } from './csv.js';
import { textFormatter, type Formatter } from './formatter.js';

const WIDTH = 88;
const INDENT = '      ';

export function createMedlineFormatter(): Formatter<string> {
  // as in PubMed's exports, a blank line before every record
  return textFormatter((c) => '\n' + medlineRecord(c));
}

export function medlineRecord(c: Citation): string {
  const fields = c.raw ?? typedFields(c);
  // joined once: a string built with `+=` is a rope of a hundred pieces, flattened again when written
  const lines: string[] = [];
  for (const { tag, value } of fields) lines.push(tag === MALFORMED_TAG ? malformedLines(value) : fieldLines(tag, value));
  return lines.join('');
}

/** What the tokenizer reads as a tag line: 2–4 capitals, blanks, a dash. */
const TAG_LINE = /^[A-Z]{2,4} *-/;

/**
 * A malformed line is written back as it was. When continuation lines were joined to it
 * (`VTI` then `      - title`), the joined value may read as a tag line (`VTI - title`):
 * then its first words stay on the line, up to a space where they are not tag-shaped, and
 * the rest goes on a continuation line, which reading joins back with one space.
 */
function malformedLines(value: string): string {
  if (!TAG_LINE.test(value)) return value + '\n';
  for (let space = value.indexOf(' '); space !== -1; space = value.indexOf(' ', space + 1)) {
    const head = value.slice(0, space);
    const rest = value.slice(space + 1);
    if (!TAG_LINE.test(head) && rest.length > 0 && rest[0] !== ' ') return `${head}\n      ${rest}\n`;
  }
  return value + '\n';
}

/** `TAG - value`, wrapped only where one space separates words, so that reading joins it back exactly. */
function fieldLines(tag: string, value: string): string {
  const head = headOf(tag);
  if (value.length === 0) return `${head.trimEnd()}\n`;
  let out = '';
  let prefix = head;
  let rest = value;
  // a tag line quoting several tags would be read as a flattened record: wrap before that
  const markers = rest.indexOf('- ') === -1 ? [] : findTagMarkers(rest.slice(0, WIDTH));
  let firstMax = WIDTH - prefix.length;
  if (markers.length >= FLATTENED_MIN_MARKERS) firstMax = Math.min(firstMax, markers[FLATTENED_MIN_MARKERS - 1]!.at);
  while (prefix.length + rest.length > WIDTH || (prefix === head && firstMax < rest.length)) {
    const max = prefix === head ? firstMax : WIDTH - prefix.length;
    const cut = breakPoint(rest, max, prefix === head && max < WIDTH - prefix.length);
    if (cut === -1) break;
    out += prefix + rest.slice(0, cut) + '\n';
    rest = rest.slice(cut + 1);
    prefix = INDENT;
  }
  return out + prefix + rest + '\n';
}

/** `TAG - ` for a tag, made once per tag. */
const HEADS = new Map<string, string>();

function headOf(tag: string): string {
  let head = HEADS.get(tag);
  if (head === undefined) {
    head = tag.length >= 4 ? `${tag}- ` : `${tag.padEnd(4)}- `;
    // a run's tags are a few dozen; a file of invented ones must not grow this without end
    if (HEADS.size < 4096) HEADS.set(tag, head);
  }
  return head;
}

/**
 * The last single space at or before `max`, else (unless `strict`) the first one after
 * it; -1 if none.
 */
function breakPoint(text: string, max: number, strict = false): number {
  // reading trims white space at line ends: a break must have none around it
  const single = (i: number) => text.charCodeAt(i) === 32 && !isBlank(text.charCodeAt(i - 1)) && !isBlank(text.charCodeAt(i + 1));
  for (let i = Math.min(max, text.length - 2); i > 0; i--) if (single(i)) return i;
  if (strict) return -1;
  for (let i = max + 1; i < text.length - 1; i++) if (single(i)) return i;
  return -1;
}

type Field = { tag: string; value: string };

/** `2021-02-27T06:00` → `2021/02/27 06:00`; `2021-05-10` in YYYYMMDD fields → `20210510`. */
const slashDate = (iso: string) => iso.replace(/-/g, '/').replace('T', ' ');
const compactDate = (iso: string) => iso.replace(/-/g, '');

function fullName(p: Person): string {
  if (p.family === null) return p.given ?? '';
  let name = p.given ? `${p.family}, ${p.given}` : p.family;
  if (p.suffix) name += ` ${p.suffix}`;
  return name;
}

function shortName(p: Person): string {
  return p.shortName ?? shortFormOf(p);
}

function people(out: Field[], list: Person[], full: string, short: string, id?: string, affiliation?: string): void {
  // PubMed writes FAU before AU, but PS before FPS
  const shortFirst = short === 'PS';
  for (const p of list) {
    if (p.collective !== null) {
      out.push({ tag: 'CN', value: p.collective });
    } else {
      if (shortFirst) out.push({ tag: short, value: shortName(p) });
      // the full form when it says more than the short one: given names, or a family name
      // the short form does not repeat
      if (p.given !== null || p.shortName !== null) out.push({ tag: full, value: fullName(p) });
      if (!shortFirst) out.push({ tag: short, value: shortName(p) });
      if (id !== undefined) {
        if (p.orcid !== null) out.push({ tag: id, value: `ORCID: ${p.orcid}` });
        for (const other of p.identifiers) out.push({ tag: id, value: other });
      }
    }
    if (affiliation !== undefined) for (const a of p.affiliations) out.push({ tag: affiliation, value: a });
  }
}

/** The typed citation as MEDLINE fields, in the order PubMed writes them. */
export function typedFields(c: Citation): Field[] {
  const f: Field[] = [];
  const one = (tag: string, value: string | number | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') f.push({ tag, value: String(value) });
  };
  const many = (tag: string, values: readonly string[]) => values.forEach((v) => one(tag, v));
  one('PMID', c.pmid);
  one('OWN', c.owner);
  one('STAT', c.status);
  one('DA', c.dates.created && compactDate(c.dates.created));
  one('DCOM', c.dates.completed && compactDate(c.dates.completed));
  one('LR', c.dates.revised && compactDate(c.dates.revised));
  const issn = c.journal.issn;
  one('IS', issn.print && `${issn.print} (Print)`);
  one('IS', issn.electronic && `${issn.electronic} (Electronic)`);
  one('IS', issn.linking && `${issn.linking} (Linking)`);
  many('IS', issn.other);
  one('VI', c.volume);
  one('IP', c.issue);
  one('DP', c.published?.raw);
  one('TI', c.title);
  one('TT', c.transliteratedTitle);
  one('BTI', c.book?.title);
  one('CTI', c.book?.collectionTitle);
  one('VTI', c.book?.volumeTitle);
  one('CP', c.book?.chapter);
  one('PG', c.pages?.raw);
  one('LID', c.ids.elocation);
  one('AB', c.abstract);
  one('CI', c.copyright);
  many('OCI', c.otherCopyright);
  people(f, c.authors, 'FAU', 'AU', 'AUID', 'AD');
  if (c.authorsTruncated) one('AU', 'et al.');
  people(f, c.editors, 'FED', 'ED');
  many('LA', c.languages);
  // id/[acronym/]agency/country with every slot written, so that reading finds each part again
  for (const g of c.grants) one('GR', [g.id ?? '', ...(g.acronym ? [g.acronym] : []), g.agency ?? '', g.country ?? ''].join('/'));
  many('SI', c.secondarySources);
  many('PT', c.publicationTypes);
  one('DEP', c.dates.electronic && compactDate(c.dates.electronic));
  one('PL', c.journal.country);
  one('PB', c.book?.publisher);
  one('EN', c.book?.edition);
  many('ISBN', c.book?.isbn ?? []);
  one('CTDT', c.book?.contributionDate && compactDate(c.book.contributionDate));
  one('DRDT', c.book?.revisedDate && compactDate(c.book.revisedDate));
  one('TA', c.journal.abbreviation);
  one('JT', c.journal.title);
  one('JID', c.journal.nlmId);
  for (const ch of c.chemicals) one('RN', ch.registryNumber !== null ? `${ch.registryNumber} (${ch.name})` : ch.name);
  many('NM', c.supplementaryConcepts);
  many('SB', c.subsets);
  for (const r of c.relations) one(r.tag, r.citation);
  many('GS', c.geneSymbols);
  for (const m of c.mesh) one('MH', meshNotation(m));
  people(f, c.personsAsSubject, 'FPS', 'PS');
  one('PMC', c.ids.pmc);
  one('MID', c.ids.mid);
  one('OTO', c.keywordsOwner);
  // the major-topic mark written back as MEDLINE has it (older JSON may lack the list)
  const major = new Set(c.majorKeywords ?? []);
  many('OT', major.size === 0 ? c.keywords : c.keywords.map((k) => (major.has(k) ? `*${k}` : k)));
  many('GN', c.generalNotes);
  one('RF', c.referenceCount);
  for (const o of c.otherAbstracts) {
    one('OAB', o.text);
    one('OABL', o.language);
  }
  people(f, c.investigators, 'FIR', 'IR', undefined, 'IRAD');
  many('SFM', c.spaceFlightMissions);
  one('COIS', c.conflictOfInterest);
  one('EDAT', c.dates.entrez && slashDate(c.dates.entrez));
  one('MHDA', c.dates.mesh && slashDate(c.dates.mesh));
  one('PMCR', c.dates.pmcRelease && slashDate(c.dates.pmcRelease));
  one('CRDT', c.dates.pubmed && slashDate(c.dates.pubmed));
  for (const h of c.history) one('PHST', `${slashDate(h.date)} [${h.status}]`);
  one('AID', c.ids.pii && `${c.ids.pii} [pii]`);
  one('AID', c.ids.doi && `${c.ids.doi} [doi]`);
  one('AID', c.ids.bookAccession && `${c.ids.bookAccession} [bookaccession]`);
  one('AID', c.ids.url);
  // after the slots, so that reading puts each value back where it was
  for (const o of c.ids.other) {
    if (o.type === 'oid' || o.type === 'mid') one(o.type.toUpperCase(), o.value);
    else if (o.type === 'url' || o.type === 'unknown') one('AID', o.value);
    else if (o.type === 'elocation') one('LID', o.value);
    else one('AID', `${o.value} [${o.type}]`);
  }
  one('PST', c.publicationStatus);
  one('SO', c.source);
  // what PubMed XML gave beyond MEDLINE (`xml:Journal/ISOAbbreviation`) has no tag to be written as
  for (const [tag, values] of Object.entries(c.extra)) if (!tag.startsWith('xml:')) many(tag, values);
  return f;
}
