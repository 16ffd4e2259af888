// Writes man/medline.1 from the built command's options (npm run build): `man medline`
// after a global install, `man -l man/medline.1` in a clone.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildProgram, HELP_AFTER } from '../dist/cli/options.js';
import { manPage } from '../dist/cli/completion.js';

const root = new URL('..', import.meta.url);
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
// SOURCE_DATE_EPOCH makes the page the same bytes from the same sources
const epoch = process.env.SOURCE_DATE_EPOCH;
const date = (epoch ? new Date(Number(epoch) * 1000) : new Date()).toISOString().slice(0, 10);
mkdirSync(new URL('man/', root), { recursive: true });
writeFileSync(new URL('man/medline.1', root), manPage(buildProgram(version), version, date, HELP_AFTER));
