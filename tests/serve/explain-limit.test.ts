/**
 * Explanations per request are bounded: POST /predict with explain and more rows than the
 * server's limit (default 100, createServer's maxExplainRows, serve --max-explain-rows) is a 400
 * with one line naming the limit; as many rows as the limit are explained, and scoring without
 * explain is not limited.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createServer, DEFAULT_MAX_EXPLAIN_ROWS } from "../../src/serve/server.js";
import { runCli } from "../cli-run.js";
import { trainedModel, type Fixture } from "./fixture.js";

let fx: Fixture;
beforeAll(async () => {
  fx = await trainedModel();
}, 240_000);

const post = (app: ReturnType<typeof createServer>, payload: unknown, query = "") =>
  app.inject({ method: "POST", url: `/predict${query}`, payload: payload as object });

const limitMessage = (limit: number, rows: number) =>
  `explain is limited to ${limit} rows per request (churnkit serve --max-explain-rows), this one has ${rows}; send fewer rows, or score them without explain`;

describe("explain rows per request", () => {
  it("defaults to 100: 101 rows with explain get 400 and one line; 100 are explained; 2000 without explain are scored", async () => {
    expect(DEFAULT_MAX_EXPLAIN_ROWS).toBe(100);
    const app = createServer(fx.model);
    const over = await post(app, { rows: fx.rows.slice(0, 101), explain: true });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toEqual({ error: limitMessage(100, 101) });
    const viaQuery = await post(app, { rows: fx.rows.slice(0, 101) }, "?explain=true");
    expect(viaQuery.statusCode).toBe(400);
    expect(viaQuery.json()).toEqual({ error: limitMessage(100, 101) });
    const at = await post(app, { rows: fx.rows.slice(0, 100), explain: true });
    expect(at.statusCode).toBe(200);
    const preds = at.json<{ predictions: { contributions?: unknown[] }[] }>().predictions;
    expect(preds).toHaveLength(100);
    expect(preds.every((p) => p.contributions?.length === 5)).toBe(true);
    const plain = await post(app, { rows: fx.rows.slice(0, 2000) });
    expect(plain.statusCode).toBe(200);
    expect(plain.json<{ predictions: unknown[] }>().predictions).toHaveLength(2000);
    await app.close();
  });

  it("maxExplainRows sets the limit, and a bad one is refused", async () => {
    const app = createServer(fx.model, { maxExplainRows: 3 });
    const over = await post(app, { rows: fx.rows.slice(0, 4), explain: true });
    expect(over.statusCode).toBe(400);
    expect(over.json()).toEqual({ error: limitMessage(3, 4) });
    expect((await post(app, { rows: fx.rows.slice(0, 3), explain: true })).statusCode).toBe(200);
    await app.close();
    expect(() => createServer(fx.model, { maxExplainRows: 0 })).toThrow(
      "maxExplainRows must be a whole number of at least 1, got 0",
    );
  });

  it("serve --max-explain-rows that is not a whole number ≥ 1 exits 2 with one line", async () => {
    for (const v of ["0", "1.5", "many"]) {
      const r = await runCli(["serve", "--model", fx.dir, "--port", "0", "--max-explain-rows", v], {
        timeoutMs: 30_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(`churnkit: --max-explain-rows must be a whole number of at least 1, got "${v}"`);
    }
  });
});
