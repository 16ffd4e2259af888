// Tokenizing only: bytes → raw records, nothing typed, nothing written.
import { createReadStream } from 'node:fs';
import { MedlineTokenizer } from '../dist/core/tokenizer.js';
import { InputDecoder } from '../dist/node/decoder.js';

let records = 0;
const tokenizer = new MedlineTokenizer({ onRecord: () => records++, onDiagnostic: () => {} });
const decoder = new InputDecoder();
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 256 * 1024 })) {
  const { text, notes } = decoder.write(chunk);
  tokenizer.note(notes);
  tokenizer.write(text);
}
tokenizer.write(decoder.end().text);
tokenizer.end();
process.stdout.write(`${records}\n`);
