/** Test helper: run a command asynchronously. */
import { spawn } from "node:child_process";
import { ROOT } from "../helpers.js";

/** Run a command without blocking the test worker (spawnSync would starve vitest's RPC). */
export function exec(cmd: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, CHURNKIT_LOG_LEVEL: "silent" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
