/** `churnkit serve` as a child process, for tests of its lifecycle (loopback only). */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer as netServer } from "node:net";
import { join } from "node:path";
import { ROOT } from "../helpers.js";

export const MAIN = join(ROOT, "dist", "cli", "main.js");

/** A running `churnkit serve`. */
export interface Run {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
}

/** Start `churnkit serve ARGS` (dist/ must be built). Kill leftovers with {@link killAll}. */
export function serve(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [MAIN, "serve", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exit, stderr: () => err };
}

const children: ChildProcess[] = [];
/** SIGKILL every child started by {@link serve} that is still running. */
export const killAll = (): void => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
};

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const s = netServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** Poll GET /health until it answers (or the server exits). */
export async function waitForHealth(port: number, run: Run): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (run.child.exitCode !== null || run.child.signalCode !== null)
      throw new Error(`server exited (${run.child.exitCode ?? run.child.signalCode}): ${run.stderr()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}
