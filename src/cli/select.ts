/** The PMID lists of `--pmids` and `--exclude-pmids`. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeFsError, UsageError } from './errors.js';

/**
 * A list of PMIDs, one a line (`#` starts a comment; blank lines are skipped). Other lines
 * are reported with their line number and skipped.
 */
export function readPmidList(path: string, cwd: string, report: (line: number, text: string) => void): Set<string> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: ${describeFsError(error)}`);
  }
  const pmids = new Set<string>();
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const m = /^(?:PMID:?\s*)?(\d{1,10})$/i.exec(line);
    if (m) pmids.add(String(Number(m[1])));
    else report(i + 1, raw);
  });
  return pmids;
}

