/** GET /metrics: Prometheus text, exact counts after known requests, one registry per server. */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROBABILITY_BUCKETS } from "../../src/serve/metrics.js";
import { createServer } from "../../src/serve/server.js";
import { CUSTOMER, trainedModel, type Fixture } from "./fixture.js";

let fx: Fixture;
let app: FastifyInstance;

beforeAll(async () => {
  fx = await trainedModel();
  app = createServer(fx.model, { name: "telco" });
});
afterAll(async () => app?.close());

/** Samples of a Prometheus text exposition: `name{a="x",b="y"}` (labels sorted by name) → value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels = [...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)]
      .map((l) => `${l[1]}="${l[2]}"`)
      .sort()
      .join(",");
    out.set(labels ? `${m[1]}{${labels}}` : m[1]!, Number(m[3]));
  }
  return out;
}

async function scrape(server = app): Promise<Map<string, number>> {
  const r = await server.inject({ method: "GET", url: "/metrics" });
  expect(r.statusCode).toBe(200);
  return samples(r.body);
}

/** The value of a sample (0 when absent: a labelled counter appears on its first increment). */
const at = (m: Map<string, number>, key: string): number => m.get(key) ?? 0;
/** How much each sample grew from `a` to `b` (only those that changed). */
function delta(a: Map<string, number>, b: Map<string, number>): Record<string, number> {
  const d: Record<string, number> = {};
  for (const [k, v] of b) if (v !== at(a, k) && !k.endsWith("_sum")) d[k] = v - at(a, k);
  return d;
}

const post = (payload: unknown, url = "/predict", server = app) =>
  server.inject({ method: "POST", url, payload: payload as object });

const bucketKey = (le: number | string) => `churnkit_churn_probability_bucket{le="${le}"}`;

describe("GET /metrics", () => {
  it("answers Prometheus text format 0.0.4 with the five churnkit metrics described", async () => {
    const r = await app.inject({ method: "GET", url: "/metrics" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
    for (const [name, type] of [
      ["churnkit_http_requests_total", "counter"],
      ["churnkit_http_request_duration_seconds", "histogram"],
      ["churnkit_rows_scored_total", "counter"],
      ["churnkit_unseen_categories_total", "counter"],
      ["churnkit_churn_probability", "histogram"],
    ])
      expect(r.body).toContain(`# TYPE ${name} ${type}\n`);
    // The probability buckets: 0.05 wide, exact decimals, then +Inf.
    const les = [...r.body.matchAll(/churnkit_churn_probability_bucket\{le="([^"]+)"\}/g)].map((m) => m[1]);
    expect(les).toEqual([...PROBABILITY_BUCKETS.map(String), "+Inf"]);
    expect(les.slice(0, 4)).toEqual(["0.05", "0.1", "0.15", "0.2"]);
    // No process metrics unless asked for (churnkit serve asks).
    expect(r.body).not.toContain("process_cpu");
    // Listed in the OpenAPI document, as text.
    const o = JSON.parse((await app.inject({ method: "GET", url: "/openapi.json" })).body);
    expect(Object.keys(o.paths["/metrics"].get.responses[200].content)).toEqual(["text/plain"]);
  });

  it("counts a POST /predict of 5 rows: requests by route and status, rows, unseen by column, each probability's bucket", async () => {
    const rows = [
      ...fx.rows.slice(0, 3),
      { ...CUSTOMER, PaymentMethod: "Bitcoin" },
      { ...CUSTOMER, PaymentMethod: "Bitcoin", Contract: "Lifetime" },
    ];
    const expected = (await fx.model.predict(rows)).map((p) => p.churn_probability);
    const before = await scrape();
    const r = await post(rows);
    expect(r.statusCode).toBe(200);
    const after = await scrape();
    const d = delta(before, after);
    // Every bucket is cumulative: it counts the rows at or below its bound.
    for (const le of PROBABILITY_BUCKETS) {
      const n = expected.filter((p) => p <= le).length;
      expect(at(after, bucketKey(le)) - at(before, bucketKey(le)), `bucket le=${le}`).toBe(n);
    }
    expect(d[bucketKey("+Inf")]).toBe(5);
    expect(d["churnkit_churn_probability_count"]).toBe(5);
    const sum = at(after, "churnkit_churn_probability_sum") - at(before, "churnkit_churn_probability_sum");
    expect(sum).toBeCloseTo(
      expected.reduce((a, b) => a + b, 0),
      9,
    );
    expect(d['churnkit_rows_scored_total{route="/predict"}']).toBe(5);
    expect(d['churnkit_unseen_categories_total{column="PaymentMethod"}']).toBe(2);
    expect(d['churnkit_unseen_categories_total{column="Contract"}']).toBe(1);
    // The request itself, and the scrape before it (a scrape is counted once answered).
    expect(d['churnkit_http_requests_total{method="POST",route="/predict",status="200"}']).toBe(1);
    expect(d['churnkit_http_requests_total{method="GET",route="/metrics",status="200"}']).toBe(1);
    expect(d['churnkit_http_request_duration_seconds_count{method="POST",route="/predict"}']).toBe(1);
    expect(d['churnkit_http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/predict"}']).toBe(1);
    // Nothing else moved: no CSV rows, no other route.
    expect(Object.keys(d).filter((k) => /predict\.csv|unmatched|status="4/.test(k))).toEqual([]);
  });

  it("counts 400s and 404s by status without scoring rows; unknown paths share one route label", async () => {
    const before = await scrape();
    expect((await post([{ ...CUSTOMER, tenure: undefined }])).statusCode).toBe(400); // a missing column
    expect((await post([])).statusCode).toBe(400);
    expect((await app.inject({ method: "GET", url: "/no/such/path?x=1" })).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/another-one" })).statusCode).toBe(404);
    const d = delta(before, await scrape());
    expect(d['churnkit_http_requests_total{method="POST",route="/predict",status="400"}']).toBe(2);
    expect(d['churnkit_http_requests_total{method="GET",route="unmatched",status="404"}']).toBe(2);
    expect(d['churnkit_http_request_duration_seconds_count{method="POST",route="/predict"}']).toBe(2);
    expect(d['churnkit_rows_scored_total{route="/predict"}']).toBeUndefined();
    expect(d["churnkit_churn_probability_count"]).toBeUndefined();
  });

  it("counts the rows of a POST /predict.csv under its own route", async () => {
    const csv = [
      "customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges",
      "a,Female,0,Yes,No,1,No,No phone service,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,Electronic check,29.85,29.85",
      "b,Male,0,No,No,34,Yes,No,DSL,Yes,No,Yes,No,No,No,One year,No,Mailed check,56.95,1889.5",
      "c,Male,0,No,No,2,Yes,No,DSL,Yes,Yes,No,No,No,No,Month-to-month,Yes,Cash,53.85,108.15",
    ].join("\n");
    const before = await scrape();
    const r = await app.inject({
      method: "POST",
      url: "/predict.csv",
      headers: { "content-type": "text/csv" },
      payload: csv,
    });
    expect(r.statusCode).toBe(200);
    const d = delta(before, await scrape());
    expect(d['churnkit_rows_scored_total{route="/predict.csv"}']).toBe(3);
    expect(d['churnkit_unseen_categories_total{column="PaymentMethod"}']).toBe(1);
    expect(d["churnkit_churn_probability_count"]).toBe(3);
    expect(d['churnkit_http_requests_total{method="POST",route="/predict.csv",status="200"}']).toBe(1);
  });

  it("keeps each server's counts its own: two servers in one process share nothing", async () => {
    const other = createServer(fx.model);
    const mine = await scrape();
    expect((await post(fx.rows.slice(0, 7), "/predict", other)).statusCode).toBe(200);
    const theirs = await scrape(other);
    expect(theirs.get('churnkit_rows_scored_total{route="/predict"}')).toBe(7);
    expect(theirs.get("churnkit_churn_probability_count")).toBe(7);
    // This server saw one more scrape (the one above) and nothing of the other's request.
    const d = delta(mine, await scrape());
    expect(d['churnkit_http_requests_total{method="GET",route="/metrics",status="200"}']).toBe(1);
    expect(Object.keys(d).filter((k) => !k.includes('route="/metrics"'))).toEqual([]);
    await other.close();
  });

  it("needs the token when the server has one; adds process metrics when asked for", async () => {
    const secured = createServer(fx.model, { token: "s3cret", processMetrics: true });
    expect((await secured.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(401);
    const r = await secured.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer s3cret" } });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain("# TYPE process_cpu_user_seconds_total counter");
    // The 401 was counted, under the route it asked for.
    expect(samples(r.body).get('churnkit_http_requests_total{method="GET",route="/metrics",status="401"}')).toBe(1);
    await secured.close();
  });
});
