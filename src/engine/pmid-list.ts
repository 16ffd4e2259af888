/**
 * The PMID lists of `--pmids` and `--exclude-pmids`, read as every input is: opened by
 * `openInput` (a directory, a missing file, gzip), decoded by the same InputDecoder (a BOM
 * picks UTF-8 or UTF-16, as Excel's "Unicode text" writes; binary data is refused), a line
 * at a time into a PmidSet, so that ten million PMIDs take tens of megabytes.
 */
import { BinaryInputError, InputDecoder } from '../node/decoder.js';
import { PmidSet, pmidOf } from '../selection.js';
import { InputError, MedlineError } from './errors.js';
import { openInput } from './input.js';
import type { InputPlace } from './options.js';

/**
 * A list of PMIDs, one a line, in any form `pmidOf` reads (`#` starts a comment; blank
 * lines are skipped). Other lines are passed to `report` with their line number and skipped.
 * Throws MedlineError `LIST` for a list that cannot be used: missing, binary, or naming no PMID.
 */
export async function readPmidList(name: string, place: InputPlace, report: (line: number, text: string) => void): Promise<PmidSet> {
  const pmids = new PmidSet();
  const decoder = new InputDecoder(null, null, 'a list of PMIDs');
  let partial = '';
  let line = 0;
  const take = (text: string, atEnd: boolean) => {
    let all = partial + text;
    // a CR at the end may be half of a CR LF: kept with its line until the next chunk
    const hold = !atEnd && all.endsWith('\r') ? '\r' : '';
    if (hold !== '') all = all.slice(0, -1);
    const lines = all.split(/\r\n|\r|\n/);
    // the last piece is a line the chunk may have cut
    partial = atEnd ? '' : lines.pop()! + hold;
    if (atEnd && lines[lines.length - 1] === '') lines.pop();
    for (const raw of lines) {
      line++;
      const entry = raw.replace(/#.*$/, '').replace(/^\uFEFF/, '').trim();
      if (entry === '') continue;
      const pmid = pmidOf(entry);
      if (pmid === null) report(line, raw);
      else pmids.add(pmid);
    }
  };
  try {
    const input = await openInput(name, place);
    for await (const chunk of input.chunks) take(decoder.write(chunk).text, false);
    take(decoder.end().text, true);
  } catch (error) {
    if (error instanceof BinaryInputError) throw new MedlineError('LIST', name, `${error.message}; a list is plain text, one PMID a line`);
    if (error instanceof InputError) throw new MedlineError('LIST', name, error.message.slice(name.length + 2));
    throw error;
  }
  if (pmids.size === 0) throw new MedlineError('LIST', name, 'lists no PMID (one a line: 12345, PMID: 12345 or a PubMed URL)');
  return pmids;
}
