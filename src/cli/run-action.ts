import { isShiploopError } from "../domain/errors.js";
import { scrubSecrets } from "../log/create-logger.js";

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_INTERNAL = 2;

/** Secrets known to the running command, so that a failure message never prints one. */
const knownSecrets: string[] = [];
export function registerSecrets(secrets: readonly string[]): void {
  knownSecrets.push(...secrets);
}

/**
 * Runs a command's action and turns its outcome into DESIGN.md's exit codes: 0 ok,
 * 1 a user error (one clear line on stderr, no stack), 2 an internal failure.
 */
export function runAction<A extends unknown[]>(
  // An action that returns a number chose its exit code; one that returns nothing succeeded.
  action: (...args: A) => Promise<unknown> | unknown,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      const code = await action(...args);
      process.exitCode = typeof code === "number" ? code : EXIT_OK;
    } catch (error) {
      process.exitCode = reportFailure(error);
    }
  };
}

export function reportFailure(error: unknown): number {
  if (isShiploopError(error) && error.kind === "user") {
    process.stderr.write(`shiploop: ${scrubSecrets(error.message, knownSecrets)}\n`);
    return EXIT_USER_ERROR;
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`shiploop: internal error: ${scrubSecrets(detail, knownSecrets)}\n`);
  return EXIT_INTERNAL;
}
