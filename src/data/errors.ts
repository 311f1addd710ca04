/**
 * An error in the user's input (a data file, a manifest, an experiment definition).
 * The CLI prints `file: message` and exits non-zero without a stack trace; anything
 * that is not an InputError is a bug and keeps its stack.
 */
export class InputError extends Error {
  readonly file: string;
  readonly detail: string;
  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'InputError';
    this.file = file;
    this.detail = detail;
  }
}
