/** `medline/node`: Node's streams and files: bytes in any encoding, PubMed XML, medline's JSON read back. */
export { parsePubmedXml } from '../node/xml-input.js';
export { MedlineParseStream, parseStream, type StreamOptions } from '../node/streams.js';
export { InputDecoder, BinaryInputError, type InputEncoding } from '../node/decoder.js';
export { parseCitationJson, type JsonStreamOptions } from '../node/json-input.js';
