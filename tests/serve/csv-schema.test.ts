/** POST /predict.csv against `churnkit predict`, and the published row schema against the server's own checks. */
import Fastify, { type FastifyInstance } from "fastify";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { predictFile } from "../../src/io/predict.js";
import { createServer } from "../../src/serve/server.js";
import { rowJsonSchema } from "../../src/serve/schema.js";
import { telcoLines, tmp, write } from "../helpers.js";
import { CUSTOMER, trainedModel, type Fixture } from "./fixture.js";

let fx: Fixture;
let app: FastifyInstance;

beforeAll(async () => {
  fx = await trainedModel();
  app = createServer(fx.model);
});
afterAll(async () => app?.close());

const postCsv = (payload: string) =>
  app.inject({ method: "POST", url: "/predict.csv", headers: { "content-type": "text/csv" }, payload });

describe("POST /predict.csv", () => {
  it("answers the same CSV as churnkit predict, as a download", async () => {
    const { header, lines } = telcoLines();
    const text = [header, ...lines.slice(0, 120)].join("\n") + "\n";
    const r = await postCsv(text);
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/csv/);
    expect(r.headers["content-disposition"]).toMatch(/^attachment; filename=".+-scores\.csv"$/);
    const dir = tmp();
    await predictFile(fx.model, write(dir, "in.csv", text), join(dir, "out.csv"));
    expect(r.body).toBe(readFileSync(join(dir, "out.csv"), "utf8"));
    const out = r.body.trimEnd().split("\n");
    expect(out[0]).toBe("customerID,churn_probability,churn_prediction");
    expect(out).toHaveLength(121);
  });

  it("names the upload, not a temporary file, in errors", async () => {
    const r = await postCsv("customerID,tenure\nA,1\n");
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body).error).toMatch(/^uploaded CSV: missing columns "gender"/);
    expect(JSON.parse((await postCsv("")).body).error).toMatch(/^uploaded CSV: is empty/);
    const { header, lines } = telcoLines();
    const bad = lines[0]!.split(",");
    bad[5] = "abc";
    const e = await postCsv([header, lines[1], bad.join(",")].join("\n"));
    expect(JSON.parse(e.body).error).toBe(
      'uploaded CSV: row 2, column "tenure": "abc" is not a number; fix the value or leave it empty for missing',
    );
  });
});

describe("GET /schema agrees with the server", () => {
  it("accepts and rejects the same values as POST /predict", async () => {
    // A fastify route validating with the published schema, without type coercion.
    const checker = Fastify({
      ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: true } },
    });
    checker.post("/check", { schema: { body: rowJsonSchema(fx.model.artifact) } }, () => Promise.resolve({ ok: true }));
    const cases: Record<string, unknown[]> = {
      tenure: [
        42,
        "42",
        " 42 ",
        "4.2e1",
        "-1",
        ".5",
        "+3",
        true,
        "abc",
        "1,000",
        "0x10",
        "Infinity",
        "",
        " ",
        "NA",
        null,
      ],
      TotalCharges: [29.85, "29.85", null, "", " ", "NA", "null", "none", "abc"],
      Partner: [true, false, "yes", "YES", " no ", "y", "T", "false", 1, 0, "1", "0", 2, "maybe", "", null],
      Contract: ["Two year", "Ten year", 5, true, "", "NA", " n/a ", null],
    };
    for (const [column, values] of Object.entries(cases)) {
      for (const v of values) {
        const row = { ...CUSTOMER, [column]: v };
        const schemaOk = (await checker.inject({ method: "POST", url: "/check", payload: row })).statusCode === 200;
        const serverOk = (await app.inject({ method: "POST", url: "/predict", payload: row })).statusCode === 200;
        expect({ column, value: v, schemaOk }).toEqual({ column, value: v, schemaOk: serverOk });
      }
    }
    const { tenure: _t, ...missing } = CUSTOMER;
    expect((await checker.inject({ method: "POST", url: "/check", payload: missing })).statusCode).toBe(400);
    await checker.close();
  });
});
