/** `--log-requests FILE`: one JSON line per scored row, in order, appended to what the file held, flushed on close. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "../../src/serve/server.js";
import { tmp } from "../helpers.js";
import { CUSTOMER, trainedModel, type Fixture } from "./fixture.js";
import { freePort, killAll, serve, waitForHealth } from "./process.js";

let fx: Fixture;
beforeAll(async () => {
  fx = await trainedModel();
});
afterAll(killAll);

const lines = (file: string): string[] => readFileSync(file, "utf8").split("\n").slice(0, -1);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe("--log-requests", () => {
  it("appends N requests' rows, in order, after the file's own content, in the documented shape", async () => {
    const file = join(tmp("churnkit-log-"), "requests.jsonl");
    writeFileSync(file, '{"kept":1}\n{"kept":2}'); // the user's content; its last line has no line end
    const app = createServer(fx.model, { logRequests: file });
    const sent: Record<string, unknown>[] = [];
    for (let i = 0; i < 12; i++) {
      const rows = fx.rows.slice(i * 3, i * 3 + 1 + (i % 3)); // 1, 2 or 3 rows per request
      sent.push(...rows);
      expect((await app.inject({ method: "POST", url: "/predict", payload: rows })).statusCode).toBe(200);
    }
    // A request that fails logs nothing; one with an extra column and JSON types logs the row as sent.
    expect((await app.inject({ method: "POST", url: "/predict", payload: [{ tenure: 3 }] })).statusCode).toBe(400);
    const odd = { ...CUSTOMER, note: "extra column", Churn: null };
    expect((await app.inject({ method: "POST", url: "/predict", payload: odd })).statusCode).toBe(200);
    sent.push(odd);
    await app.close();

    const all = lines(file);
    expect(all.slice(0, 2)).toEqual(['{"kept":1}', '{"kept":2}']);
    const logged = all.slice(2).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toHaveLength(sent.length); // 1+2+3 four times, plus one
    expect(sent.length).toBe(25);
    const expected = await fx.model.predict(sent);
    logged.forEach((l, i) => {
      expect(Object.keys(l)).toEqual(["time", "row", "churn_probability", "churn"]);
      expect(l.time).toMatch(ISO);
      expect(l.row).toEqual(sent[i]);
      expect(l.churn_probability).toBe(expected[i]!.churn_probability); // bit for bit
      expect(l.churn).toBe(expected[i]!.churn_prediction);
    });
    expect(Object.keys(logged[24]!.row as object)).toEqual(Object.keys(odd)); // key order as sent
  });

  it("logs concurrent requests without interleaving and CSV uploads as header: text pairs", async () => {
    const file = join(tmp("churnkit-log-"), "requests.jsonl");
    const app = createServer(fx.model, { logRequests: file });
    const batches = Array.from({ length: 20 }, (_, i) =>
      fx.rows.slice(i * 50, i * 50 + 50).map((r, j) => ({ ...r, customerID: `r${i}-${j}` })),
    );
    const answers = await Promise.all(
      batches.map((rows) => app.inject({ method: "POST", url: "/predict", payload: rows })),
    );
    expect(answers.map((a) => a.statusCode)).toEqual(batches.map(() => 200));
    const csv =
      "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges\nx1,Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,Electronic check,29.85,\n";
    const r = await app.inject({
      method: "POST",
      url: "/predict.csv",
      headers: { "content-type": "text/csv" },
      payload: csv,
    });
    expect(r.statusCode).toBe(200);
    await app.close();
    const logged = lines(file).map((l) => JSON.parse(l) as { row: Record<string, unknown>; churn_probability: number });
    expect(logged).toHaveLength(20 * 50 + 1);
    // Each request's 50 rows are one run, in its order (requests may be taken in any order).
    for (let k = 0; k < 20; k++) {
      const ids = logged.slice(k * 50, k * 50 + 50).map((l) => String(l.row.customerID));
      const req = ids[0]!.split("-")[0]!;
      expect(ids).toEqual(Array.from({ length: 50 }, (_, j) => `${req}-${j}`));
    }
    const last = logged[1000]!;
    expect(last.row.customerID).toBe("x1");
    expect(last.row.tenure).toBe("1"); // as text, as in the upload
    expect(last.row.TotalCharges).toBeNull(); // an empty cell
    expect(Object.keys(last.row)).toHaveLength(20);
    expect(last.churn_probability).toBe(Number(r.body.split("\n")[1]!.split(",")[1]));
  });

  it("close() flushes the rows of a request in flight when it was called", async () => {
    const file = join(tmp("churnkit-log-"), "requests.jsonl");
    const app = createServer(fx.model, { logRequests: file, maxBody: "64mb" });
    let handling!: () => void;
    const handled = new Promise<void>((resolve) => (handling = resolve));
    app.addHook("preHandler", (_req, _reply, done) => {
      handling();
      done();
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ ...fx.rows[i % fx.rows.length]!, customerID: `c${i}` }));
    const answer = fetch(`http://127.0.0.1:${port}/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(rows),
    });
    // Close once the request is being handled (its body received), before it is answered.
    await handled;
    const closed = app.close();
    const r = await answer;
    expect(r.status).toBe(200);
    expect((JSON.parse(await r.text()) as { predictions: unknown[] }).predictions).toHaveLength(20_000); // read: close waits for it
    await closed;
    const logged = lines(file);
    expect(logged).toHaveLength(20_000);
    expect((JSON.parse(logged[19_999]!) as { row: { customerID: string } }).row.customerID).toBe("c19999");
  });

  it("refuses a directory as the log with one line naming it", () => {
    const dir = tmp("churnkit-log-");
    mkdirSync(join(dir, "logs"));
    expect(() => createServer(fx.model, { logRequests: join(dir, "logs") })).toThrow(
      `--log-requests ${join(dir, "logs")}: cannot write it: it is a directory (EISDIR); name a file instead`,
    );
  });
});

describe("churnkit serve --log-requests", () => {
  it("flushes the log on SIGTERM: every answered row is in the file, the old content kept", async () => {
    const file = join(tmp("churnkit-log-"), "served.jsonl");
    writeFileSync(file, '{"earlier":true}\n');
    const port = await freePort();
    const run = serve(["--model", fx.dir, "--port", String(port), "--log-requests", file]);
    await waitForHealth(port, run);
    const rows = fx.rows.slice(0, 40);
    for (let i = 0; i < 4; i++) {
      const r = await fetch(`http://127.0.0.1:${port}/predict`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(rows.slice(i * 10, i * 10 + 10)),
      });
      expect(r.status).toBe(200);
    }
    const m = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(m).toContain('churnkit_rows_scored_total{route="/predict"} 40');
    expect(m).toContain("# TYPE process_cpu_user_seconds_total counter");
    run.child.kill("SIGTERM");
    expect(await run.exit).toBe(0);
    const all = lines(file);
    expect(all[0]).toBe('{"earlier":true}');
    expect(all.slice(1).map((l) => (JSON.parse(l) as { row: unknown }).row)).toEqual(rows);
  });

  it("refuses the model's own files as the log (exit 2, one line)", async () => {
    const run = serve(["--model", fx.dir, "--port", "0", "--log-requests", join(fx.dir, "model.json")]);
    expect(await run.exit).toBe(2);
    const err = run.stderr().trim();
    expect(err.split("\n")).toHaveLength(1);
    expect(err).toContain(`--log-requests ${join(fx.dir, "model.json")}: is the input file (--model)`);
  });
});
