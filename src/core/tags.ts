/**
 * The MEDLINE tags medline knows: what each means and whether it may repeat. Plain data,
 * read by the tokenizer (recognising flattened records, unknown tags), the citation mapper
 * (repeats of single tags) and the MEDLINE writer (layout).
 */

export interface TagInfo {
  readonly tag: string;
  readonly name: string;
  /** May appear several times in one record. */
  readonly repeats: boolean;
  /** Only in old (1990s) or non-PubMed files; never used to recover flattened records. */
  readonly legacy?: boolean;
}

/**
 * Tags whose values are short and never wrapped: an indented line after one is no
 * continuation (`PMID- 31117875` then `\tOWN - NLM` must not make the PMID `31117875 OWN - NLM`).
 */
export const ONE_LINE_TAGS: ReadonlySet<string> = new Set([
  'PMID', 'OWN', 'STAT', 'DCOM', 'LR', 'DA', 'PMC', 'PMCR', 'MID', 'PUBM', 'VI', 'IP', 'DP', 'JID', 'PST',
  'LA', 'RF', 'OTO', 'SB', 'DEP', 'EDAT', 'MHDA', 'CRDT', 'PHST', 'CTDT', 'DRDT',
]);

/** Tag of the pseudo-field that keeps a line medline could not read, verbatim. */
export const MALFORMED_TAG = '_malformed';

const row = (tag: string, name: string, repeats = false, legacy = false): TagInfo =>
  legacy ? { tag, name, repeats, legacy } : { tag, name, repeats };

export const TAGS: readonly TagInfo[] = Object.freeze([
  // Identity and status
  row('PMID', 'PubMed unique identifier'),
  row('OWN', 'Owner'),
  row('STAT', 'Status'),
  row('DCOM', 'Date completed'),
  row('LR', 'Date last revised'),
  row('DA', 'Date created'),
  row('PMC', 'PubMed Central identifier'),
  row('PMCR', 'PubMed Central release'),
  row('MID', 'Manuscript identifier', true),
  row('OID', 'Other identifier', true),
  row('SI', 'Secondary source identifier', true),
  row('PUBM', 'Publishing model'),
  // Journal
  row('IS', 'ISSN', true),
  row('VI', 'Volume'),
  row('IP', 'Issue'),
  row('DP', 'Date of publication'),
  row('PG', 'Pagination'),
  row('TA', 'Journal title abbreviation'),
  row('JT', 'Journal title'),
  row('JID', 'NLM unique journal identifier'),
  row('PL', 'Place of publication'),
  row('PST', 'Publication status'),
  row('SO', 'Source'),
  // Content
  row('TI', 'Title'),
  row('TT', 'Transliterated title'),
  row('VTI', 'Volume title'),
  row('AB', 'Abstract'),
  row('OAB', 'Other abstract', true),
  row('OABL', 'Other abstract language', true),
  row('CI', 'Copyright information'),
  row('OCI', 'Other copyright information', true),
  row('COIS', 'Conflict of interest statement'),
  row('LA', 'Language', true),
  row('PT', 'Publication type', true),
  row('GN', 'General note', true),
  row('RF', 'Number of references'),
  // People
  row('FAU', 'Full author name', true),
  row('AU', 'Author', true),
  row('AUID', 'Author identifier', true),
  row('AD', 'Affiliation', true),
  row('CN', 'Corporate author', true),
  row('IR', 'Investigator', true),
  row('FIR', 'Full investigator name', true),
  row('IRAD', 'Investigator affiliation', true),
  row('ED', 'Editor', true),
  row('FED', 'Full editor name', true),
  row('PS', 'Personal name as subject', true),
  row('FPS', 'Full personal name as subject', true),
  // Indexing
  row('MH', 'MeSH terms', true),
  row('OTO', 'Other term owner'),
  row('OT', 'Other term', true),
  row('RN', 'Registry number/EC number', true),
  row('NM', 'Substance name', true),
  row('SB', 'Subset', true),
  row('GS', 'Gene symbol', true),
  row('SFM', 'Space flight mission', true),
  row('GR', 'Grant number', true),
  // Identifiers
  row('LID', 'Location identifier', true),
  row('AID', 'Article identifier', true),
  // Dates
  row('DEP', 'Date of electronic publication'),
  row('EDAT', 'Entrez date'),
  row('MHDA', 'MeSH date'),
  row('CRDT', 'Create date'),
  row('PHST', 'Publication history status', true),
  // Links between records
  row('CIN', 'Comment in', true),
  row('CON', 'Comment on', true),
  row('EIN', 'Erratum in', true),
  row('EFR', 'Erratum for', true),
  row('CRI', 'Corrected and republished in', true),
  row('CRF', 'Corrected and republished from', true),
  row('RIN', 'Retraction in', true),
  row('ROF', 'Retraction of', true),
  row('RRI', 'Retracted and republished in', true),
  row('RRF', 'Retracted and republished from', true),
  row('RPI', 'Republished in', true),
  row('RPF', 'Republished from', true),
  row('PRIN', 'Partial retraction in', true),
  row('PROF', 'Partial retraction of', true),
  row('UIN', 'Update in', true),
  row('UOF', 'Update of', true),
  row('SPIN', 'Summary for patients in', true),
  row('ORI', 'Original report in', true),
  row('ECI', 'Expression of concern in', true),
  row('ECF', 'Expression of concern for', true),
  row('DDIN', 'Dataset described in', true),
  row('DRIN', 'Dataset use reported in', true),
  // Books
  row('BTI', 'Book title'),
  row('CTI', 'Collection title', true),
  row('PB', 'Publisher'),
  row('EN', 'Edition'),
  row('ISBN', 'ISBN', true),
  row('CP', 'Chapter', true),
  row('CTDT', 'Contribution date'),
  row('DRDT', 'Date revised'),
  // Old MEDLINE (1990s), PMC and ERIC files: known, kept in `extra`.
  row('UI', 'MEDLINE unique identifier (legacy)', false, true),
  row('CY', 'Country (legacy)', false, true),
  row('EM', 'Entry month (legacy)', false, true),
  row('AA', 'Author abstract (legacy)', false, true),
  row('CU', 'Class update date (legacy)', false, true),
  row('JC', 'Journal title code (legacy)', false, true),
  row('CM', 'Comment (legacy)', true, true),
  row('ID', 'Grant identifier (legacy)', true, true),
  row('NR', 'Number of references (legacy)', false, true),
  row('CDAT', 'Create date (legacy)', false, true),
  row('EP', 'End page (ERIC, hand-made files)', true, true),
  row('ISSN', 'ISSN (ERIC)', true, true),
]);

export const TAG_INFO: ReadonlyMap<string, TagInfo> = new Map(TAGS.map((t) => [t.tag, t]));

/** Tags that mark a field boundary inside a flattened (line-breaks-lost) record. */
export const FLATTENED_MARKER_TAGS: ReadonlySet<string> = new Set(
  TAGS.filter((t) => !t.legacy).map((t) => t.tag),
);
