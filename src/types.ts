/**
 * Every type shared between the stages of medline, in one place.
 *
 * The stages: decode bytes → split lines → tokenize fields → assemble a RawRecord →
 * map it to a Citation → format. Positions are always 1-based lines and 1-based columns
 * counted in UTF-16 code units of the decoded line (what a JavaScript string index gives,
 * plus one).
 */

/** One tag and its value, continuation lines already joined with single spaces. */
export interface RawField {
  /** The tag as written, without padding (`PMID`, `FAU`, `AB`); `MALFORMED_TAG` for a line that had no tag. */
  readonly tag: string;
  /** The value: continuation lines joined with one space, no leading or trailing white space. */
  readonly value: string;
  /** 1-based line of the tag line in the input. */
  readonly line: number;
  /** 1-based column (UTF-16 code units) where the tag starts; above 1 only in recovered flattened records. */
  readonly column: number;
}

/** One record: the fields in input order, before any interpretation. */
export interface RawRecord {
  readonly fields: readonly RawField[];
  /** What PubMed XML gives beyond its MEDLINE fields (reference list, UIs, identifiers). */
  readonly xml?: XmlOnly;
  /** 1-based line of the record's first field. */
  readonly line: number;
  /** The value of the record's PMID field, when it has one. */
  readonly pmid: string | null;
}

/**
 * `error` and `warning` are problems in the data; `info` tells what a choice of the user did
 * (a duplicate left out by --dedupe): never counted as a problem, never a stop under --strict.
 */
export type Severity = 'error' | 'warning' | 'info';

/**
 * A problem found in the input. The input is still converted unless the caller asks for
 * strict mode; `code` is stable and documented, `message` is for people.
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  /** 1-based line, or 0 when the problem concerns the whole input. */
  readonly line: number;
  /** 1-based column in UTF-16 code units, or 0 when it concerns the whole line or input. */
  readonly column: number;
  /** PMID of the record the problem is in, when known. */
  readonly pmid: string | null;
}

export type DiagnosticCode =
  /** A line that is neither a tag line, a continuation, nor blank; kept in `extra._malformed`. */
  | 'MALFORMED_LINE'
  /** Text outside any record (before the first tag line, or an indented line after a blank one). */
  | 'TEXT_OUTSIDE_RECORD'
  /** `PMID-123` or `TI  -text`: no space after the dash. Recognised all the same. */
  | 'SQUEEZED_SEPARATOR'
  /** `TI- x`, `SO- x`: the dash is not in column 5. Recognised all the same. */
  | 'IRREGULAR_PADDING'
  /** A `PMID-` line inside a record that already has a PMID: a blank line is missing. */
  | 'MISSING_BLANK_LINE'
  /** Fields recovered from a line whose line breaks were lost (text pasted from a web page). */
  | 'FLATTENED_RECORD'
  /** A record with no PMID and no other identifier. */
  | 'NO_PMID'
  /** A tag that may appear once appears again; the later values are kept in `extra`. */
  | 'REPEATED_TAG'
  /** A tag medline does not know; kept in `extra`. */
  | 'UNKNOWN_TAG'
  /** A date, page range or similar value that could not be interpreted; kept raw. */
  | 'UNPARSED_VALUE'
  /** Bytes that are not valid UTF-8, replaced by U+FFFD. */
  | 'INVALID_UTF8'
  /** The input has text but not a single MEDLINE record. */
  | 'NO_RECORDS'
  /** A character the output format cannot hold (BibTeX --ascii), written as `?`. */
  | 'UNCONVERTIBLE_CHARACTER'
  /**
   * A line, value or text longer than MAX_TEXT_LENGTH (16 MiB): the rest of it was skipped; or
   * an XML record of more than MAX_RECORD_ELEMENTS elements, or a JSON value longer than
   * MAX_TEXT_LENGTH: skipped (core/limits.ts).
   */
  | 'TOO_LONG'
  /** Elements (XML) or values (JSON) nested deeper than MAX_DEPTH (256) in one record: the record was skipped. */
  | 'TOO_DEEP'
  /** An indented line that is a well-formed line of a known tag: read as that tag. */
  | 'INDENTED_TAG_LINE'
  /** `--dedupe`: a record whose PMID (or DOI) was written already; left out. */
  | 'DUPLICATE'
  /** A line of a `--pmids` / `--exclude-pmids` file that is not a PMID; skipped. */
  | 'NOT_A_PMID'
  /** JSON input: a value that is not JSON or not a citation as medline writes it; skipped. */
  | 'INVALID_CITATION'
  /** PubMed XML input: not well-formed (the rest of the input is not read), or an element that is no record. */
  | 'XML_ERROR'
  /** PubMed XML input: a PMID that a `DeleteCitation` block of an update file deletes. */
  | 'DELETED';

/** What decides whether a record is written (`--dedupe`, `--pmids`): its ids and first line. */
export interface RecordKey {
  readonly pmid: string | null;
  readonly doi: string | null;
  readonly line: number;
  /** The title, for the audit of what --dedupe left out (--duplicates FILE), and to match a DOI safely. */
  readonly title?: string | null;
  /** An erratum, a retraction, an expression of concern or a comment: a notice about another work, never merged with it by DOI. */
  readonly notice?: boolean;
  /** What else --dedupe matches on: the PMC id, the year, volume and first page. */
  readonly pmc?: string | null;
  readonly year?: number | null;
  readonly volume?: string | null;
  readonly firstPage?: string | null;
  /** How complete the copy is, 0–15, for --keep complete (dedupe/keys.ts). */
  readonly completeness?: number;
}

/** A person, or a collective author in its place in the byline. */
export interface Person {
  /** Family name (`Xu`, `van Raaij`); null for a collective author or when unknown. */
  family: string | null;
  /** Given names as written in the full name (`Xiaowei`, `Frank R`); null when not given. */
  given: string | null;
  /** Initials without dots or spaces (`X`, `FR`, `MJ`); null when not known. */
  initials: string | null;
  /** Generational suffix (`Jr`, `Sr`, `2nd`, `III`); null when none. */
  suffix: string | null;
  /**
   * The short form (`AU`, `IR`, `ED`, `PS`) when it is not what the full name gives
   * (`Guna Serrano Mde L` for `Guna Serrano, Maria de Lourdes`); null when it is.
   */
  shortName: string | null;
  /** Name of a collective author (`STRATIS Investigators`); null for a person. */
  collective: string | null;
  /** ORCID iD as `0000-0001-9374-6466` (from `AUID- ORCID: …`); null when none. */
  orcid: string | null;
  /** Other author identifiers from `AUID`, as written (`ISNI: …`). */
  identifiers: string[];
  /** Affiliations in input order (`AD`, `IRAD`). */
  affiliations: string[];
  /**
   * Identifiers of the affiliations, as `SOURCE: value` (`ROR: https://ror.org/…`, `GRID: …`,
   * `ISNI: …`): PubMed XML only (MEDLINE text does not carry them).
   */
  affiliationIdentifiers: string[];
}

export interface Issn {
  print: string | null;
  electronic: string | null;
  linking: string | null;
  /** ISSNs with no or an unknown type, as written. */
  other: string[];
}

export interface Journal {
  /** Full journal title (`JT`). */
  title: string | null;
  /** NLM title abbreviation (`TA`). */
  abbreviation: string | null;
  /** NLM unique journal id (`JID`). */
  nlmId: string | null;
  /** Place of publication (`PL`): a country for journals, a city for books. */
  country: string | null;
  issn: Issn;
}

export interface Pages {
  /** The pagination as written (`PG`). */
  raw: string;
  /** First page of the first range (`6913`, `e297`, `R494`). */
  first: string | null;
  /** Last page of the first range, NLM's abbreviation expanded (`6913-7` → `6917`); null for a single page. */
  last: string | null;
  /** The whole pagination with every abbreviated range expanded (`34-36, 87-91 passim`). */
  expanded: string;
}

export type Season = 'Spring' | 'Summer' | 'Autumn' | 'Fall' | 'Winter';

/** A publication date as precise as the record gives it, never more. */
export interface PublicationDate {
  raw: string;
  year: number | null;
  /** 1–12; for a range (`Apr-Jun`) the first month. */
  month: number | null;
  /** 1–31; for a range (`15-31`) the first day. */
  day: number | null;
  season: Season | null;
}

export interface Identifiers {
  doi: string | null;
  /** PubMed Central id with its prefix (`PMC7839959`). */
  pmc: string | null;
  /** Publisher item identifier. */
  pii: string | null;
  /** Manuscript id (`MID`, e.g. `NIHMS123456`). */
  mid: string | null;
  /** Bookshelf accession (`NBK1826`). */
  bookAccession: string | null;
  /** Electronic location id without a type (`LID - e297`). */
  elocation: string | null;
  /** A URL given as an identifier (ERIC `AID`/`LID`). */
  url: string | null;
  /** Every other identifier, and second values of the ones above, with its type (`oid`, `sici`, …). */
  other: Array<{ type: string; value: string }>;
}

export interface MeshQualifier {
  name: string;
  /** MeSH unique ID (`Q000235`): PubMed XML only; null from MEDLINE text, which does not carry it. */
  ui: string | null;
  major: boolean;
}

export interface MeshHeading {
  descriptor: string;
  /** MeSH unique ID (`D009369`): PubMed XML only; null from MEDLINE text, which does not carry it. */
  ui: string | null;
  /** True when the descriptor itself is a major topic (`*Menstruation`). */
  major: boolean;
  qualifiers: MeshQualifier[];
}

/** One entry of an article's reference list (PubMed XML `ReferenceList`). */
export interface Reference {
  /** The reference as the publisher gave it; null when only identifiers are given. */
  citation: string | null;
  pmid: string | null;
  doi: string | null;
  pmc: string | null;
  /** Other identifiers as `type: value` (`pii: S0140-6736(20)30183-5`). */
  otherIds: string[];
}

/** What a PubMed XML record gives beyond its MEDLINE fields; applied by `toCitation`. */
export interface XmlOnly {
  readonly references: Reference[];
  /** Each MeSH heading's UIs, by descriptor name. */
  readonly mesh: ReadonlyArray<{ readonly descriptor: string; readonly ui: string | null; readonly qualifiers: ReadonlyArray<{ readonly name: string; readonly ui: string | null }> }>;
  /** Each author's affiliation identifiers, in author order, with the name to check the order by. */
  readonly authors: ReadonlyArray<{ readonly name: string; readonly affiliationIdentifiers: string[] }>;
  /** Elements and attributes no field takes, kept in `extra` as `xml:Parent/Element`, `xml:Element@attribute`. */
  readonly unmapped: ReadonlyArray<{ readonly key: string; readonly value: string }>;
  /** The grants with their parts as the XML gives them (GrantID, Acronym, Agency, Country): used as they are, not read back from GR lines. */
  readonly grants?: readonly Grant[];
}

export interface Grant {
  id: string | null;
  /** Institute acronym for NIH grants (`CA`), `WT_` style codes; null when absent. */
  acronym: string | null;
  agency: string | null;
  country: string | null;
}

export interface Chemical {
  /** CAS registry number, EC number, UNII or `0` when NLM has none, as written. */
  registryNumber: string | null;
  name: string;
}

export interface HistoryDate {
  /** `received`, `revised`, `accepted`, `aheadofprint`, `epublish`, `ecollection`, `pubmed`, `medline`, `entrez`, `pmc-release`, … */
  status: string;
  /** ISO 8601 as precise as the record: `2020-08-17T00:00`, `2017-10-17`, `2016`. */
  date: string;
}

/** Dates other than the publication date, ISO 8601 as precise as the record. */
export interface RecordDates {
  /** Electronic publication (`DEP`). */
  electronic: string | null;
  /** Indexing completed (`DCOM`). */
  completed: string | null;
  /** Last revised (`LR`). */
  revised: string | null;
  /** Date created, legacy (`DA`). */
  created: string | null;
  /** Entrez date (`EDAT`). */
  entrez: string | null;
  /** MeSH indexing date (`MHDA`). */
  mesh: string | null;
  /** When the record was added to PubMed (`CRDT`). */
  pubmed: string | null;
  /** PMC release date (`PMCR`). */
  pmcRelease: string | null;
}

/** A link to another record: comment, erratum, retraction, update, … */
export interface Relation {
  /** Readable name of the link (`commentIn`, `erratumIn`, `retractionOf`, …). */
  type: string;
  /** The tag it came from (`CIN`, `EIN`, `ROF`, …). */
  tag: string;
  /** The cited text as written (`Clin Transl Med. 2021;11(2):e300. PMID: 33333333`). */
  citation: string;
  /** The PMID named in the citation, when there is one. */
  pmid: string | null;
}

export interface Book {
  /** Book title (`BTI`). */
  title: string | null;
  /** Collection title (`CTI`). */
  collectionTitle: string | null;
  /** Volume title (`VTI`): the title of one volume of a multi-volume book. */
  volumeTitle: string | null;
  /** Chapter (`CP`). */
  chapter: string | null;
  /** Publisher (`PB`; for an ERIC report, book or thesis, its `JT`). */
  publisher: string | null;
  /** The degree-granting school of a thesis (ERIC: `SO  - Ph.D. Dissertation, Drexel University`). */
  institution: string | null;
  edition: string | null;
  isbn: string[];
  /** Contribution date (`CTDT`), ISO. */
  contributionDate: string | null;
  /** Date revised (`DRDT`), ISO. */
  revisedDate: string | null;
}

export interface AbstractSection {
  /** The label as written (`BACKGROUND`, `Methods`), without the colon. */
  label: string;
  text: string;
}

export interface OtherAbstract {
  text: string;
  /** Language of the other abstract (`OABL`), when given. */
  language: string | null;
}

/**
 * One MEDLINE record, typed. Every field is always present (null or empty when the record
 * lacks it), so that every citation has the same shape.
 */
export interface Citation {
  pmid: string | null;
  title: string | null;
  /** Transliterated title (`TT`): the title in the original language of a non-English article. */
  transliteratedTitle: string | null;
  abstract: string | null;
  /** Sections of a structured abstract (`BACKGROUND: … METHODS: …`); empty otherwise. */
  abstractSections: AbstractSection[];
  otherAbstracts: OtherAbstract[];
  /** Authors and collective authors, in byline order. */
  authors: Person[];
  /** True when the author list ends with `et al.` (old records). */
  authorsTruncated: boolean;
  investigators: Person[];
  editors: Person[];
  /** Persons the article is about (`PS`/`FPS`). */
  personsAsSubject: Person[];
  journal: Journal;
  volume: string | null;
  issue: string | null;
  pages: Pages | null;
  published: PublicationDate | null;
  ids: Identifiers;
  /** Three-letter language codes (`eng`), or names in ERIC records. */
  languages: string[];
  publicationTypes: string[];
  /** Other terms, usually author keywords (`OT`), as plain terms: without MEDLINE's `*`. */
  keywords: string[];
  /** The keywords marked as major topics (`OT  - *Breastfeeding`, `<Keyword MajorTopicYN="Y">`), as in `keywords`. */
  majorKeywords: string[];
  /** Owner of the keywords (`OTO`: `NOTNLM`, `KIE`, …). */
  keywordsOwner: string | null;
  mesh: MeshHeading[];
  grants: Grant[];
  chemicals: Chemical[];
  /** Supplementary concept names (`NM`). */
  supplementaryConcepts: string[];
  geneSymbols: string[];
  /** Secondary source ids (`SI`, e.g. `ClinicalTrials.gov/NCT02239640`). */
  secondarySources: string[];
  generalNotes: string[];
  subsets: string[];
  spaceFlightMissions: string[];
  /** Number of references (`RF`). */
  referenceCount: number | null;
  /** The reference list with its identifiers: PubMed XML only; [] from MEDLINE text, which does not carry it. */
  references: Reference[];
  history: HistoryDate[];
  dates: RecordDates;
  relations: Relation[];
  /** `MEDLINE`, `PubMed-not-MEDLINE`, `In-Process`, `Publisher`, … (`STAT`). */
  status: string | null;
  /** `NLM`, `PIP`, `ERIC`, … (`OWN`). */
  owner: string | null;
  /** `ppublish`, `epublish`, `aheadofprint` (`PST`). */
  publicationStatus: string | null;
  copyright: string | null;
  otherCopyright: string[];
  conflictOfInterest: string | null;
  /** The whole citation as one string (`SO`). */
  source: string | null;
  book: Book | null;
  /**
   * Every tag without a typed home (unknown tags, legacy tags, repeats of tags that may
   * appear once) and malformed lines (key `_malformed`), with their values in input order.
   */
  extra: Record<string, string[]>;
  /** The record's fields in input order; present only when asked for (`--raw`). */
  raw?: Array<{ tag: string; value: string }>;
  /** With `--sources`: every input the record was read from (with `--dedupe`, each copy's), in the order first met. */
  sources?: string[];
}
