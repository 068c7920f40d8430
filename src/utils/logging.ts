/**
 * Structured logging with pino, always to stderr so that stdout stays free for --json output.
 * Human-readable (pino-pretty, synchronous) by default; JSON lines with CHURNKIT_LOG_FORMAT=json.
 * Level from CHURNKIT_LOG_LEVEL (default "info"; tests and the API use "silent" unless asked).
 */
import { createRequire } from "node:module";
import type { Logger } from "pino";
import type * as Pino from "pino";
import type PinoPretty from "pino-pretty";

export type { Logger };

// Both are CommonJS: `require` skips the export lexer an ESM import runs over them, and loading on first use keeps
// them (~40 ms) off the commands and imports that never log.
const load = createRequire(import.meta.url);
const pinoOf = (): typeof Pino.pino => (load("pino") as typeof Pino).pino;
const prettyOf = (): typeof PinoPretty => load("pino-pretty") as typeof PinoPretty;

let current: Logger | undefined;

/**
 * The CLI's logger on stderr: human-readable by default, JSON lines with `CHURNKIT_LOG_FORMAT=json`; level from
 * `CHURNKIT_LOG_LEVEL` (default "info").
 */
export function createLogger(level = process.env.CHURNKIT_LOG_LEVEL ?? "info"): Logger {
  if (process.env.CHURNKIT_LOG_FORMAT === "json") return jsonLogger(level);
  const stream = prettyOf()({
    destination: 2,
    sync: true,
    colorize: process.stderr.isTTY === true,
    ignore: "pid,hostname",
    translateTime: "HH:MM:ss",
  });
  return pinoOf()({ level, base: undefined }, stream);
}

/** JSON lines on stderr, written synchronously (the server's own log format). */
export function jsonLogger(level: string): Logger {
  const pino = pinoOf();
  return pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));
}

/** The process-wide logger; silent until the CLI (or a user) installs one. */
export function logger(): Logger {
  if (!current) current = pinoOf()({ level: process.env.CHURNKIT_LOG_LEVEL ?? "silent" });
  return current;
}

/** Install the process-wide logger that {@link logger} returns. */
export function setLogger(l: Logger): void {
  current = l;
}
