/**
 * Runs a command's body and turns input errors into one clear line on stderr
 * and exit code 1. Anything else is a bug: its stack is printed.
 */
import { InputError } from '../data/errors';

export async function runCommand(body: () => Promise<number | void>): Promise<void> {
  try {
    const code = await body();
    process.exitCode = code ?? 0;
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`internal error (please report): ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  }
}
