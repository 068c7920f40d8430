/**
 * The server scores every row it is sent, for a model with a derived feature, also while other
 * requests run: POST /predict.csv returns every uploaded row (once it returned 16,384 of 20,000),
 * and concurrent JSON requests and uploads never see each other's DuckDB queries.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/artifact/churn-model.js";
import { createServer } from "../../src/serve/server.js";
import { MANY, derivedModel, idsInOrder, scoredIds, telcoCsv } from "../rows.js";

let app: FastifyInstance;
beforeAll(async () => {
  app = createServer(await loadModel(await derivedModel("logreg")), { maxBody: "16mb" });
}, 60_000);
afterAll(async () => app?.close());

const upload = (rows: number) =>
  app.inject({ method: "POST", url: "/predict.csv", headers: { "content-type": "text/csv" }, payload: telcoCsv(rows) });

/** Telco rows without the target, as API callers send them. */
function requestRows(n: number): Record<string, string>[] {
  const lines = telcoCsv(n, undefined, false).trimEnd().split("\n");
  const header = lines[0]!.split(",");
  return lines.slice(1).map((l) => Object.fromEntries(l.split(",").map((v, j) => [header[j]!, v])));
}

describe("POST /predict.csv with a derived-feature model", () => {
  it(`returns all ${MANY} uploaded rows, in order`, async () => {
    const r = await upload(MANY);
    expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
    expect(r.headers["x-churnkit-rows"]).toBe(String(MANY));
    expect(r.body.split("\n")[0]).toBe("customerID,churn_probability,churn_prediction");
    expect(scoredIds(r.body)).toEqual(idsInOrder(MANY));
  }, 60_000);
});

describe("concurrent requests", () => {
  it("answers 60 JSON requests and two large uploads sent together, each with exactly its rows", async () => {
    const rows = requestRows(50);
    const sizes = Array.from({ length: 60 }, (_, i) => 1 + ((i * 7) % 50));
    const ask = (k: number) =>
      app.inject({ method: "POST", url: "/predict", payload: { rows: rows.slice(0, k) } }).then((r) => {
        expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
        const ids = (JSON.parse(r.body) as { predictions: { customerID: string }[] }).predictions.map(
          (p) => p.customerID,
        );
        return ids.join(" ") === idsInOrder(k).join(" ") ? k : -k;
      });
    const uploads = Promise.all([upload(20_000), upload(7_000)]);
    // In waves, so that JSON requests keep arriving while the uploads stream.
    const answered: number[] = [];
    for (let w = 0; w < sizes.length; w += 10) answered.push(...(await Promise.all(sizes.slice(w, w + 10).map(ask))));
    const [big, small] = await uploads;
    expect(answered).toEqual(sizes);
    for (const [r, n] of [
      [big, 20_000],
      [small, 7_000],
    ] as const) {
      expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
      expect(r.headers["x-churnkit-rows"]).toBe(String(n));
      expect(scoredIds(r.body)).toEqual(idsInOrder(n));
    }
  }, 60_000);
});
