#!/usr/bin/env node
// The `medline` command; everything it does is in src/cli (built to dist/cli).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/process.js', import.meta.url);
if (existsSync(built)) {
  const { runFromProcess } = await import(built.href);
  runFromProcess();
} else {
  // a clone not built yet (npm install builds nothing: the package carries no install script)
  process.stderr.write("medline: this copy is not built yet (no dist/): run 'npm run build' in its folder first\n");
  process.exitCode = 2;
}
