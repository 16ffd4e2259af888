/**
 * `medline/core`: what runs anywhere JavaScript does (a browser, Deno, a worker): MEDLINE text
 * to citations, PubMed XML pushed through a SAX parser you give, choosing records, formatting.
 * Nothing here imports from Node (test/engine/library.test.ts walks the imports to hold that).
 */
export type * from '../types.js';
export { MedlineTokenizer, type TokenizerHandlers, type OffsetNote } from '../core/tokenizer.js';
export { TAGS, TAG_INFO, MALFORMED_TAG, type TagInfo } from '../core/tags.js';
export { MedlineParser, parse, parseRecords, type ParseResult, type ParserHandlers, type ParserOptions } from '../parser.js';
export { toCitation, emptyCitation, type CitationOptions } from '../citation/to-citation.js';
export { PubmedXmlReader, type XmlReaderHandlers, type SaxesParserClass, type SaxParser } from '../xml/reader.js';
export { selectCitations, type SelectOptions } from '../selection.js';
export { formatAll, formatCitation, type Formatter } from '../formats/formatter.js';
export { createFormatter, formatForPath, FORMAT_NAMES, type FormatName, type FormatOptions } from '../formats/index.js';
