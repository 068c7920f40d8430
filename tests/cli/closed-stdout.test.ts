/**
 * A reader that stops early (`churnkit predict --data FILE | head -1`) closes churnkit's stdout: the command stops
 * quietly with exit 1 (its output was not written whole), never with Node's stack trace of an unhandled EPIPE.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../cli-run.js";
import { TELCO, tmp } from "../helpers.js";

const model = join(tmp("churnkit-epipe-"), "model");

beforeAll(async () => {
  const r = await runCli(["train", "--data", TELCO, "--target", "Churn", "--model", "logreg", "--out", model]);
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

describe("a closed stdout", () => {
  it("predict to a reader that reads one chunk and closes: exit 1, nothing on stderr", async () => {
    const child = spawn(process.execPath, [BIN, "predict", "--model", model, "--data", TELCO], {
      env: { ...process.env, CHURNKIT_LOG_LEVEL: "silent", CHURNKIT_NO_PROGRESS: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    let first = "";
    child.stdout.once("data", (d: Buffer) => {
      first = d.toString("utf8");
      child.stdout.destroy(); // as `head -1` does once it has its line
    });
    const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(first.startsWith("customerID,churn_probability,churn_prediction\n")).toBe(true);
    expect(stderr).toBe("");
    expect(status).toBe(1);
  }, 120_000);
});
