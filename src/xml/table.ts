/**
 * The table of what a PubMed XML record holds and where it goes: the elements and attributes
 * each container's mapping reads (src/xml/to-fields.ts), what is kept in `extra` because no
 * field takes it, and the values a citation holds transformed or does not keep. A new element
 * is mapped here; the losslessness audit (test/xml/xml-audit.test.ts) fails until it is.
 * No Node imports.
 */
import { elements, isStructural, textOf, type XmlElement } from './tree.js';

/** Month names as PubMed writes them (`DP - 2018 Jun 5`). */
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * What each container of a record holds that the mapping reads; any other child element or
 * attribute is kept in `extra` (`xml:Journal/ISOAbbreviation`, `xml:MedlineCitation@IndexingMethod`),
 * so that nothing of a record is lost unsaid.
 */
const MAPPED_NAMES: Readonly<Record<string, { elements: readonly string[]; attributes: readonly string[] }>> = {
  PubmedArticle: { elements: ['MedlineCitation', 'PubmedData'], attributes: [] },
  MedlineCitation: {
    elements: ['PMID', 'DateCreated', 'DateCompleted', 'DateRevised', 'Article', 'MedlineJournalInfo', 'ChemicalList', 'SupplMeshList', 'CitationSubset', 'CommentsCorrectionsList', 'GeneSymbolList', 'MeshHeadingList', 'NumberOfReferences', 'PersonalNameSubjectList', 'OtherID', 'OtherAbstract', 'KeywordList', 'CoiStatement', 'SpaceFlightMission', 'InvestigatorList', 'GeneralNote'],
    attributes: ['Status', 'Owner'],
  },
  Article: {
    elements: ['Journal', 'ArticleTitle', 'Pagination', 'ELocationID', 'Abstract', 'AuthorList', 'Language', 'DataBankList', 'GrantList', 'PublicationTypeList', 'VernacularTitle', 'ArticleDate', 'Affiliation'],
    attributes: ['PubModel'],
  },
  Journal: { elements: ['ISSN', 'JournalIssue', 'Title'], attributes: [] },
  JournalIssue: { elements: ['Volume', 'Issue', 'PubDate'], attributes: [] },
  MedlineJournalInfo: { elements: ['Country', 'MedlineTA', 'NlmUniqueID', 'ISSNLinking'], attributes: [] },
  PubmedData: { elements: ['History', 'PublicationStatus', 'ArticleIdList', 'ReferenceList'], attributes: [] },
  PubmedBookArticle: { elements: ['BookDocument', 'PubmedBookData'], attributes: [] },
  BookDocument: {
    elements: ['PMID', 'ArticleIdList', 'Book', 'LocationLabel', 'ArticleTitle', 'Abstract', 'AuthorList', 'Language', 'GrantList', 'PublicationType', 'KeywordList', 'DateRevised', 'ContributionDate', 'ReferenceList'],
    attributes: [],
  },
  Book: { elements: ['Publisher', 'PubDate', 'BookTitle', 'CollectionTitle', 'VolumeTitle', 'Edition', 'Isbn', 'AuthorList'], attributes: [] },
  PubmedBookData: { elements: ['History', 'PublicationStatus', 'ArticleIdList'], attributes: [] },
};

/**
 * The values a citation holds in another form than the XML wrote them, by `Element@attribute`
 * or `Parent/Element` (or the element's name alone): `structure` for attributes that say how
 * to read the record (they become a flag, a field's place, or nothing), else the function
 * that gives the value as the citation holds it. The losslessness audit
 * (test/xml/xml-audit.test.ts) checks every other value word for word: a new element is mapped
 * here, or in a field, or it is kept in `extra`.
 */
export const XML_TRANSFORMED: ReadonlyMap<string, 'structure' | `not kept: ${string}` | ((value: string) => string)> = new Map<string, 'structure' | `not kept: ${string}` | ((value: string) => string)>([
  // flags: a star or a boolean in the citation
  ['DescriptorName@MajorTopicYN', 'structure'],
  ['QualifierName@MajorTopicYN', 'structure'],
  ['Keyword@MajorTopicYN', 'structure'],
  ['Author@ValidYN', 'structure'],
  ['AuthorList@CompleteYN', 'structure'],
  ['AuthorList@Type', 'structure'],
  ['InvestigatorList@CompleteYN', 'structure'],
  ['Investigator@ValidYN', 'structure'],
  ['ELocationID@ValidYN', 'structure'],
  ['ELocationID@EIdType', 'structure'],
  ['ArticleId@IdType', 'structure'],
  ['PubMedPubDate@PubStatus', 'structure'],
  ['ArticleDate@DateType', 'structure'],
  ['ISSN@IssnType', 'structure'],
  ['CommentsCorrections@RefType', 'structure'],
  ['DescriptorName@Type', 'structure'],
  ['GrantList@CompleteYN', 'structure'],
  ['DataBankList@CompleteYN', 'structure'],
  ['PMID@Version', 'structure'],
  ['OtherID@Source', 'structure'],
  ['Identifier@Source', 'structure'],
  ['LocationLabel@Type', 'structure'],
  ['AbstractText@NlmCategory', 'structure'],
  ['KeywordList@Owner', 'structure'],
  ['OtherAbstract@Type', 'structure'],
  ['MedlineCitation@VersionID', 'structure'],
  ['MedlineCitation@VersionDate', 'structure'],
  // MathML presentation (fonts, spacing, namespaces): its text is kept, these are not
  ['MathML@*', 'structure'],
  // an ORCID as the dashed iD (`https://orcid.org/0000-…` → `0000-…`)
  ['Identifier', (v) => {
    const id = v.replace(/^https?:\/\/(www\.)?orcid\.org\//i, '');
    return /^\d{15}[\dX]$/.test(id) ? id.replace(/(.{4})(?=.)/g, '$1-') : id;
  }],
  ['ArticleTitle@book', 'not kept: the Bookshelf id of the book (ids.bookAccession keeps the chapter\'s NBK accession)'],
  ['ArticleTitle@part', 'not kept: the Bookshelf id of the chapter (ids.bookAccession keeps its NBK accession)'],
  ['BookTitle@book', 'not kept: the Bookshelf id of the book'],
  ['DescriptorName@AutoHM', 'not kept: NLM\'s mark (2025 DTD) of a heading given by automated indexing'],
  // deliberately not kept (README, "PubMed XML in"):
  ['PublicationType@UI', 'not kept: the MeSH UI of a publication type, given by its name'],
  ['NameOfSubstance@UI', 'not kept: the MeSH UI of a chemical, given by its name'],
  ['SupplMeshName@UI', 'not kept: the MeSH UI of a supplementary concept, given by its name'],
  ['SupplMeshName@Type', 'not kept: the kind of a supplementary concept (Disease, Protocol, Organism)'],
  ['Author@EqualContrib', 'not kept: NLM marks equal contributions only since 2021, on few records'],
  ['CollectiveName@Investigators', 'not kept: the id linking a collective name to its investigator list (the list is in investigators)'],
  ['InvestigatorList@ID', 'not kept: the id linking an investigator list to its collective name'],
  ['ReferenceList/Title', 'not kept: the heading of a reference list (its references are in references)'],
  // month names as numbers (`Jun` → 6)
  ['Month', (m) => String(MONTHS.findIndex((n) => n.toLowerCase() === m.slice(0, 3).toLowerCase()) + 1 || m)],
]);

const MAPPED: ReadonlyMap<string, { elements: ReadonlySet<string>; attributes: ReadonlySet<string> }> = new Map(
  Object.entries(MAPPED_NAMES).map(([name, m]) => [name, { elements: new Set(m.elements), attributes: new Set(m.attributes) }]),
);

export function unmapped(record: XmlElement): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  const walk = (container: XmlElement) => {
    const mapped = MAPPED.get(container.name);
    if (mapped === undefined) return;
    for (const name in container.attributes) {
      if (!mapped.attributes.has(name)) out.push({ key: `xml:${container.name}@${name}`, value: container.attributes[name]! });
    }
    for (const e of container.children) {
      if (typeof e === 'string') continue;
      if (MAPPED.has(e.name)) walk(e);
      else if (!mapped.elements.has(e.name)) keepWhole(e, container.name, out);
    }
  };
  walk(record);
  return out;
}

/**
 * An element no field takes, in `extra`: its text as one value when it holds text (inline
 * markup included); when it holds elements of its own (a book's `Sections`), each of them
 * apart, so that no two titles run together; its attributes too.
 */
function keepWhole(e: XmlElement, parent: string, out: Array<{ key: string; value: string }>): void {
  for (const name in e.attributes) out.push({ key: `xml:${e.name}@${name}`, value: e.attributes[name]! });
  const parts = elements(e);
  if (parts.length > 0 && parts.every((p) => isStructural(p.name)) && !e.children.some((c) => typeof c === 'string' && /\S/.test(c))) {
    for (const p of parts) keepWhole(p, e.name, out);
    return;
  }
  out.push({ key: `xml:${parent}/${e.name}`, value: textOf(e) });
}

