/**
 * `churnkit serve --log-requests` under log rotation, as a real child process: logrotate moves the file and sends
 * SIGHUP; the server starts a new file at the same path and keeps serving, the moved file keeps every line
 * written before; a SIGHUP with the file still in place appends to it (never truncates); SIGINT stops gracefully
 * with every answered row flushed. A SIGHUP while the model is still loading does not kill the server.
 */
import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tmp } from "../helpers.js";
import { RequestLog } from "../../src/serve/request-log.js";
import { trainedModel, type Fixture } from "./fixture.js";
import { freePort, killAll, serve, waitForHealth, type Run } from "./process.js";

let fx: Fixture;
beforeAll(async () => {
  fx = await trainedModel();
}, 120_000);
afterAll(killAll);

const rowsOf = (file: string): unknown[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .slice(0, -1)
    .map((l) => (JSON.parse(l) as { row: unknown }).row);

async function predict(port: number, rows: unknown[]): Promise<void> {
  const r = await fetch(`http://127.0.0.1:${port}/predict`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(rows),
  });
  expect(r.status).toBe(200);
}

/** Wait until the server's stderr has `text` `count` times (or it exits). */
async function waitForLog(run: Run, text: string, count = 1): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (run.stderr().split(text).length - 1 >= count) return;
    if (run.child.exitCode !== null || run.child.signalCode !== null)
      throw new Error(`server exited (${run.child.exitCode ?? run.child.signalCode}): ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no "${text}" in the server's log: ${run.stderr()}`);
}

describe("churnkit serve: SIGHUP reopens the request log", () => {
  it("after a move, a new file at the path; in place, appended to; SIGINT flushes and exits 0", async () => {
    const dir = tmp("churnkit-rotate-");
    const file = join(dir, "requests.jsonl");
    const port = await freePort();
    const run = serve(["--model", fx.dir, "--port", String(port), "--log-requests", file], {
      CHURNKIT_LOG_LEVEL: "info",
    });
    await waitForHealth(port, run);
    const rows = fx.rows.slice(0, 30);
    await predict(port, rows.slice(0, 10));

    renameSync(file, `${file}.1`); // what logrotate does (no copytruncate), then SIGHUP
    run.child.kill("SIGHUP");
    await waitForLog(run, `SIGHUP: request log reopened at ${file}; still serving`);
    expect(existsSync(file)).toBe(true);
    await predict(port, rows.slice(10, 20));

    // A SIGHUP with the file still there: appended to, not truncated.
    run.child.kill("SIGHUP");
    await waitForLog(run, "SIGHUP: request log reopened", 2);
    await predict(port, rows.slice(20, 30));

    run.child.kill("SIGINT");
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toContain("SIGINT: finishing in-flight requests, then stopping");
    expect(rowsOf(`${file}.1`)).toEqual(rows.slice(0, 10));
    expect(rowsOf(file)).toEqual(rows.slice(10, 30));
  }, 60_000);

  it("without --log-requests, SIGHUP is noted and the server keeps serving; SIGTERM exits 0", async () => {
    const port = await freePort();
    const run = serve(["--model", fx.dir, "--port", String(port)], { CHURNKIT_LOG_LEVEL: "info" });
    await waitForHealth(port, run);
    run.child.kill("SIGHUP");
    await waitForLog(run, "SIGHUP: no request log to reopen (no --log-requests); still serving");
    await predict(port, fx.rows.slice(0, 3));
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);
  }, 60_000);
});

describe("churnkit serve: SIGHUP while the model loads", () => {
  it("is noted and ignored: the server comes up, and a later SIGHUP is the usual one", async () => {
    const dir = tmp("churnkit-rotate-");
    const file = join(dir, "requests.jsonl");
    const port = await freePort();
    // At debug level the server says when it starts loading the model.
    const run = serve(["--model", fx.dir, "--port", String(port), "--log-requests", file], {
      CHURNKIT_LOG_LEVEL: "debug",
    });
    // The handler is in place before this line; loading the model and starting the server take far longer than
    // the signal's trip (about a second here, measured), so the SIGHUP lands while loading.
    await waitForLog(run, "loading model");
    run.child.kill("SIGHUP");
    await waitForHealth(port, run);
    expect(run.stderr()).toContain("SIGHUP while loading the model: nothing to reopen yet; still starting");
    await predict(port, fx.rows.slice(0, 3));
    run.child.kill("SIGHUP");
    await waitForLog(run, `SIGHUP: request log reopened at ${file}; still serving`);
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);
    expect(rowsOf(file)).toEqual(fx.rows.slice(0, 3));
  }, 60_000);
});

describe("RequestLog.reopen", () => {
  it("when the path cannot be opened now, says so (naming it) and keeps writing to the open file", async () => {
    const dir = tmp("churnkit-rotate-");
    mkdirSync(join(dir, "logs"));
    const file = join(dir, "logs", "r.jsonl");
    const log = RequestLog.open(file);
    await log.append([{ a: 1 }], [0.25], 0.5, new Date(0));
    renameSync(join(dir, "logs"), join(dir, "moved")); // the folder is gone: nowhere to start a new file
    await expect(log.reopen()).rejects.toThrow(`--log-requests ${file}: `);
    await log.append([{ a: 2 }], [0.75], 0.5, new Date(0));
    await log.close();
    expect(rowsOf(join(dir, "moved", "r.jsonl"))).toEqual([{ a: 1 }, { a: 2 }]);
    await expect(log.reopen()).rejects.toThrow("already closed");
  });
});
