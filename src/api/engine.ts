/** `medline/engine`: what the command does, as a function: files in, an output written atomically. */
export { convert, type ConvertOptions, type ConvertSummary } from '../engine/api.js';
export { MedlineError, type MedlineErrorCode } from '../engine/errors.js';
