/**
 * RawRecord → Citation. A table of tag handlers does the mapping; tags without a handler,
 * and repeats of tags that may appear once, go to `extra`, so nothing is lost.
 */
import { TAG_INFO, MALFORMED_TAG } from '../core/tags.js';
import type { Citation, Diagnostic, DiagnosticCode, Person, RawField, RawRecord, XmlOnly } from '../types.js';
import { splitAbstract } from './abstract.js';
import { isoDate, parseHistory, parsePublicationDate } from './dates.js';
import { addIdentifier, emptyIdentifiers, parseArticleId } from './identifiers.js';
import { parseChemical, parseGrant, parseMesh, parseRelation, RELATION_TYPES } from './indexing.js';
import { emptyPerson, initialsOf, mergeShortName, parseFullName, parseOrcid, parseShortName, settleShortName } from './names.js';
import { parsePages } from './pages.js';

export interface CitationOptions {
  /** Attach the ordered list of every input tag and value as `raw`. */
  readonly raw?: boolean;
}

/** Receives each problem found while mapping, with the field it concerns. */
export type MappingReport = (code: DiagnosticCode, message: string, field: RawField) => void;

export function emptyCitation(): Citation {
  return {
    pmid: null,
    title: null,
    transliteratedTitle: null,
    abstract: null,
    abstractSections: [],
    otherAbstracts: [],
    authors: [],
    authorsTruncated: false,
    investigators: [],
    editors: [],
    personsAsSubject: [],
    journal: {
      title: null,
      abbreviation: null,
      nlmId: null,
      country: null,
      issn: { print: null, electronic: null, linking: null, other: [] },
    },
    volume: null,
    issue: null,
    pages: null,
    published: null,
    ids: emptyIdentifiers(),
    languages: [],
    publicationTypes: [],
    keywords: [],
    majorKeywords: [],
    keywordsOwner: null,
    mesh: [],
    grants: [],
    chemicals: [],
    supplementaryConcepts: [],
    geneSymbols: [],
    secondarySources: [],
    generalNotes: [],
    subsets: [],
    spaceFlightMissions: [],
    referenceCount: null,
    references: [],
    history: [],
    dates: {
      electronic: null,
      completed: null,
      revised: null,
      created: null,
      entrez: null,
      mesh: null,
      pubmed: null,
      pmcRelease: null,
    },
    relations: [],
    status: null,
    owner: null,
    publicationStatus: null,
    copyright: null,
    otherCopyright: [],
    conflictOfInterest: null,
    source: null,
    book: null,
    extra: {},
  };
}

export type PersonList = 'authors' | 'investigators' | 'editors' | 'personsAsSubject';

/** The tags that make up one list of people; one mechanism serves all four lists, read from text and written from XML. */
export interface PersonGroup {
  readonly list: PersonList;
  readonly full: string;
  readonly short: string;
  readonly id?: string;
  readonly affiliation?: string;
  readonly collective?: string;
  /** Which form of a name PubMed writes first: FAU then AU, but PS then FPS. */
  readonly first: 'full' | 'short';
}

const PERSON_LISTS: readonly PersonList[] = ['authors', 'investigators', 'editors', 'personsAsSubject'];

export const PERSON_GROUPS: readonly PersonGroup[] = [
  { list: 'authors', full: 'FAU', short: 'AU', id: 'AUID', affiliation: 'AD', collective: 'CN', first: 'full' },
  { list: 'investigators', full: 'FIR', short: 'IR', affiliation: 'IRAD', first: 'full' },
  { list: 'editors', full: 'FED', short: 'ED', first: 'full' },
  { list: 'personsAsSubject', full: 'FPS', short: 'PS', first: 'short' },
];

interface Pairable {
  readonly group: PersonGroup;
  readonly person: Person;
  readonly from: 'full' | 'short';
}

class CitationBuilder {
  readonly c = emptyCitation();
  /** The person made by the previous field, waiting for the other form of its name. */
  pairable: Pairable | null = null;
  /** A person made by this field, pairable with the next one. */
  madePairable: Pairable | null = null;
  /** Affiliations not next to any person of their group, placed once all are read. */
  readonly strayAffiliations: Array<{ group: PersonGroup; value: string; tag: string }> = [];
  /** Group of the previous field, for affiliations and ids that follow their person. */
  previousGroup: PersonGroup | null = null;
  constructor(readonly report: MappingReport) {}

  keepExtra(tag: string, value: string): void {
    (this.c.extra[tag] ??= []).push(value);
  }

  book() {
    return (this.c.book ??= emptyBook());
  }
}

/** A book with nothing known yet: made when a record has a book field. */
export function emptyBook(): NonNullable<Citation['book']> {
  return { title: null, collectionTitle: null, volumeTitle: null, chapter: null, publisher: null, institution: null, edition: null, isbn: [], contributionDate: null, revisedDate: null };
}

type Handler = (b: CitationBuilder, value: string, field: RawField) => void;

const text =
  (set: (c: Citation, v: string) => void): Handler =>
  (b, v) =>
    set(b.c, v);

/** A machine date (`20210510`, `2021/02/27 06:00`) as ISO; one that is not a date goes to `extra`. */
const isoField =
  (set: (b: CitationBuilder, iso: string) => void): Handler =>
  (b, v, f) => {
    const iso = isoDate(v);
    if (iso === null) {
      b.report('UNPARSED_VALUE', `${f.tag} "${v}" is not a date; kept in extra.${f.tag}`, f);
      b.keepExtra(f.tag, v);
    } else {
      set(b, iso);
    }
  };

const date = (key: keyof Citation['dates']): Handler => isoField((b, iso) => (b.c.dates[key] = iso));
const bookDate = (key: 'contributionDate' | 'revisedDate'): Handler => isoField((b, iso) => (b.book()[key] = iso));

const ISSN_TYPES: ReadonlyMap<string, 'print' | 'electronic' | 'linking'> = new Map([
  ['print', 'print'],
  ['electronic', 'electronic'],
  ['linking', 'linking'],
]);

const addIssn: Handler = (b, v) => {
  const issn = b.c.journal.issn;
  let m = /^(\S+)\s*\(([^)]+)\)$/.exec(v);
  const type = m ? ISSN_TYPES.get(m[2]!.toLowerCase()) : undefined;
  if (m && type !== undefined && issn[type] === null) {
    issn[type] = m[1]!;
    return;
  }
  // ERIC writes `ISSN - EISSN-2375-5636` and `ISSN - ISSN-1042-1629`, and `EISSN-` for none:
  // a label with no number is no identifier (kept in extra, as text)
  if (/^E?ISSN[- ]?$/.test(v)) {
    b.keepExtra('ISSN', v);
    return;
  }
  m = /^(E?)ISSN[- ](.+)$/.exec(v);
  if (m) {
    const key = m[1] ? 'electronic' : 'print';
    if (issn[key] === null) issn[key] = m[2]!.trim();
    else issn.other.push(v);
    return;
  }
  issn.other.push(v);
};

/**
 * OT: a plain term; MEDLINE's `*` before it marks a major topic, kept in `majorKeywords`.
 * A star with no term (`OT  - *`) is no keyword: kept in `extra.OT`.
 */
const keyword: Handler = (b, v) => {
  if (v.charCodeAt(0) !== 0x2a) return void b.c.keywords.push(v);
  const term = v.slice(1).trim();
  if (term === '') return b.keepExtra('OT', v);
  b.c.keywords.push(term);
  b.c.majorKeywords.push(term);
};

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['PMID', text((c, v) => (c.pmid = v))],
  ['TI', text((c, v) => (c.title = v))],
  ['TT', text((c, v) => (c.transliteratedTitle = v))],

  [
    'AB',
    text((c, v) => {
      c.abstract = v;
      c.abstractSections = splitAbstract(v);
    }),
  ],
  ['OAB', text((c, v) => c.otherAbstracts.push({ text: v, language: null }))],
  [
    'OABL',
    (b, v, f) => {
      const last = b.c.otherAbstracts[b.c.otherAbstracts.length - 1];
      if (last !== undefined && last.language === null) last.language = v;
      else b.keepExtra(f.tag, v);
    },
  ],
  ['CI', text((c, v) => (c.copyright = v))],
  ['OCI', text((c, v) => c.otherCopyright.push(v))],
  ['COIS', text((c, v) => (c.conflictOfInterest = v))],
  ['VI', text((c, v) => (c.volume = v))],
  ['IP', text((c, v) => (c.issue = v))],
  ['PG', text((c, v) => (c.pages = parsePages(v)))],
  [
    'DP',
    (b, v, f) => {
      const published = parsePublicationDate(v);
      if (published.year === null) b.report('UNPARSED_VALUE', `publication date "${v}" has no year`, f);
      b.c.published = published;
    },
  ],
  ['TA', text((c, v) => (c.journal.abbreviation = v))],
  ['JT', text((c, v) => (c.journal.title = v))],
  ['JID', text((c, v) => (c.journal.nlmId = v))],
  ['PL', text((c, v) => (c.journal.country = v))],
  ['IS', addIssn],
  ['ISSN', addIssn],
  ['PST', text((c, v) => (c.publicationStatus = v))],
  ['SO', text((c, v) => (c.source = v))],
  ['STAT', text((c, v) => (c.status = v))],
  ['OWN', text((c, v) => (c.owner = v))],
  ['LA', text((c, v) => c.languages.push(v))],
  ['PT', text((c, v) => c.publicationTypes.push(v))],
  ['OT', keyword],
  ['OTO', text((c, v) => (c.keywordsOwner = v))],
  ['MH', text((c, v) => c.mesh.push(...parseMesh(v)))],
  ['GR', text((c, v) => c.grants.push(parseGrant(v)))],
  ['RN', text((c, v) => c.chemicals.push(parseChemical(v)))],
  ['NM', text((c, v) => c.supplementaryConcepts.push(v))],
  ['GS', text((c, v) => c.geneSymbols.push(v))],
  ['SI', text((c, v) => c.secondarySources.push(v))],
  ['GN', text((c, v) => c.generalNotes.push(v))],
  ['SB', text((c, v) => c.subsets.push(v))],
  ['SFM', text((c, v) => c.spaceFlightMissions.push(v))],
  [
    'RF',
    (b, v, f) => {
      if (/^\d+$/.test(v)) b.c.referenceCount = Number(v);
      else {
        b.report('UNPARSED_VALUE', `number of references "${v}" is not a number; kept in extra.RF`, f);
        b.keepExtra(f.tag, v);
      }
    },
  ],
  ['PMC', text((c, v) => addIdentifier(c.ids, 'pmc', v))],
  ['MID', text((c, v) => addIdentifier(c.ids, 'mid', v))],
  ['OID', text((c, v) => addIdentifier(c.ids, 'oid', v))],
  [
    'AID',
    text((c, v) => {
      const id = parseArticleId(v, 'AID');
      addIdentifier(c.ids, id.type, id.value);
    }),
  ],
  [
    'LID',
    text((c, v) => {
      const id = parseArticleId(v, 'LID');
      addIdentifier(c.ids, id.type, id.value);
    }),
  ],
  ['DEP', date('electronic')],
  ['DCOM', date('completed')],
  ['LR', date('revised')],
  ['DA', date('created')],
  ['EDAT', date('entrez')],
  ['MHDA', date('mesh')],
  ['CRDT', date('pubmed')],
  ['PMCR', date('pmcRelease')],
  [
    'PHST',
    (b, v, f) => {
      const h = parseHistory(v);
      if (h === null) {
        b.report('UNPARSED_VALUE', `history date "${v}" is not "date [status]"; kept in extra.PHST`, f);
        b.keepExtra(f.tag, v);
      } else {
        b.c.history.push(h);
      }
    },
  ],
  ['BTI', (b, v) => (b.book().title = v)],
  ['CTI', (b, v) => (b.book().collectionTitle ??= v)],
  ['VTI', (b, v) => (b.book().volumeTitle = v)],
  ['CP', (b, v) => (b.book().chapter = v)],
  ['PB', (b, v) => (b.book().publisher = v)],
  ['EN', (b, v) => (b.book().edition = v)],
  ['ISBN', (b, v) => b.book().isbn.push(v.replace(/^ISBN[- ]?/i, ''))],
  ['CTDT', bookDate('contributionDate')],
  ['DRDT', bookDate('revisedDate')],
  ...[...RELATION_TYPES.keys()].map((tag): [string, Handler] => [
    tag,
    text((c, v) => c.relations.push(parseRelation(tag, v))),
  ]),
  ...PERSON_GROUPS.flatMap(personHandlers),
]);

function personHandlers(group: PersonGroup): Array<[string, Handler]> {
  const list = (b: CitationBuilder) => b.c[group.list];
  const handlers: Array<[string, Handler]> = [
    [
      group.full,
      (b, v) => {
        const p = b.pairable;
        if (p !== null && p.group === group && p.from === 'short' && group.first === 'short') {
          // `PS - Cushing H` then `FPS - Cushing, Harvey`: the same person
          const full = parseFullName(v);
          p.person.family = full.family;
          p.person.given = full.given;
          p.person.suffix ??= full.suffix;
          p.person.initials ??= full.initials;
          return;
        }
        const person = parseFullName(v);
        list(b).push(person);
        b.madePairable = { group, person, from: 'full' };
      },
    ],
    [
      group.short,
      (b, v) => {
        const p = b.pairable;
        if (p !== null && p.group === group && p.from === 'full' && group.first === 'full') {
          mergeShortName(p.person, v);
          return;
        }
        if (group.list === 'authors' && /^et\.? al\.?$/i.test(v)) {
          b.c.authorsTruncated = true;
          return;
        }
        const person = parseShortName(v);
        list(b).push(person);
        b.madePairable = { group, person, from: 'short' };
      },
    ],
  ];
  if (group.collective !== undefined) {
    handlers.push([
      group.collective,
      (b, v) => {
        const person = emptyPerson();
        person.collective = v;
        list(b).push(person);
      },
    ]);
  }
  if (group.id !== undefined) {
    handlers.push([
      group.id,
      (b, v, f) => {
        const person = lastPerson(b, group);
        if (person === undefined) return b.keepExtra(f.tag, v);
        const orcid = parseOrcid(v);
        if (orcid !== null && person.orcid === null) person.orcid = orcid;
        else person.identifiers.push(v);
      },
    ]);
  }
  if (group.affiliation !== undefined) {
    handlers.push([
      group.affiliation,
      (b, v, f) => {
        if (b.previousGroup === group && lastPerson(b, group) !== undefined) {
          lastPerson(b, group)!.affiliations.push(v);
        } else {
          // an affiliation away from any author is the first author's (MEDLINE before 2014);
          // in old records it comes before the author list, so it is placed at the end
          b.strayAffiliations.push({ group, value: v, tag: f.tag });
        }
      },
    ]);
  }
  return handlers;
}

function lastPerson(b: CitationBuilder, group: PersonGroup): Person | undefined {
  const people = b.c[group.list];
  return people[people.length - 1];
}

const GROUP_OF_TAG: ReadonlyMap<string, PersonGroup> = new Map(
  PERSON_GROUPS.flatMap((g) =>
    [g.full, g.short, g.id, g.affiliation, g.collective]
      .filter((t): t is string => t !== undefined)
      .map((t): [string, PersonGroup] => [t, g]),
  ),
);

/** What the mapping needs to know of a tag, found with one look-up per field. */
interface TagRule {
  readonly handler: Handler | null;
  /** May appear once: a repeat goes to `extra`. */
  readonly single: boolean;
  readonly group: PersonGroup | null;
}

const RULES: ReadonlyMap<string, TagRule> = new Map(
  [...new Set([...HANDLERS.keys(), ...TAG_INFO.keys(), ...GROUP_OF_TAG.keys()])].map((tag): [string, TagRule] => [
    tag,
    {
      handler: HANDLERS.get(tag) ?? null,
      single: TAG_INFO.get(tag)?.repeats === false,
      group: GROUP_OF_TAG.get(tag) ?? null,
    },
  ]),
);

const NO_RULE: TagRule = { handler: null, single: false, group: null };

/** `toCitation`, its problems given as diagnostics (warnings, with the field's place and the record's PMID). */
export function toCitationWithDiagnostics(record: RawRecord, onDiagnostic: (d: Diagnostic) => void, options: CitationOptions = {}): Citation {
  return toCitation(
    record,
    (code, message, field) => onDiagnostic({ code, severity: 'warning', message, line: field.line, column: field.column, pmid: record.pmid }),
    options,
  );
}

/** Maps one raw record to a typed citation; problems go to `report`. */
/** An ERIC journal article: typed `Journal Articles`, or numbered EJ (ERIC's journal series). */
export function isEricJournalArticle(c: Citation): boolean {
  return (
    c.publicationTypes.some((t) => t.toLowerCase() === 'journal articles') || c.ids.other.some((o) => o.type === 'oid' && /^EJ\d/.test(o.value))
  );
}

/**
 * ERIC writes the publisher of a report, book or thesis in JT, where PubMed writes the
 * journal: only a record typed `Journal Articles` has a journal. A thesis names its school
 * in SO (`Ph.D. Dissertation, Drexel University`).
 */
function ericWork(b: CitationBuilder): void {
  const c = b.c;
  if (isEricJournalArticle(c)) return;
  const types = c.publicationTypes.map((t) => t.toLowerCase());
  if (c.journal.title !== null) {
    b.book().publisher ??= c.journal.title;
    c.journal.title = null;
  }
  if (types.some((t) => /dissertation|thes[ie]s/.test(t)) && c.source !== null) {
    const school = /^[^,]*(?:dissertation|thesis)[^,]*,\s*(.+?)\.?$/i.exec(c.source)?.[1];
    if (school) b.book().institution = school;
  }
}

export function toCitation(record: RawRecord, report: MappingReport, options: CitationOptions = {}): Citation {
  const b = new CitationBuilder(report);
  const seen = new Set<string>();
  for (const field of record.fields) {
    const { tag, value } = field;
    const rule = tag === MALFORMED_TAG ? NO_RULE : (RULES.get(tag) ?? NO_RULE);
    // the two forms of a name stand on adjacent lines: pairing reaches one field only
    b.pairable = b.madePairable;
    b.madePairable = null;
    if (value.length > 0) {
      if (rule.handler === null) {
        b.keepExtra(tag, value);
      } else if (rule.single && seen.has(tag)) {
        report('REPEATED_TAG', `${tag} appears more than once; the repeat is kept in extra.${tag}`, field);
        b.keepExtra(tag, value);
      } else {
        if (rule.single) seen.add(tag);
        rule.handler(b, value, field);
      }
    }
    b.previousGroup = rule.group;
  }
  // a full name with no short form after it: initials from the given names
  for (const list of PERSON_LISTS) {
    for (const p of b.c[list]) {
      if (p.initials === null && p.given !== null) p.initials = initialsOf(p.given);
      settleShortName(p);
    }
  }
  for (const stray of b.strayAffiliations) {
    const first = b.c[stray.group.list][0];
    if (first !== undefined) first.affiliations.push(stray.value);
    else b.keepExtra(stray.tag, stray.value);
  }
  const c = b.c;
  if (c.owner === 'ERIC') ericWork(b);
  if (c.pmid === null && !hasAnyId(c) && record.fields.length > 0) {
    report('NO_PMID', 'record has no PMID and no other identifier', record.fields[0]!);
  }
  if (record.xml !== undefined) applyXmlOnly(c, record.xml);
  if (options.raw) c.raw = record.fields.map((f) => ({ tag: f.tag, value: f.value }));
  return c;
}

function hasAnyId(c: Citation): boolean {
  const ids = c.ids;
  return (
    ids.doi !== null || ids.pmc !== null || ids.pii !== null || ids.mid !== null ||
    ids.bookAccession !== null || ids.url !== null || ids.other.length > 0
  );
}

/** What PubMed XML adds to the fields: the reference list, MeSH UIs, affiliation identifiers. */
function applyXmlOnly(c: Citation, xml: XmlOnly): void {
  c.references = xml.references;
  if (xml.grants !== undefined && xml.grants.length === c.grants.length) c.grants = xml.grants.map((g) => ({ ...g }));
  for (const { key, value } of xml.unmapped) (c.extra[key] ??= []).push(value);
  const byDescriptor = new Map(xml.mesh.map((m) => [m.descriptor, m]));
  for (const heading of c.mesh) {
    const found = byDescriptor.get(heading.descriptor);
    if (found === undefined) continue;
    heading.ui = found.ui;
    const qualifiers = new Map(found.qualifiers.map((q) => [q.name, q.ui]));
    for (const q of heading.qualifiers) q.ui = qualifiers.get(q.name) ?? null;
  }
  // authors in order; the names are checked, so that a person the fields did not make never shifts the rest
  xml.authors.forEach((a, i) => {
    const person = c.authors[i];
    if (person !== undefined && (person.family ?? person.collective) === a.name) person.affiliationIdentifiers = a.affiliationIdentifiers;
  });
}
