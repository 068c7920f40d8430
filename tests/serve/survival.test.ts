/**
 * Serving a survival model (the `cox` family, trained with a duration column): POST /predict answers every horizon,
 * the row schema requires the duration, the OpenAPI document describes the survival fields, and GET /model and the
 * page show the horizons.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { train } from "../../src/pipeline/api.js";
import { loadModel, type ChurnModel } from "../../src/artifact/churn-model.js";
import { createServer } from "../../src/serve/server.js";
import { CUSTOMER } from "./fixture.js";
import { telcoLines, TELCO, tmp } from "../helpers.js";

let model: ChurnModel;
let app: FastifyInstance;

beforeAll(async () => {
  const dir = join(tmp("churnkit-serve-"), "surv");
  await train({
    data: TELCO,
    target: "Churn",
    duration: "tenure",
    model: "cox",
    config: { survival: { value: "MonthlyCharges" }, evaluation: { permutation_repeats: 0 } },
    out: dir,
  });
  model = await loadModel(dir);
  app = createServer(model, { name: "surv" });
}, 120_000);
afterAll(async () => app?.close());

const post = (payload: unknown, url = "/predict") => app.inject({ method: "POST", url, payload: payload as object });

describe("serving a survival model", () => {
  it("POST /predict: the API's predictions, with churn_within_H, expected_remaining and revenue_at_risk_H", async () => {
    const rows = [CUSTOMER, { ...CUSTOMER, tenure: 40, customerID: "x" }];
    const r = await post(rows);
    expect(r.statusCode).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.predictions).toEqual(await model.predict(rows));
    const p = body.predictions[0];
    expect(Object.keys(p)).toEqual([
      "customerID",
      "churn_probability",
      "churn_prediction",
      "churn_within_3",
      "churn_within_6",
      "churn_within_12",
      "expected_remaining",
      "revenue_at_risk_3",
      "revenue_at_risk_6",
      "revenue_at_risk_12",
    ]);
    expect(p.churn_within_3).toBeLessThanOrEqual(p.churn_within_12);
    // With explain: contributions in log hazard.
    const ex = JSON.parse((await post({ rows, explain: true })).body);
    expect(ex.predictions[0].contributions.length).toBeGreaterThan(0);
  });

  it("a row without the duration is a 400 naming the column", async () => {
    const { tenure: _t, ...noTenure } = CUSTOMER;
    const r = await post(noTenure);
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error).toMatch(/tenure/);
    const neg = await post({ ...CUSTOMER, tenure: -2 });
    expect(neg.statusCode).toBe(400);
    expect(JSON.parse(neg.body).error).toMatch(/duration column "tenure" is -2/);
  });

  it("the schema requires the duration; OpenAPI describes the survival fields; GET /model says the horizons", async () => {
    const s = JSON.parse((await app.inject({ method: "GET", url: "/schema" })).body);
    expect(s.required).toContain("tenure");
    const o = JSON.parse((await app.inject({ method: "GET", url: "/openapi.json" })).body);
    const pred = JSON.stringify(o);
    for (const k of ["churn_within_3", "churn_within_12", "expected_remaining", "revenue_at_risk_6"])
      expect(pred).toContain(k);
    const m = JSON.parse((await app.inject({ method: "GET", url: "/model" })).body);
    expect(m.survival).toMatchObject({
      duration: "tenure",
      horizons: [3, 6, 12],
      value: "MonthlyCharges",
      max_duration: 72,
    });
    expect(m.survival.metrics.c_index).toBeGreaterThan(0.85);
    const js = (await app.inject({ method: "GET", url: "/app.js" })).body;
    expect(js).toContain("churn_within_");
  });

  it("POST /predict.csv answers the survival columns, as churnkit predict", async () => {
    const { header, lines } = telcoLines();
    const r = await app.inject({
      method: "POST",
      url: "/predict.csv",
      headers: { "content-type": "text/csv" },
      payload: [header, ...lines.slice(0, 50)].join("\n") + "\n",
    });
    expect(r.statusCode).toBe(200);
    const out = r.body.trimEnd().split("\n");
    expect(out[0]).toBe(
      "customerID,churn_probability,churn_prediction,churn_within_3,churn_within_6,churn_within_12,expected_remaining,revenue_at_risk_3,revenue_at_risk_6,revenue_at_risk_12",
    );
    expect(out).toHaveLength(51);
    // GET /model's output_columns (what the page lists) and the OpenAPI summary name exactly the answer's columns.
    const m = JSON.parse((await app.inject({ method: "GET", url: "/model" })).body);
    expect(["customerID", ...m.output_columns].join(",")).toBe(out[0]);
    const o = JSON.parse((await app.inject({ method: "GET", url: "/openapi.json" })).body);
    expect(o.paths["/predict.csv"].post.summary).toContain(
      "churn_probability, churn_prediction, churn_within_3, churn_within_6, churn_within_12, expected_remaining, revenue_at_risk_3, revenue_at_risk_6 and revenue_at_risk_12",
    );
    const answer = o.paths["/predict"].post.responses["200"].content["application/json"].schema;
    expect(answer.properties.predictions.items.required).toEqual(m.output_columns);
  });
});
