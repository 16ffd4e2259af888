// Tokenizing only: bytes → raw records, nothing typed, nothing written; the byte path the
// command takes (lines found in the bytes, each decoded alone).
import { createReadStream } from 'node:fs';
import { MedlineTokenizer } from '../dist/core/tokenizer.js';
import { InputDecoder, nodeUtf8Decode } from '../dist/node/decoder.js';

let records = 0;
const tokenizer = new MedlineTokenizer({ onRecord: () => records++, onDiagnostic: () => {} }, { decodeUtf8: nodeUtf8Decode });
const decoder = new InputDecoder();
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 256 * 1024 })) decoder.feed(chunk, tokenizer);
decoder.finish(tokenizer);
tokenizer.end();
process.stdout.write(`${records}\n`);
