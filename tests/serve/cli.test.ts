/** `churnkit serve` as a process: startup errors, one log line per request, graceful SIGTERM. */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { createServer as netServer, type Server } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, tmp } from "../helpers.js";
import { CUSTOMER, trainedModel, type Fixture } from "./fixture.js";

const MAIN = join(ROOT, "dist", "cli", "main.js");
let fx: Fixture;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // Build dist/ (tsc emits even when files elsewhere in the tree do not type-check yet).
  await new Promise<void>((resolve) =>
    execFile("npx", ["tsc", "-p", join(ROOT, "tsconfig.json")], { cwd: ROOT }, () => resolve()),
  );
  if (!existsSync(join(ROOT, "dist", "cli", "serve.js")))
    throw new Error("the build did not produce dist/cli/serve.js");
  fx = await trainedModel();
}, 240_000);
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

interface Run {
  child: ChildProcess;
  exit: Promise<number | null>;
  stderr: () => string;
}

function serve(args: string[], env: Record<string, string> = {}): Run {
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

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const s = netServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function waitForHealth(port: number, run: Run): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (run.child.exitCode !== null) throw new Error(`server exited: ${run.stderr()}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("server did not start");
}

const lines = (s: string) => s.trimEnd().split("\n").filter(Boolean);

describe("churnkit serve", () => {
  it("exits 2 with one line when the model directory is missing or corrupt", async () => {
    const missing = serve(["--model", join(tmp(), "no-such-model")]);
    expect(await missing.exit).toBe(2);
    expect(lines(missing.stderr())).toHaveLength(1);
    expect(missing.stderr()).toMatch(/^churnkit: .*no-such-model.*model not found/);

    const dir = join(tmp(), "broken");
    mkdirSync(dir);
    writeFileSync(join(dir, "model.json"), '{"format": "churnkit-model", ');
    const corrupt = serve(["--model", dir]);
    expect(await corrupt.exit).toBe(2);
    expect(lines(corrupt.stderr())).toHaveLength(1);
    expect(corrupt.stderr()).toMatch(/^churnkit: .*corrupt model file/);
  });

  it("exits 2 with one line when the port is taken", async () => {
    const blocker: Server = netServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = serve(["--model", fx.dir, "--port", String(port)], { CHURNKIT_LOG_LEVEL: "info" });
      expect(await run.exit).toBe(2);
      expect(lines(run.stderr())).toEqual([
        `churnkit: port ${port} is already in use on 127.0.0.1; choose another with --port`,
      ]);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it("exits 2 on a bad --max-body or --port", async () => {
    const a = serve(["--model", fx.dir, "--max-body", "huge"]);
    expect(await a.exit).toBe(2);
    expect(lines(a.stderr())).toEqual([
      'churnkit: --max-body must be a size such as 1mb, 512kb or a byte count, got "huge"',
    ]);
    const b = serve(["--model", fx.dir, "--port", "99999"]);
    expect(await b.exit).toBe(2);
  });

  it("logs one JSON line per request and, on SIGTERM, finishes the in-flight request then exits 0", async () => {
    const port = await freePort();
    const run = serve(["--model", fx.dir, "--port", String(port)], { CHURNKIT_LOG_LEVEL: "info" });
    await waitForHealth(port, run);

    // Send the headers and half the body, then SIGTERM, then the rest: the request is in flight.
    const body = JSON.stringify(Array.from({ length: 50 }, (_, i) => ({ ...CUSTOMER, customerID: `c${i}` })));
    const half = Math.floor(body.length / 2);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/predict",
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, half));
      setTimeout(() => {
        run.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(half)), 500);
      }, 300);
    });
    const r = await response;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).predictions).toHaveLength(50);
    expect(await run.exit).toBe(0);

    const requestLines = lines(run.stderr()).filter((l) => l.includes('"msg":"request"'));
    expect(requestLines).toHaveLength(2); // GET /health (the successful poll) and POST /predict
    const logged = JSON.parse(requestLines.find((l) => l.includes("/predict"))!);
    expect(logged).toMatchObject({ method: "POST", url: "/predict", status: 200, rows: 50 });
    expect(typeof logged.ms).toBe("number");
  });
});
