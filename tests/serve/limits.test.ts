/**
 * Server limits and lifecycle: a request that arrives too slowly gets 408 and is closed; on SIGTERM
 * `churnkit serve` stops accepting connections, finishes a large in-flight response, then exits 0,
 * or exits 1 when the shutdown grace runs out. Loopback only.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, parseDuration } from "../../src/serve/server.js";
import { ROOT, TELCO, tmp } from "../helpers.js";
import { trainedModel, type Fixture } from "./fixture.js";
import { freePort, killAll, serve, waitForHealth } from "./process.js";

let fx: Fixture;
beforeAll(async () => {
  await new Promise<void>((resolve) =>
    execFile("npx", ["tsc", "-p", join(ROOT, "tsconfig.json")], { cwd: ROOT }, () => resolve()),
  );
  fx = await trainedModel();
}, 240_000);
afterAll(killAll);

const lines = (s: string) => s.trimEnd().split("\n").filter(Boolean);

/** Send `head` (and nothing more) on a raw loopback connection; resolve with all it receives until it closes. */
function stall(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => s.write(head));
    let got = "";
    s.on("data", (d: Buffer) => (got += d.toString("latin1")));
    s.on("error", reject);
    s.on("close", () => resolve(got));
  });
}

const TIMEOUT_MESSAGE =
  "request not received within 1 s (this server's limit, churnkit serve --body-timeout); send the whole body at once";

describe("request timeout", () => {
  it("answers 408 with one line and closes a connection whose body stalls, or whose headers stall", async () => {
    const app = createServer(fx.model, { bodyTimeout: "1s" });
    await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const port = (app.server.address() as { port: number }).port;
      const body = stall(
        port,
        'POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"tenure":',
      );
      const headers = stall(port, "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: appl");
      for (const got of [await body, await headers]) {
        expect(got.split("\r\n")[0]).toBe("HTTP/1.1 408 Request Timeout");
        expect(got).toMatch(/\r\nConnection: close\r\n/);
        expect(JSON.parse(got.slice(got.indexOf("\r\n\r\n") + 4))).toEqual({ error: TIMEOUT_MESSAGE });
      }
      // A request sent at once is unaffected.
      const ok = await fetch(`http://127.0.0.1:${port}/health`);
      expect(ok.status).toBe(200);
    } finally {
      await app.close();
    }
  }, 20_000);

  it("reads durations and refuses a bad bodyTimeout", () => {
    expect([parseDuration("30s"), parseDuration("500ms"), parseDuration("2m"), parseDuration(1500)]).toEqual([
      30_000, 500, 120_000, 1500,
    ]);
    expect(parseDuration("soon")).toBeUndefined();
    expect(parseDuration("0s")).toBeUndefined();
    expect(() => createServer(fx.model, { bodyTimeout: "soon" })).toThrow(
      'bodyTimeout must be a duration such as "30s" or a number of milliseconds, got "soon"',
    );
  });
});

/** Telco rows repeated to `n` rows, each with a unique customerID (row number), as CSV text. */
function bigCsv(n: number): string {
  const [header, ...rows] = readFileSync(TELCO, "utf8").trimEnd().split(/\r?\n/);
  const out = [header!];
  for (let i = 0; i < n; i++) {
    const r = rows[i % rows.length]!;
    out.push(`R${i}${r.slice(r.indexOf(","))}`);
  }
  return out.join("\n") + "\n";
}

describe("churnkit serve shutdown", () => {
  it("on SIGTERM refuses new connections, sends the whole of a large in-flight CSV response, then exits 0", async () => {
    const n = 150_000; // a response of about 5 MB: more than the sockets' buffers hold
    const file = join(tmp(), "big.csv");
    writeFileSync(file, bigCsv(n));
    const body = readFileSync(file);
    const port = await freePort();
    const run = serve(["--model", fx.dir, "--port", String(port), "--max-body", "50mb"], {
      CHURNKIT_LOG_LEVEL: "info",
    });
    await waitForHealth(port, run);

    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/predict.csv",
          headers: { "content-type": "text/csv", "content-length": body.length },
        },
        resolve,
      );
      req.on("error", reject);
      req.end(body);
    });
    expect(res.statusCode).toBe(200);
    res.pause(); // the client is slow: most of the body is still in the server's buffers
    run.child.kill("SIGTERM");
    for (let i = 0; i < 100 && !run.stderr().includes("SIGTERM: finishing"); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(run.stderr()).toContain("SIGTERM: finishing in-flight requests, then stopping");
    const refused = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => `status ${r.status}`,
      (e: Error & { cause?: { code?: string } }) => e.cause?.code,
    );
    expect(refused).toBe("ECONNREFUSED");

    const chunks: Buffer[] = [];
    const outcome = await new Promise<string>((resolve) => {
      res.on("data", (d: Buffer) => chunks.push(d));
      res.on("end", () => resolve("end"));
      res.on("aborted", () => resolve("aborted"));
      res.on("error", (e) => resolve(`error: ${e.message}`));
      res.resume();
    });
    expect(outcome).toBe("end");
    const out = lines(Buffer.concat(chunks).toString("utf8"));
    expect(out).toHaveLength(n + 1);
    expect(out[0]).toBe("customerID,churn_probability,churn_prediction");
    expect(out[1]!.split(",")[0]).toBe("R0");
    expect(out[n]!.split(",")[0]).toBe(`R${n - 1}`);
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toContain('"msg":"stopped"');
  }, 120_000);

  it("exits 1 when an in-flight request does not finish within --shutdown-grace", async () => {
    const port = await freePort();
    const run = serve(["--model", fx.dir, "--port", String(port), "--shutdown-grace", "1s", "--body-timeout", "60s"], {
      CHURNKIT_LOG_LEVEL: "info",
    });
    await waitForHealth(port, run);
    const stalled = stall(
      port,
      "POST /predict HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[",
    );
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain("in-flight requests did not finish within 1 s (--shutdown-grace); stopping anyway");
    await stalled;
  }, 60_000);

  it("exits 2 with one line on a bad --body-timeout or --shutdown-grace", async () => {
    const a = serve(["--model", fx.dir, "--body-timeout", "forever"]);
    expect(await a.exit).toBe(2);
    expect(lines(a.stderr())).toEqual([
      'churnkit: --body-timeout must be a duration such as 30s, 500ms or 2m, got "forever"',
    ]);
    const b = serve(["--model", fx.dir, "--shutdown-grace", "-1s"]);
    expect(await b.exit).toBe(2);
    expect(lines(b.stderr())).toEqual([
      'churnkit: --shutdown-grace must be a duration such as 30s, 500ms or 2m, got "-1s"',
    ]);
  });
});
