// The baseline: read the file, decode UTF-8, count newlines — near the speed limit of any
// JavaScript parser of this text.
import { createReadStream } from 'node:fs';

let lines = 0;
const decoder = new TextDecoder();
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 256 * 1024 })) {
  const text = decoder.decode(chunk, { stream: true });
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
}
decoder.decode();
process.stdout.write(`${lines}\n`);
