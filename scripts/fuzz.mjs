// `npm run fuzz -- [--runs 100000] [--seed N]`: the mutation fuzz tests of test/corpus/fuzz.test.ts,
// run long. A failing input is written to fixtures/fuzz-found/ to become a fixture.
import { spawnSync } from 'node:child_process';

const argv = process.argv.slice(2);
const value = (name, fallback) => {
  const i = argv.indexOf(name);
  return i === -1 ? fallback : argv[i + 1];
};
const runs = value('--runs', '10000');
const seed = value('--seed', String(Date.now() % 2_147_483_647));
if (!/^\d+$/.test(runs) || !/^-?\d+$/.test(seed)) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed N]');
  process.exit(2);
}
console.error(`fuzzing: ${runs} runs per property, seed ${seed}`);
const result = spawnSync('npx', ['vitest', 'run', 'test/corpus/fuzz.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exit(result.status ?? 1);
