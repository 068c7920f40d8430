/**
 * The server follows the model's value rules: odd and infinite numbers are a 400 naming row and
 * column (never a null probability), bodies must be UTF-8, keys such as "__proto__" are columns,
 * and a null is imputed exactly as `churnkit predict` imputes an empty cell. The CLI case runs
 * the built CLI: run `npm run build` before this file alone.
 */
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { loadModel } from "../../src/artifact/churn-model.js";
import { createServer } from "../../src/serve/server.js";
import { telcoLines, tmp, write } from "../helpers.js";
import { CUSTOMER, trainedModel, type Fixture } from "./fixture.js";
import { runCli } from "../cli-run.js";

let fx: Fixture;
let app: FastifyInstance;

beforeAll(async () => {
  fx = await trainedModel();
  app = createServer(fx.model, { name: "telco" });
});
afterAll(async () => app?.close());

const post = (payload: unknown, url = "/predict", server = app) =>
  server.inject({ method: "POST", url, payload: payload as object });
const postRaw = (payload: string | Buffer, type = "application/json", url = "/predict") =>
  app.inject({ method: "POST", url, payload, headers: { "content-type": type } });
const errorOf = (body: string): string => (JSON.parse(body) as { error: string }).error;

describe("odd numbers over HTTP", () => {
  it('"1e400" and 1e400 are 400 naming row and column, never churn_probability null', async () => {
    const r = await post([CUSTOMER, { ...CUSTOMER, tenure: "1e400" }]);
    expect(r.statusCode).toBe(400);
    expect(errorOf(r.body)).toBe(
      'row 2, column "tenure": "1e400" is too large for a number (it overflows to infinity); write a finite number or leave it empty for missing',
    );
    // A bare 1e400 in JSON parses to Infinity.
    const bare = await postRaw(
      JSON.stringify({ ...CUSTOMER, MonthlyCharges: 0 }).replace('"MonthlyCharges":0', '"MonthlyCharges":1e400'),
    );
    expect(bare.statusCode).toBe(400);
    expect(errorOf(bare.body)).toBe(
      'row 1, column "MonthlyCharges": Infinity is infinite; write a finite number or leave it empty for missing',
    );
  });

  it("inf, 1,234 and 0x10 are 400 with what to write instead", async () => {
    const cases: [string, string][] = [
      ["inf", '"inf" is infinite; write a finite number or leave it empty for missing'],
      ["1,234", '"1,234" has a thousands separator; write it as 1234'],
      ["0x10", '"0x10" is not a decimal number; write it as 16'],
    ];
    for (const [v, why] of cases) {
      const r = await post({ ...CUSTOMER, TotalCharges: v });
      expect({ v, status: r.statusCode, error: errorOf(r.body) }).toEqual({
        v,
        status: 400,
        error: `row 1, column "TotalCharges": ${why}`,
      });
    }
  });
});

describe("request bodies must be UTF-8", () => {
  it("a latin-1 JSON body is 400 naming the encoding, not a U+FFFD category", async () => {
    const body = Buffer.from(JSON.stringify({ ...CUSTOMER, PaymentMethod: "Überweisung" }), "latin1");
    const r = await postRaw(body);
    expect(r.statusCode).toBe(400);
    expect(errorOf(r.body)).toBe(
      "request body is not valid UTF-8 text (line 1; latin-1 or another encoding?); send it encoded as UTF-8, e.g. convert it with iconv -f latin1 -t utf-8",
    );
    // The same text in UTF-8 is scored (an unseen category).
    const ok = await postRaw(Buffer.from(JSON.stringify({ ...CUSTOMER, PaymentMethod: "Überweisung" }), "utf8"));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).predictions[0].unseen).toEqual([{ column: "PaymentMethod", value: "Überweisung" }]);
  });

  it("a latin-1 CSV upload is 400 naming its line", async () => {
    const { header, lines } = telcoLines();
    const text = [header, lines[0], lines[1]!.replace(/,(Female|Male),/, ",Fémale,"), lines[2]].join("\n") + "\n";
    const r = await postRaw(Buffer.from(text, "latin1"), "text/csv", "/predict.csv");
    expect(r.statusCode).toBe(400);
    expect(errorOf(r.body)).toBe(
      "uploaded CSV is not valid UTF-8 text (line 3; latin-1 or another encoding?); send it encoded as UTF-8, e.g. convert it with iconv -f latin1 -t utf-8",
    );
  });

  it("an empty or malformed JSON body keeps its own message", async () => {
    expect(errorOf((await postRaw("")).body)).toMatch(/^empty body/);
    expect(errorOf((await postRaw("{")).body)).toBe("body is not valid JSON; check its quotes, commas and brackets");
  });
});

describe("one rule for missing values: the server imputes as churnkit predict does", () => {
  it("an empty tenure cell (CLI) and tenure: null (server) give the same probability", async () => {
    const { header, lines } = telcoLines();
    const names = header.split(",");
    const at = names.indexOf("tenure");
    const sample = lines.slice(0, 4).map((l, i) =>
      i === 1
        ? l
            .split(",")
            .map((v, j) => (j === at ? "" : v))
            .join(",")
        : l,
    );
    const data = write(tmp("churnkit-nulls-"), "nulls.csv", [header, ...sample].join("\n") + "\n");
    const out = await runCli(["predict", "--model", fx.dir, "--data", data]);
    expect(out.status, out.stderr).toBe(0);
    const cli = out.stdout
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => Number(l.split(",")[1]));
    const rows = fx.rows.slice(0, 4).map((r, i) => (i === 1 ? { ...r, tenure: null } : r));
    const r = await post(rows);
    expect(r.statusCode).toBe(200);
    const served = (JSON.parse(r.body) as { predictions: { churn_probability: number }[] }).predictions.map(
      (p) => p.churn_probability,
    );
    expect(served).toEqual(cli);
    expect(served[1]).not.toBe((await fx.model.predict([fx.rows[1]!]))[0]!.churn_probability);
  });
});

describe("keys named like Object.prototype members", () => {
  it('"__proto__", "constructor" and "valueOf" are columns: scored and copied, never "not valid JSON"', async () => {
    const dir = tmp("churnkit-proto-serve-");
    const lines = ["constructor,__proto__,valueOf,churn"];
    for (let i = 0; i < 200; i++)
      lines.push(`c${i},${(i * 0.37) % 5},${["a", "b"][i % 2]},${i % 4 === 0 ? "Yes" : "No"}`);
    const data = write(dir, "proto.csv", lines.join("\n") + "\n");
    await train({
      data,
      target: "churn",
      model: "logreg",
      out: join(dir, "m"),
      config: { evaluation: { permutation_repeats: 0 } },
    });
    const model = await loadModel(join(dir, "m"));
    expect(model.artifact.id_columns).toEqual(["constructor"]);
    const server = createServer(model);
    try {
      const body = '[{"constructor": "c7", "__proto__": 2.5, "valueOf": "b"}, {"__proto__": "1", "valueOf": "a"}]';
      const r = await server.inject({
        method: "POST",
        url: "/predict",
        payload: body,
        headers: { "content-type": "application/json" },
      });
      expect(r.statusCode, r.body).toBe(200);
      const expected = await model.predict(JSON.parse(body) as Record<string, unknown>[]);
      const got = (JSON.parse(r.body) as { predictions: Record<string, unknown>[] }).predictions;
      expect(got.map((p) => p.churn_probability)).toEqual(expected.map((p) => p.churn_probability));
      expect(got[0]).toMatchObject({ constructor: "c7" });
      expect(Object.keys(got[0]!)).toEqual(["constructor", "churn_probability", "churn_prediction"]);
      expect(got[1]!.constructor).toBeNull();
      const schema = JSON.parse((await server.inject({ method: "GET", url: "/schema" })).body) as {
        required: string[];
        properties: object;
      };
      expect(schema.required).toEqual(["__proto__", "valueOf"]);
      expect(Object.keys(schema.properties)).toEqual(["__proto__", "valueOf", "constructor"]);
      const missing = await server.inject({
        method: "POST",
        url: "/predict",
        payload: '{"valueOf": "a"}',
        headers: { "content-type": "application/json" },
      });
      expect(missing.statusCode).toBe(400);
      expect(errorOf(missing.body)).toBe('row 1: missing column "__proto__"; the model needs it (see GET /schema)');
    } finally {
      await server.close();
    }
  });
});
