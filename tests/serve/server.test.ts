/** The model server's routes, through fastify.inject (no sockets). */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel, type ChurnModel } from "../../src/artifact/churn-model.js";
import { createServer, parseSize } from "../../src/serve/server.js";
import { CUSTOMER, trainedModel, type Fixture } from "./fixture.js";

let fx: Fixture;
let app: FastifyInstance;

beforeAll(async () => {
  fx = await trainedModel();
  app = createServer(fx.model, { name: "telco" });
});
afterAll(async () => app?.close());

const post = (payload: unknown, url = "/predict", server = app) =>
  server.inject({ method: "POST", url, payload: payload as object });
const probs = (body: string): number[] =>
  JSON.parse(body).predictions.map((p: { churn_probability: number }) => p.churn_probability);

describe("POST /predict", () => {
  it("scores one object, an array, and {rows}: same probabilities as ChurnModel.predict", async () => {
    const rows = fx.rows.slice(0, 300);
    const expected = await fx.model.predict(rows);
    const r = await post(rows);
    expect(r.statusCode).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.model).toEqual({ family: "logreg", version: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(body.predictions).toHaveLength(300);
    expect(body.predictions).toEqual(expected); // ids, probabilities (bit for bit) and decisions
    expect(probs((await post({ rows: rows.slice(5, 9) })).body)).toEqual(
      expected.slice(5, 9).map((p) => p.churn_probability),
    );
    const one = JSON.parse((await post(rows[7])).body);
    expect(one.predictions).toEqual([expected[7]]);
    expect(Object.keys(one.predictions[0])).toEqual(["customerID", "churn_probability", "churn_prediction"]);
  });

  it("scores 10,000 rows in one request when the body limit allows it", async () => {
    const big = createServer(fx.model, { maxBody: "16mb" });
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ ...fx.rows[i % fx.rows.length]!, customerID: `c${i}` }));
    const t0 = performance.now();
    const r = await post(rows, "/predict", big);
    const ms = performance.now() - t0;
    expect(r.statusCode).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.predictions).toHaveLength(10_000);
    expect(body.predictions[9999].customerID).toBe("c9999");
    expect(ms).toBeLessThan(15_000); // generous: the machine is shared
    await big.close();
  });

  it("answers 413 for a body over --max-body", async () => {
    const rows = Array.from({ length: 3000 }, () => CUSTOMER); // ≈ 1.5 MB > 1 MB default
    const r = await post(rows);
    expect(r.statusCode).toBe(413);
    expect(JSON.parse(r.body).error).toMatch(/larger than this server's limit of 1 MB/);
    const small = createServer(fx.model, { maxBody: "1kb" });
    expect((await post([CUSTOMER, CUSTOMER, CUSTOMER], "/predict", small)).statusCode).toBe(413);
    await small.close();
  });

  it("rejects bad JSON, empty input and bodies of the wrong shape with 400", async () => {
    const bad = await app.inject({
      method: "POST",
      url: "/predict",
      headers: { "content-type": "application/json" },
      payload: '{"tenure": 1,',
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/not valid JSON/);
    const empty = await post([]);
    expect(empty.statusCode).toBe(400);
    expect(JSON.parse(empty.body).error).toMatch(/^no rows/);
    expect(JSON.parse((await post({ rows: [] })).body).error).toMatch(/^no rows/);
    expect(JSON.parse((await post([CUSTOMER, 5])).body).error).toMatch(/^row 2: expected an object/);
    const notObject = await app.inject({
      method: "POST",
      url: "/predict",
      headers: { "content-type": "application/json" },
      payload: "[1]",
    });
    expect(JSON.parse(notObject.body).error).toMatch(/^row 1: expected an object/);
    expect(
      (
        await app.inject({
          method: "POST",
          url: "/predict",
          headers: { "content-type": "application/json" },
          payload: '"hi"',
        })
      ).statusCode,
    ).toBe(400);
    const text = await app.inject({
      method: "POST",
      url: "/predict",
      headers: { "content-type": "text/plain" },
      payload: "hello",
    });
    expect(text.statusCode).toBe(415);
  });

  it("requires every input column, naming row and column; allows extra columns", async () => {
    const { tenure: _t, Contract: _c, ...partial } = CUSTOMER;
    const r = await post([CUSTOMER, CUSTOMER, partial]);
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error).toBe(
      'row 3: missing columns "tenure", "Contract"; the model needs them (see GET /schema)',
    );
    const extra = await post({
      ...CUSTOMER,
      favourite_colour: "blue",
      notes: null,
      meta: { source: "crm", tags: [1, 2] },
    });
    expect(extra.statusCode).toBe(200);
    expect(probs(extra.body)).toEqual(probs((await post(CUSTOMER)).body));
    const nested = await post({ ...CUSTOMER, tenure: { months: 3 } });
    expect(JSON.parse(nested.body).error).toBe(
      'row 1, column "tenure": expected a number, string or boolean, got an object',
    );
  });

  it("imputes null in a column never missing in training, as churnkit predict does (one rule)", async () => {
    expect(fx.model.artifact.schema.columns.find((c) => c.name === "tenure")!.nullable).toBe(false);
    const r = await post([CUSTOMER, CUSTOMER, { ...CUSTOMER, tenure: null }, { ...CUSTOMER, Contract: "" }]);
    expect(r.statusCode).toBe(200);
    const expected = await fx.model.predict([
      CUSTOMER,
      CUSTOMER,
      { ...CUSTOMER, tenure: null },
      { ...CUSTOMER, Contract: "" },
    ]);
    expect(probs(r.body)).toEqual(expected.map((p) => p.churn_probability));
    expect(probs(r.body)[2]).not.toBe(probs(r.body)[0]); // imputed with the training median, not the given 1
    expect((await post({ ...CUSTOMER, TotalCharges: null })).statusCode).toBe(200);
  });

  it('accepts "42" and rejects "abc" in a numeric column, with the model\'s own message', async () => {
    const asText = await post({ ...CUSTOMER, tenure: "42" });
    expect(asText.statusCode).toBe(200);
    expect(probs(asText.body)).toEqual(probs((await post({ ...CUSTOMER, tenure: 42 })).body));
    const r = await post([CUSTOMER, CUSTOMER, { ...CUSTOMER, tenure: "abc" }]);
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error).toBe(
      'row 3, column "tenure": "abc" is not a number; fix the value or leave it empty for missing',
    );
    const b = await post({ ...CUSTOMER, Partner: "maybe" });
    expect(JSON.parse(b.body).error).toMatch(/^row 1, column "Partner": "maybe" is not a boolean/);
    expect((await post({ ...CUSTOMER, Partner: true, PhoneService: 0, PaperlessBilling: "YES" })).statusCode).toBe(200);
  });

  it("scores an unseen category and flags it", async () => {
    const r = await post([CUSTOMER, { ...CUSTOMER, Contract: "Ten year", PaymentMethod: "Gold bars" }]);
    expect(r.statusCode).toBe(200);
    const [a, b] = JSON.parse(r.body).predictions;
    expect(a.unseen).toBeUndefined();
    expect(b.unseen).toEqual([
      { column: "Contract", value: "Ten year" },
      { column: "PaymentMethod", value: "Gold bars" },
    ]);
    expect(b.churn_probability).toBeGreaterThan(0);
  });

  it("explains with model.explain: the 5 largest contributions per row, with the row's values", async () => {
    const rows = [CUSTOMER, { ...CUSTOMER, Contract: "Two year", tenure: 70 }];
    for (const req of [post(rows, "/predict?explain=true"), post({ rows, explain: true })]) {
      const r = await req;
      expect(r.statusCode).toBe(200);
      const p = JSON.parse(r.body).predictions;
      expect(probs(r.body)).toEqual(probs((await post(rows)).body));
      for (const [i, row] of p.entries()) {
        expect(row.contributions).toHaveLength(5);
        const sizes = row.contributions.map((c: { contribution: number }) => Math.abs(c.contribution));
        expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
        for (const c of row.contributions) expect(c.value).toEqual((rows[i] as Record<string, unknown>)[c.feature]);
      }
    }
    expect(
      JSON.parse((await post(CUSTOMER, "/predict?explain=false")).body).predictions[0].contributions,
    ).toBeUndefined();
    expect((await post(CUSTOMER, "/predict?explain=perhaps")).statusCode).toBe(400);
  });

  it("answers 400 when the model cannot explain", async () => {
    const older: ChurnModel = await loadModel(fx.dir);
    Object.assign(older.artifact, { feature_means: undefined }); // as a logreg model.json from before explanations
    const server = createServer(older);
    for (const req of [
      post(CUSTOMER, "/predict?explain=true", server),
      post({ rows: [CUSTOMER], explain: true }, "/predict", server),
    ]) {
      const r = await req;
      expect(r.statusCode).toBe(400);
      expect(JSON.parse(r.body)).toEqual({
        error:
          "this model version cannot explain predictions: model.json: this model has no training means of its model columns, which explanations need (it was written by an older churnkit); retrain it with this version",
      });
    }
    expect((await post(CUSTOMER, "/predict", server)).statusCode).toBe(200);
    await server.close();
  });
});

describe("token", () => {
  it("needs Authorization: Bearer on every route but /health and the page", async () => {
    const secured = createServer(fx.model, { token: "s3cret" });
    const get = (url: string, authorization?: string) =>
      secured.inject({ method: "GET", url, headers: authorization ? { authorization } : {} });
    expect((await get("/health")).statusCode).toBe(200);
    expect((await get("/")).statusCode).toBe(200);
    for (const url of ["/model", "/schema", "/openapi.json"]) {
      expect((await get(url)).statusCode).toBe(401);
      expect((await get(url, "Bearer wrong")).statusCode).toBe(401);
      expect((await get(url, "Bearer s3cret")).statusCode).toBe(200);
    }
    const noToken = await secured.inject({ method: "POST", url: "/predict", payload: CUSTOMER });
    expect(noToken.statusCode).toBe(401);
    expect(JSON.parse(noToken.body).error).toMatch(/Authorization: Bearer/);
    const ok = await secured.inject({
      method: "POST",
      url: "/predict",
      payload: CUSTOMER,
      headers: { authorization: "Bearer s3cret" },
    });
    expect(ok.statusCode).toBe(200);
    await secured.close();
  });
});

describe("other routes", () => {
  it("GET /health", async () => {
    const r = await app.inject({ method: "GET", url: "/health" });
    expect(JSON.parse(r.body)).toEqual({ status: "ok" });
  });

  it("GET /model describes the model", async () => {
    const m = JSON.parse((await app.inject({ method: "GET", url: "/model" })).body);
    const a = fx.model.artifact;
    expect(m).toMatchObject({
      name: "telco",
      family: "logreg",
      churnkit_version: a.churnkit_version,
      trained_at: a.created_at,
      threshold: a.threshold,
    });
    expect(m.metrics.auc).toBeGreaterThan(0.8);
    expect(m.output_columns).toEqual(["churn_probability", "churn_prediction"]);
    expect(m.schema.required).toContain("tenure");
    const contract = m.inputs.find((f: { name: string }) => f.name === "Contract");
    expect(contract.levels.sort()).toEqual(["Month-to-month", "One year", "Two year"]);
    expect(m.inputs.find((f: { name: string }) => f.name === "tenure")).toMatchObject({
      type: "numeric",
      min: 0,
      max: 72,
      nullable: false,
    });
  });

  it("GET /schema is a draft-07 schema of one row; GET /openapi.json an OpenAPI 3.1 document with it", async () => {
    const s = JSON.parse((await app.inject({ method: "GET", url: "/schema" })).body);
    expect(s.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(s.required).toEqual(fx.model.artifact.inputs.map((c) => c.name));
    expect(s.additionalProperties).toBe(true);
    const o = JSON.parse((await app.inject({ method: "GET", url: "/openapi.json" })).body);
    expect(o.openapi).toBe("3.1.0");
    expect(Object.keys(o.paths)).toEqual(
      expect.arrayContaining(["/predict", "/predict.csv", "/health", "/model", "/schema"]),
    );
    expect(o.components.schemas.Row.required).toEqual(s.required);
  });

  it("GET / serves the page and its script and style, with no outside references", async () => {
    const page = await app.inject({ method: "GET", url: "/" });
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.headers["content-security-policy"]).toMatch(/default-src 'none'/);
    for (const url of ["/", "/app.js", "/style.css"]) {
      const r = await app.inject({ method: "GET", url });
      expect(r.statusCode).toBe(200);
      expect(r.body).not.toMatch(/https?:\/\/(?!json-schema)/);
    }
  });

  it("answers unknown routes with a JSON 404", async () => {
    const r = await app.inject({ method: "GET", url: "/nope" });
    expect(r.statusCode).toBe(404);
    expect(JSON.parse(r.body).error).toMatch(/no route GET \/nope/);
  });

  it("parses sizes", () => {
    expect(parseSize("1mb")).toBe(1048576);
    expect(parseSize("512KB")).toBe(524288);
    expect(parseSize(2000)).toBe(2000);
    expect(parseSize("lots")).toBeUndefined();
  });
});
