/**
 * Structured logging with pino, always to stderr so that stdout stays free for --json output.
 * Human-readable (pino-pretty, synchronous) by default; JSON lines with CHURNKIT_LOG_FORMAT=json.
 * Level from CHURNKIT_LOG_LEVEL (default "info"; tests and the API use "silent" unless asked).
 */
import { pino, type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

let current: Logger | undefined;

/**
 * The CLI's logger on stderr: human-readable by default, JSON lines with `CHURNKIT_LOG_FORMAT=json`; level from
 * `CHURNKIT_LOG_LEVEL` (default "info").
 */
export function createLogger(level = process.env.CHURNKIT_LOG_LEVEL ?? "info"): Logger {
  if (process.env.CHURNKIT_LOG_FORMAT === "json") return jsonLogger(level);
  const stream = pretty({
    destination: 2,
    sync: true,
    colorize: process.stderr.isTTY === true,
    ignore: "pid,hostname",
    translateTime: "HH:MM:ss",
  });
  return pino({ level, base: undefined }, stream);
}

/** JSON lines on stderr, written synchronously (the server's own log format). */
export function jsonLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));
}

/** The process-wide logger; silent until the CLI (or a user) installs one. */
export function logger(): Logger {
  if (!current) current = pino({ level: process.env.CHURNKIT_LOG_LEVEL ?? "silent" });
  return current;
}

/** Install the process-wide logger that {@link logger} returns. */
export function setLogger(l: Logger): void {
  current = l;
}
