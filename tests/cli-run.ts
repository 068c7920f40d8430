/** Test helper: run the built CLI (`npm run build` first) as a child process, without blocking the test worker. */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./helpers.js";

/** The built `churnkit` binary. */
export const BIN = join(ROOT, "dist", "cli", "main.js");

/** What a CLI run gave. */
export interface CliRun {
  /** Exit code, or null when killed by a signal. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Killed because it ran past `timeoutMs`. */
  timedOut: boolean;
}

/** How to run it. */
export interface CliOptions {
  /** CHURNKIT_LOG_LEVEL; default "silent", so that stderr holds only an error line. */
  level?: string;
  /** Working directory; default the repository root. */
  cwd?: string;
  /** Kill the child after this many milliseconds (a hang then fails its test, not the whole suite). */
  timeoutMs?: number;
}

/**
 * Run `churnkit ARGS`, with no progress bar and no CHURNKIT_DEBUG. Asynchronous (spawn, not spawnSync) so that
 * the test worker's event loop stays free while the child runs: a blocked worker misses vitest's RPC deadlines on
 * a busy machine.
 */
export function runCli(args: string[], o: CliOptions = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, CHURNKIT_NO_PROGRESS: "1", CHURNKIT_LOG_LEVEL: o.level ?? "silent" };
  delete env.CHURNKIT_DEBUG;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: o.cwd ?? ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer =
      o.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill("SIGKILL");
          }, o.timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}
