/** Errors that end a run, each with the exit status it stands for. Nothing calls process.exit(). */

export const EXIT = Object.freeze({
  /** Converted; warnings allowed. */
  OK: 0,
  /** Data errors: a problem in --strict or --check, or input that held no record. */
  DATA: 1,
  /** Usage or I/O errors: bad option, missing or unreadable file, binary input. */
  USAGE: 2,
});

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

/** --strict met a problem. */
export class StrictStop extends CliError {
  constructor(message: string) {
    super(message, EXIT.DATA);
  }
}

// the engine's own errors, which the command maps to messages and exit status 2
export { describeFsError, InputError, MedlineError, OutputError } from '../engine/errors.js';
