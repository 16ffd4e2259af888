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

/** An input could not be used (missing, unreadable, binary); the other inputs are still converted. */
export class InputError extends CliError {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`, EXIT.USAGE);
  }
}

/**
 * The output could not be written (full disk, closed device, no permission). Never caught
 * as a bad input: the run stops and nothing is put in place of the previous file.
 */
export class OutputError extends CliError {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`, EXIT.USAGE);
  }
}

/** --strict met a problem. */
export class StrictStop extends CliError {
  constructor(message: string) {
    super(message, EXIT.DATA);
  }
}

/** Explains a Node file-system error in words, without a stack. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: string }).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'EMFILE':
      return 'too many open files';
    default:
      return (error as Error).message ?? String(error);
  }
}
