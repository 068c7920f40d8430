/**
 * Progress for steps that can take over a second: a spinner-like bar on a terminal,
 * nothing at all when stderr is not a TTY (CI, pipes, tests).
 */
import cliProgress from "cli-progress";

/** A progress display: `tick` advances it (by 1 by default), `stop` clears it. */
export interface Progress {
  /** Advance by `n` steps (default 1). */
  tick(n?: number): void;
  /** Finish and remove the bar. */
  stop(): void;
}

const quiet: Progress = { tick() {}, stop() {} };

/**
 * A progress bar of `total` steps on stderr, or a silent one when stderr is not a terminal or
 * `CHURNKIT_NO_PROGRESS` is set.
 */
export function progress(label: string, total: number): Progress {
  if (!process.stderr.isTTY || process.env.CHURNKIT_NO_PROGRESS) return quiet;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} {duration}s`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    tick: (n = 1) => bar.increment(n),
    stop: () => bar.stop(),
  };
}

/** Run `fn` with a progress bar of `total` steps. */
export async function withProgress<T>(label: string, total: number, fn: (p: Progress) => Promise<T> | T): Promise<T> {
  const p = progress(label, total);
  try {
    return await fn(p);
  } finally {
    p.stop();
  }
}
