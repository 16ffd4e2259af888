/** Runs `main` for the real process: the one place that reads process.argv and sets the exit status. */
import { runInterruptActions } from '../engine/cleanup.js';
import { main } from './main.js';

export function runFromProcess(): void {
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.on(signal, () => {
      runInterruptActions();
      // on a new line: a progress line may stand unfinished
      process.stderr.write(`\nmedline: interrupted (${signal})\n`);
      process.exit(status);
    });
  }
  // Stream errors are handled where the stream is written: a closed stdout (`| head -1`)
  // is a normal end and a full one an I/O error (StreamOutput); a closed stderr only means
  // that nobody reads the messages, which is no reason to stop converting.
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY === true,
    stdinIsTTY: process.stdin.isTTY === true,
    ...(process.stderr.isTTY ? { columns: process.stderr.columns } : {}),
    ...(process.stdout.isTTY ? { stdoutColumns: process.stdout.columns } : {}),
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
