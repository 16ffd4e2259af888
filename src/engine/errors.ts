/**
 * What can go wrong in a conversion, apart from problems in the data (those are
 * diagnostics): an input that cannot be used, an output that cannot be written.
 */

/** An input could not be used (missing, unreadable, binary); the other inputs are still converted. */
export class InputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/**
 * The output could not be written (full disk, closed device, no permission). Never caught
 * as a bad input: the run stops and nothing is put in place of the previous file.
 */
export class OutputError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
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
