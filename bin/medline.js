#!/usr/bin/env node
// The `medline` command; everything it does is in src/cli (built to dist/cli).
import { runFromProcess } from '../dist/cli/process.js';

runFromProcess();
