/**
 * What can go wrong in a conversion, apart from problems in the data (those are
 * diagnostics). One error type, MedlineError, with a closed set of codes, thrown alike to
 * the command (which maps each code to a message and exit status 2) and to library callers
 * of `convert()` (who can switch on `code`).
 */

/**
 * - `OPTION`: an option's value is wrong, or options that cannot go together (the command says
 *   "Try 'medline --help'").
 * - `CLASH`: a file medline would write is one it reads (an input, a PMID list) or another
 *   output: refused before anything is read.
 * - `LIST`: a PMID list cannot be used (missing, binary, empty).
 * - `INPUT`: an input cannot be used (missing, unreadable, binary, another format); the other
 *   inputs are still converted.
 * - `OUTPUT`: an output cannot be written (full disk, closed device, no permission); the run
 *   stops and nothing is put in place of the previous file.
 * - `NO_RECORD`: the library's run converted no record at all, and some input failed.
 */
export type MedlineErrorCode = 'OPTION' | 'CLASH' | 'LIST' | 'INPUT' | 'OUTPUT' | 'NO_RECORD';

export class MedlineError extends Error {
  constructor(
    readonly code: MedlineErrorCode,
    /** The file it is about, as the user named it; null when it is about no one file. */
    readonly file: string | null,
    message: string,
  ) {
    super(file === null ? message : `${file}: ${message}`);
    this.name = 'MedlineError';
  }
}

/** An input could not be used (missing, unreadable, binary); the other inputs are still converted. */
export class InputError extends MedlineError {
  constructor(file: string, message: string) {
    super('INPUT', file, message);
  }
}

/**
 * The output could not be written (full disk, closed device, no permission). Never caught
 * as a bad input: the run stops and nothing is put in place of the previous file.
 */
export class OutputError extends MedlineError {
  constructor(file: string, message: string) {
    super('OUTPUT', file, message);
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
    case 'ENAMETOOLONG':
      return 'the name is too long for the file system';
    case 'ENXIO':
      return 'no reader on the other end (a FIFO or socket no one reads)';
    default:
      return (error as Error).message ?? String(error);
  }
}
