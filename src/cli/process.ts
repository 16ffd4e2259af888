/** Runs `main` for the real process: the one place that reads process.argv and sets the exit status. */
import { runInterruptActions } from './cleanup.js';
import { main } from './main.js';

export function runFromProcess(): void {
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      runInterruptActions();
      process.exit(status);
    });
  }
  // a closed stdout (`| head -1`) is a normal end, not a crash
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY === true,
    colorDepth: process.stderr.isTTY ? process.stderr.getColorDepth(process.env) : 1,
  }).then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`medline: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
