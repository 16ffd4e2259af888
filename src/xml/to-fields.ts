/**
 * A PubMed XML record → the fields of its MEDLINE text, in NLM's order, as NLM's own
 * MEDLINE display writes them (`DP - 2018 Jun 5`, `FAU - Dimar, John R 2nd`, `GR -
 * R01 HD088014/HD/NICHD NIH HHS/United States`). The citation is then made by the same
 * `toCitation` as for text, so both formats give one Citation and every output format
 * works on XML unchanged. No Node imports.
 */
import type { Grant, RawField, Reference, XmlOnly } from '../types.js';
import { child, childrenNamed, collapse, elements, path, textOf, type XmlElement } from './tree.js';
import { MONTHS, unmapped } from './table.js';
import { RELATION_TAGS_BY_REF_TYPE } from '../citation/indexing.js';
import { PERSON_GROUPS, type PersonList } from '../citation/to-citation.js';



/** Collects fields in order; empty values are no fields. */
class Fields {
  readonly list: RawField[] = [];
  add(tag: string, value: string, at: XmlElement): void {
    if (value !== '') this.list.push({ tag, value, line: at.line, column: at.column });
  }
  text(tag: string, element: XmlElement | undefined): void {
    if (element !== undefined) this.add(tag, textOf(element), element);
  }
  each(tag: string, list: readonly XmlElement[]): void {
    for (const e of list) this.text(tag, e);
  }
}

/** A record's MEDLINE fields, and what the XML gives beyond them. */
export interface XmlRecordParts {
  readonly fields: RawField[];
  readonly xml: XmlOnly;
}

/** The MEDLINE fields of a `PubmedArticle`, and its reference list, MeSH UIs, affiliation identifiers. */
export function articleRecord(record: XmlElement): XmlRecordParts {
  const citation = child(record, 'MedlineCitation') ?? record;
  const article = child(citation, 'Article');
  return {
    fields: articleFields(record, citation, article),
    xml: {
      references: [...references(child(record, 'PubmedData')), ...cites(child(citation, 'CommentsCorrectionsList'))],
      mesh: meshUis(child(citation, 'MeshHeadingList')),
      authors: affiliationIdentifiers(article && child(article, 'AuthorList')),
      unmapped: unmapped(record),
      grants: grantParts(article && child(article, 'GrantList')),
    },
  };
}

/** The MEDLINE fields of a `PubmedBookArticle`, and what the XML gives beyond them. */
export function bookRecord(record: XmlElement): XmlRecordParts {
  const doc = child(record, 'BookDocument') ?? record;
  const authors = childrenNamed(doc, 'AuthorList').find((l) => l.attributes.Type !== 'editors');
  return {
    fields: bookFields(record, doc),
    xml: { references: references(doc), mesh: [], authors: affiliationIdentifiers(authors), unmapped: unmapped(record), grants: grantParts(child(doc, 'GrantList')) },
  };
}

/** ReferenceList/Reference: the citation text and its article ids (lists nest in books). */
function references(parent: XmlElement | undefined): Reference[] {
  const out: Reference[] = [];
  const walk = (list: XmlElement) => {
    for (const e of elements(list)) {
      if (e.name === 'ReferenceList') walk(e);
      if (e.name !== 'Reference') continue;
      const reference: Reference = { citation: textOf(child(e, 'Citation')) || null, pmid: null, doi: null, pmc: null, otherIds: [] };
      for (const id of childrenNamed(child(e, 'ArticleIdList') ?? EMPTY, 'ArticleId')) {
        const type = id.attributes.IdType ?? '';
        const value = textOf(id);
        if (type === 'pubmed' && reference.pmid === null) reference.pmid = value;
        else if (type === 'doi' && reference.doi === null) reference.doi = value;
        else if (type === 'pmc' && reference.pmc === null) reference.pmc = value;
        else reference.otherIds.push(`${type}: ${value}`);
      }
      out.push(reference);
    }
  };
  for (const list of childrenNamed(parent ?? EMPTY, 'ReferenceList')) walk(list);
  return out;
}

/**
 * CommentsCorrections of RefType `Cites` (the reference lists of older records, before
 * PubmedData/ReferenceList): no MEDLINE tag has them; they are the record's references.
 */
function cites(list: XmlElement | undefined): Reference[] {
  return childrenNamed(list ?? EMPTY, 'CommentsCorrections')
    .filter((item) => item.attributes.RefType === 'Cites')
    .map((item) => ({ citation: textOf(child(item, 'RefSource')) || null, pmid: textOf(child(item, 'PMID')) || null, doi: null, pmc: null, otherIds: [] }));
}

function meshUis(list: XmlElement | undefined): XmlOnly['mesh'] {
  return elements(list ?? EMPTY).flatMap((heading) => {
    const descriptor = child(heading, 'DescriptorName');
    if (descriptor === undefined) return [];
    const qualifiers = childrenNamed(heading, 'QualifierName').map((q) => ({ name: textOf(q), ui: q.attributes.UI ?? null }));
    return [{ descriptor: textOf(descriptor), ui: descriptor.attributes.UI ?? null, qualifiers }];
  });
}

/** The identifiers of each valid author's affiliations (`ROR: …`), with the name the fields give. */
function affiliationIdentifiers(list: XmlElement | undefined): XmlOnly['authors'] {
  return elements(list ?? EMPTY)
    .filter((person) => person.attributes.ValidYN !== 'N')
    .map((person) => ({
      name: textOf(child(person, 'LastName')) || textOf(child(person, 'CollectiveName')),
      affiliationIdentifiers: childrenNamed(person, 'AffiliationInfo').flatMap((info) =>
        childrenNamed(info, 'Identifier').map((id) => `${id.attributes.Source ?? 'ID'}: ${textOf(id)}`),
      ),
    }));
}

/** The MEDLINE fields of a `PubmedArticle`. */
function articleFields(record: XmlElement, citation: XmlElement, article: XmlElement | undefined): RawField[] {
  const f = new Fields();
  const journal = article && child(article, 'Journal');
  const issue = journal && child(journal, 'JournalIssue');
  const info = child(citation, 'MedlineJournalInfo');
  const pubmedData = child(record, 'PubmedData');

  f.text('PMID', child(citation, 'PMID'));
  attribute(f, 'OWN', citation, 'Owner');
  attribute(f, 'STAT', citation, 'Status');
  machineDate(f, 'DA', child(citation, 'DateCreated'));
  machineDate(f, 'DCOM', child(citation, 'DateCompleted'));
  machineDate(f, 'LR', child(citation, 'DateRevised'));
  if (journal !== undefined) {
    for (const issn of childrenNamed(journal, 'ISSN')) f.add('IS', `${textOf(issn)} (${issn.attributes.IssnType ?? 'Print'})`, issn);
  }
  const linking = info && child(info, 'ISSNLinking');
  if (linking !== undefined) f.add('IS', `${textOf(linking)} (Linking)`, linking);
  f.text('VI', issue && child(issue, 'Volume'));
  f.text('IP', issue && child(issue, 'Issue'));
  publicationDate(f, issue && child(issue, 'PubDate'));
  if (article !== undefined) {
    f.text('TI', child(article, 'ArticleTitle'));
    pagination(f, child(article, 'Pagination'));
    for (const id of childrenNamed(article, 'ELocationID')) f.add('LID', `${textOf(id)} [${id.attributes.EIdType ?? 'doi'}]`, id);
    abstract(f, 'AB', child(article, 'Abstract'));
    people(f, child(article, 'AuthorList'), 'authors', child(article, 'Affiliation'));
    f.each('LA', childrenNamed(article, 'Language'));
    dataBanks(f, child(article, 'DataBankList'));
    grants(f, child(article, 'GrantList'));
    f.each('PT', elements(child(article, 'PublicationTypeList') ?? EMPTY));
  }
  f.text('TT', child(article ?? EMPTY, 'VernacularTitle'));
  for (const d of childrenNamed(article ?? EMPTY, 'ArticleDate')) {
    if ((d.attributes.DateType ?? 'Electronic') === 'Electronic') machineDate(f, 'DEP', d);
  }
  f.text('PL', info && child(info, 'Country'));
  f.text('TA', info && child(info, 'MedlineTA'));
  f.text('JT', journal && child(journal, 'Title'));
  f.text('JID', info && child(info, 'NlmUniqueID'));
  for (const chemical of elements(child(citation, 'ChemicalList') ?? EMPTY)) {
    const rn = textOf(child(chemical, 'RegistryNumber')) || '0';
    f.add('RN', `${rn} (${textOf(child(chemical, 'NameOfSubstance'))})`, chemical);
  }
  // supplementary concepts (protocols, diseases, organisms) are RN lines with a name alone
  f.each('RN', elements(child(citation, 'SupplMeshList') ?? EMPTY));
  f.each('GS', elements(child(citation, 'GeneSymbolList') ?? EMPTY));
  f.each('SB', childrenNamed(citation, 'CitationSubset'));
  relations(f, child(citation, 'CommentsCorrectionsList'));
  mesh(f, child(citation, 'MeshHeadingList'));
  people(f, child(citation, 'PersonalNameSubjectList'), 'personsAsSubject');
  for (const id of articleIds(pubmedData)) {
    if (id.attributes.IdType === 'pmc') f.text('PMC', id);
    if (id.attributes.IdType === 'mid') f.text('MID', id);
  }
  for (const id of childrenNamed(citation, 'OtherID')) f.add('OID', `${id.attributes.Source ?? 'NLM'}: ${textOf(id)}`, id);
  keywords(f, citation);
  f.text('COIS', child(citation, 'CoiStatement'));
  f.each('GN', childrenNamed(citation, 'GeneralNote'));
  f.each('SFM', childrenNamed(citation, 'SpaceFlightMission'));
  for (const other of childrenNamed(citation, 'OtherAbstract')) {
    abstract(f, 'OAB', other);
    if (other.attributes.Language) f.add('OABL', other.attributes.Language, other);
  }
  people(f, child(citation, 'InvestigatorList'), 'investigators');
  f.text('RF', child(citation, 'NumberOfReferences'));
  history(f, pubmedData);
  for (const id of articleIds(pubmedData)) {
    const type = id.attributes.IdType ?? '';
    if (type !== 'pubmed' && type !== 'pmc' && type !== 'mid') f.add('AID', `${textOf(id)} [${type}]`, id);
  }
  f.text('PST', pubmedData && child(pubmedData, 'PublicationStatus'));
  source(f, citation, info);
  return f.list;
}

/** The MEDLINE fields of a `PubmedBookArticle` (a book or a chapter: GeneReviews and the like). */
function bookFields(record: XmlElement, doc: XmlElement): RawField[] {
  const f = new Fields();
  const book = child(doc, 'Book');
  const pubmedData = child(record, 'PubmedBookData');

  f.text('PMID', child(doc, 'PMID'));
  machineDate(f, 'DRDT', child(doc, 'DateRevised'));
  machineDate(f, 'CTDT', child(doc, 'ContributionDate'));
  if (book !== undefined) {
    const publisher = child(book, 'Publisher');
    f.text('PB', publisher && child(publisher, 'PublisherName'));
    publicationDate(f, child(book, 'PubDate'));
    f.text('BTI', child(book, 'BookTitle'));
    f.text('CTI', child(book, 'CollectionTitle'));
    f.text('VTI', child(book, 'VolumeTitle'));
    f.text('EN', child(book, 'Edition'));
    f.each('ISBN', childrenNamed(book, 'Isbn'));
    for (const list of childrenNamed(book, 'AuthorList')) people(f, list, list.attributes.Type === 'editors' ? 'editors' : 'authors');
  }
  f.text('TI', child(doc, 'ArticleTitle'));
  for (const label of childrenNamed(doc, 'LocationLabel')) if (label.attributes.Type === 'chapter') f.text('CP', label);
  abstract(f, 'AB', child(doc, 'Abstract'));
  for (const list of childrenNamed(doc, 'AuthorList')) people(f, list, list.attributes.Type === 'editors' ? 'editors' : 'authors');
  f.each('LA', childrenNamed(doc, 'Language'));
  grants(f, child(doc, 'GrantList'));
  f.each('PT', childrenNamed(doc, 'PublicationType'));
  f.text('PL', book && path(book, 'Publisher', 'PublisherLocation'));
  keywords(f, doc);
  history(f, pubmedData);
  // the Bookshelf accession (NBK1372) stands in BookDocument's own ArticleIdList; other ids in PubmedBookData's
  for (const id of [...articleIds(doc), ...articleIds(pubmedData)]) {
    const type = id.attributes.IdType ?? '';
    if (type !== 'pubmed') f.add('AID', `${textOf(id)} [${type}]`, id);
  }
  f.text('PST', pubmedData && child(pubmedData, 'PublicationStatus'));
  return f.list;
}

const EMPTY: XmlElement = { name: '', attributes: {}, children: [], line: 0, column: 0 };

function attribute(f: Fields, tag: string, element: XmlElement, name: string): void {
  const value = element.attributes[name];
  if (value !== undefined) f.add(tag, collapse(value), element);
}

const pad = (text: string) => (text.length === 1 ? `0${text}` : text);

/** A month as NLM writes it in DP: `Jun` for `6`, `06` or `Jun`. */
function monthName(text: string): string {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 12 ? MONTHS[n - 1]! : text;
}

function monthNumber(text: string): string {
  const i = MONTHS.findIndex((m) => m.toLowerCase() === text.slice(0, 3).toLowerCase());
  return i === -1 ? pad(text) : pad(String(i + 1));
}

/** `20180724` from Year, Month, Day. */
function machineDate(f: Fields, tag: string, date: XmlElement | undefined): void {
  if (date === undefined) return;
  const year = textOf(child(date, 'Year'));
  const month = textOf(child(date, 'Month'));
  const day = textOf(child(date, 'Day'));
  f.add(tag, `${year}${month && monthNumber(month)}${day && pad(day)}`, date);
}

/** DP: `2018 Jun 5`, `2019 Spring`, or MedlineDate as it is (`2018 Jan-Dec`). */
function publicationDate(f: Fields, date: XmlElement | undefined): void {
  if (date === undefined) return;
  const medline = child(date, 'MedlineDate');
  if (medline !== undefined) return f.text('DP', medline);
  const parts = [textOf(child(date, 'Year'))];
  const month = textOf(child(date, 'Month'));
  if (month) parts.push(monthName(month));
  const day = textOf(child(date, 'Day'));
  if (day) parts.push(String(Number(day) || day));
  const season = textOf(child(date, 'Season'));
  if (season) parts.push(season);
  f.add('DP', parts.filter(Boolean).join(' '), date);
}

function pagination(f: Fields, pages: XmlElement | undefined): void {
  if (pages === undefined) return;
  const medline = child(pages, 'MedlinePgn');
  if (medline !== undefined) return f.text('PG', medline);
  const start = textOf(child(pages, 'StartPage'));
  const end = textOf(child(pages, 'EndPage'));
  f.add('PG', end ? `${start}-${end}` : start, pages);
}

/** AB: the sections as `LABEL: text`, one space apart; OAB alike. */
function abstract(f: Fields, tag: string, element: XmlElement | undefined): void {
  if (element === undefined) return;
  const sections = childrenNamed(element, 'AbstractText').map((s) => {
    const label = s.attributes.Label;
    const text = textOf(s);
    return label ? `${label}: ${text}` : text;
  });
  f.add(tag, sections.filter(Boolean).join(' '), element);
  // an other abstract's copyright is OCI, as in NLM's text
  f.text(tag === 'AB' ? 'CI' : 'OCI', child(element, 'CopyrightInformation'));
}

/**
 * One list of people as the tags of its group (PERSON_GROUPS, the table the text mapping reads
 * them by): the full and short name in the group's order (FAU then AU, FIR then IR, PS then
 * FPS), ids and affiliations where the group has them, a collective name for authors.
 */
function people(f: Fields, list: XmlElement | undefined, kind: PersonList, articleAffiliation?: XmlElement): void {
  if (list === undefined) return;
  const group = PERSON_GROUPS.find((g) => g.list === kind)!;
  let first = true;
  for (const person of elements(list)) {
    if (kind === 'authors' && person.attributes.ValidYN === 'N') {
      // a name the record itself marks wrong (an erratum corrected it): no author in NLM's
      // text either; kept, as `extra.IAU` ("invalid author")
      const name = [textOf(child(person, 'LastName')), textOf(child(person, 'ForeName'))].filter(Boolean).join(', ');
      f.add('IAU', name || textOf(child(person, 'CollectiveName')), person);
      continue;
    }
    const collective = child(person, 'CollectiveName');
    if (collective !== undefined && group.collective !== undefined) {
      f.text(group.collective, collective);
    } else {
      const last = textOf(child(person, 'LastName'));
      const fore = textOf(child(person, 'ForeName'));
      const initials = textOf(child(person, 'Initials'));
      const suffix = textOf(child(person, 'Suffix'));
      const full = [fore ? `${last}, ${fore}` : last, suffix].filter(Boolean).join(' ');
      const short = [last, initials, suffix].filter(Boolean).join(' ');
      const [one, two] = group.first === 'full' ? [[group.full, full], [group.short, short]] : [[group.short, short], [group.full, full]];
      f.add(one[0]!, one[1]!, person);
      f.add(two[0]!, two[1]!, person);
    }
    if (group.id !== undefined) {
      for (const id of childrenNamed(person, 'Identifier')) f.add(group.id, `${id.attributes.Source ?? 'ID'}: ${textOf(id)}`, id);
    }
    if (group.affiliation !== undefined) {
      // the 2013–2014 DTDs put <Affiliation> straight inside <Author>; later ones in <AffiliationInfo>
      f.each(group.affiliation, childrenNamed(person, 'Affiliation'));
      for (const info of childrenNamed(person, 'AffiliationInfo')) f.text(group.affiliation, child(info, 'Affiliation'));
      // the layout before 2014: one affiliation for the article, shown after the first author
      if (first && articleAffiliation !== undefined) f.text(group.affiliation, articleAffiliation);
    }
    first = false;
  }
}

function dataBanks(f: Fields, list: XmlElement | undefined): void {
  for (const bank of elements(list ?? EMPTY)) {
    const name = textOf(child(bank, 'DataBankName'));
    for (const accession of elements(child(bank, 'AccessionNumberList') ?? EMPTY)) f.add('SI', `${name}/${textOf(accession)}`, accession);
  }
}

/** Each grant's parts as the XML names them, one for each GR line `grants` writes (a grant with none is no line). */
function grantParts(list: XmlElement | undefined): Grant[] {
  const part = (grant: XmlElement, name: string) => textOf(child(grant, name)) || null;
  return elements(list ?? EMPTY)
    .map((grant) => ({ id: part(grant, 'GrantID'), acronym: part(grant, 'Acronym'), agency: part(grant, 'Agency'), country: part(grant, 'Country') }))
    .filter((g) => g.id !== null || g.acronym !== null || g.agency !== null || g.country !== null);
}

/** GR: number/acronym/agency/country, the parts that are there; the country's place is kept. */
function grants(f: Fields, list: XmlElement | undefined): void {
  for (const grant of elements(list ?? EMPTY)) {
    const parts = ['GrantID', 'Acronym', 'Agency'].map((name) => textOf(child(grant, name))).filter(Boolean);
    parts.push(textOf(child(grant, 'Country')));
    f.add('GR', parts.join('/'), grant);
  }
}

function relations(f: Fields, list: XmlElement | undefined): void {
  for (const item of elements(list ?? EMPTY)) {
    // RefType → tag: one table with the citation's relation names (citation/indexing.ts)
    const tag = RELATION_TAGS_BY_REF_TYPE.get(item.attributes.RefType ?? '');
    if (tag === undefined) continue;
    const parts = [textOf(child(item, 'RefSource')), textOf(child(item, 'Note'))].filter(Boolean);
    const pmid = textOf(child(item, 'PMID'));
    if (pmid) parts.push(`PMID: ${pmid}`);
    f.add(tag, parts.map((p, i) => (i < parts.length - 1 && !p.endsWith('.') ? `${p}.` : p)).join(' '), item);
  }
}

/** MH: `*Descriptor/qualifier/*qualifier`, a star on each major topic. */
function mesh(f: Fields, list: XmlElement | undefined): void {
  for (const heading of elements(list ?? EMPTY)) {
    const star = (e: XmlElement) => (e.attributes.MajorTopicYN === 'Y' ? '*' : '');
    const descriptor = child(heading, 'DescriptorName');
    if (descriptor === undefined) continue;
    const parts = [star(descriptor) + textOf(descriptor)];
    for (const q of childrenNamed(heading, 'QualifierName')) parts.push(star(q) + textOf(q));
    f.add('MH', parts.join('/'), heading);
  }
}

function keywords(f: Fields, parent: XmlElement): void {
  for (const list of childrenNamed(parent, 'KeywordList')) {
    f.add('OTO', list.attributes.Owner ?? 'NOTNLM', list);
    for (const keyword of childrenNamed(list, 'Keyword')) f.add('OT', (keyword.attributes.MajorTopicYN === 'Y' ? '*' : '') + textOf(keyword), keyword);
  }
}

function articleIds(pubmedData: XmlElement | undefined): XmlElement[] {
  return childrenNamed(child(pubmedData ?? EMPTY, 'ArticleIdList') ?? EMPTY, 'ArticleId');
}

/** EDAT, MHDA, CRDT and every PHST, from the history: `2018/07/25 06:00 [entrez]`. */
function history(f: Fields, pubmedData: XmlElement | undefined): void {
  const dates = childrenNamed(child(pubmedData ?? EMPTY, 'History') ?? EMPTY, 'PubMedPubDate').map((d) => {
    const year = textOf(child(d, 'Year'));
    const month = monthNumber(textOf(child(d, 'Month')) || '1');
    const day = pad(textOf(child(d, 'Day')) || '1');
    const time = `${pad(textOf(child(d, 'Hour')) || '0')}:${pad(textOf(child(d, 'Minute')) || '0')}`;
    return { status: d.attributes.PubStatus ?? '', value: `${year}/${month}/${day} ${time}`, at: d };
  });
  const find = (status: string) => dates.find((d) => d.status === status);
  for (const [tag, status] of [
    ['EDAT', 'pubmed'],
    ['MHDA', 'medline'],
    ['CRDT', 'entrez'],
  ] as const) {
    const d = find(status);
    if (d !== undefined) f.add(tag, d.value, d.at);
  }
  for (const d of dates) f.add('PHST', `${d.value} [${d.status}]`, d.at);
}

/**
 * SO, as NLM composes it: `TA. DP;VI(IP):PG. doi: DOI. Epub DATE.`, with the
 * article date first and `eCollection DP` last for an electronic-eCollection article.
 */
function source(f: Fields, citation: XmlElement, info: XmlElement | undefined): void {
  const fields = f.list;
  const value = (tag: string) => fields.find((x) => x.tag === tag)?.value ?? '';
  const ta = value('TA') || textOf(info && child(info, 'MedlineTA'));
  if (!ta) return;
  const article = child(citation, 'Article');
  const model = article?.attributes.PubModel ?? '';
  const electronic = childrenNamed(article ?? EMPTY, 'ArticleDate').find((d) => (d.attributes.DateType ?? 'Electronic') === 'Electronic');
  const epub = electronic && displayDate(electronic);
  const volume = value('VI');
  const issue = value('IP');
  const pages = value('PG');
  let text = `${ta}. ${model === 'Electronic-eCollection' && epub ? epub : value('DP')}`;
  if (volume || issue) text += `;${volume}${issue ? `(${issue})` : ''}`;
  if (pages) text += `:${pages}`;
  text += '.';
  // ahead of print (no volume, no issue yet): the PII too, and no Epub date (DP is that date)
  const aheadOfPrint = !volume && !issue;
  // the PII when there are no pages to find the article by; the DOI always
  const pii = locator(fields, 'pii');
  const doi = locator(fields, 'doi');
  if (pii && !pages) text += ` pii: ${pii}.`;
  if (doi) text += ` doi: ${doi}.`;
  if (epub && model === 'Print-Electronic' && !aheadOfPrint) text += ` Epub ${epub}.`;
  if (model === 'Electronic-eCollection' && epub) text += ` eCollection ${value('DP')}.`;
  f.add('SO', text, citation);
}

/** A DOI or PII: from the article ids (AID), else from the LID lines (ELocationID). */
function locator(fields: readonly RawField[], type: 'doi' | 'pii'): string | undefined {
  const suffix = ` [${type}]`;
  const found = fields.find((x) => x.tag === 'AID' && x.value.endsWith(suffix)) ?? fields.find((x) => x.tag === 'LID' && x.value.endsWith(suffix));
  return found?.value.slice(0, -suffix.length);
}

/** `2018 Jul 17` from Year, Month, Day. */
function displayDate(date: XmlElement): string {
  const month = textOf(child(date, 'Month'));
  const day = textOf(child(date, 'Day'));
  return [textOf(child(date, 'Year')), month && monthName(month), day && String(Number(day) || day)].filter(Boolean).join(' ');
}
