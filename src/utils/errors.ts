/**
 * User errors: bad usage or bad input. The CLI prints their one-line message and exits 2,
 * never a stack trace. Anything else is a bug or an environment failure (exit 1).
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** Whether an error is a {@link UserError} (exit 2, message only) rather than a bug (exit 1). */
export const isUserError = (e: unknown): e is UserError => e instanceof UserError;

/** Shorten a value for an error message. */
export function show(v: unknown, max = 40): string {
  const s = typeof v === "string" ? JSON.stringify(v) : String(v);
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}
