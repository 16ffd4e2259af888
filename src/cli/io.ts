/** What the command line needs from its process, passed in so that tests run it in-process. */
import type { Readable, Writable } from 'node:stream';

export interface CliIO {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** True when stderr is a terminal: colour, progress and the summary line. */
  readonly stderrIsTTY: boolean;
  /** True when stdin is a terminal: `medline` alone then shows its usage instead of waiting. */
  readonly stdinIsTTY?: boolean;
  /** Width of the terminal on stderr, for the progress line. */
  readonly columns?: number;
  /** Width of the terminal on stdout, for --help. */
  readonly stdoutColumns?: number;
  /** Colours the terminal supports (1, 4, 8 or 24 bits), as `tty.WriteStream#getColorDepth` says. */
  readonly colorDepth: number;
}
