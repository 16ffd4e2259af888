/** The library API of medline: parse MEDLINE text into typed citations, and format them. */
export type * from './types.js';
export { MedlineTokenizer, type TokenizerHandlers, type OffsetNote } from './core/tokenizer.js';
export { TAGS, TAG_INFO, MALFORMED_TAG, type TagInfo } from './core/tags.js';
export { MedlineParser, parse, parseRecords, type ParseResult, type ParserHandlers, type ParserOptions } from './parser.js';
export { toCitation, emptyCitation, type CitationOptions } from './citation/to-citation.js';
export { PubmedXmlReader, type XmlReaderHandlers, type SaxesParserClass } from './xml/reader.js';
export { parsePubmedXml } from './node/xml-input.js';
export { MedlineParseStream, parseStream, type StreamOptions } from './node/streams.js';
export { InputDecoder, BinaryInputError, type InputEncoding } from './node/decoder.js';
export { parseCitationJson, type JsonStreamOptions } from './node/json-input.js';
export { selectCitations, type SelectOptions } from './selection.js';
export { formatAll, formatCitation, type Formatter } from './formats/formatter.js';
export { createFormatter, formatForPath, FORMAT_NAMES, type FormatName, type FormatOptions } from './formats/index.js';
export { convert, type ConvertOptions, type ConvertSummary } from './engine/api.js';
export { MedlineError, type MedlineErrorCode } from './engine/errors.js';
