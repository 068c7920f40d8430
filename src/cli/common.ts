/** Helpers shared by the subcommands. */
import { InvalidArgumentError } from "commander";
import { createLogger, setLogger, type Logger } from "../utils/logging.js";

/** Install the CLI logger (human-readable on stderr). */
export function cliLogger(): Logger {
  const log = createLogger();
  setLogger(log);
  return log;
}

/** A commander parser for a whole-number flag; anything else is a usage error (exit 2) naming the flag. */
export function parseIntArg(name: string) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError(`${name} must be a whole number, got "${v}"`);
    return Number(v);
  };
}

/** A commander parser for a finite-number flag; anything else is a usage error (exit 2) naming the flag. */
export function parseFloatArg(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${v}"`);
    return n;
  };
}

/** `--threads N`: a whole number from 1 to `max`; anything else is a usage error (exit 2) naming the flag. */
export function parseThreadsArg(max: number) {
  return (v: string): number => {
    const n = parseIntArg("--threads")(v);
    if (n < 1 || n > max)
      throw new InvalidArgumentError(`--threads must be a whole number from 1 to ${max} (threads to use), got "${v}"`);
    return n;
  };
}

/** Split a comma-separated flag value (`--drop a,b`) into trimmed, non-empty names. */
export const parseList = (v: string): string[] =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Print `--json` output on stdout (logs go to stderr), indented for humans and scripts alike. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + "\n");
}
