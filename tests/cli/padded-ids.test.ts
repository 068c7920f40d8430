/**
 * Zero-padded identifiers ("000123") keep their text exactly, wherever an id is written back: predict's CSV and
 * JSON Lines (from a CSV and from a Parquet file), explain's text, the server's /predict (JSON) and /predict.csv.
 * Schema inference sees such a column as an integer identifier; it must still never be read back as 123.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/artifact/churn-model.js";
import { createServer } from "../../src/serve/server.js";
import { runCli } from "../cli-run.js";
import { telcoLines, tmp } from "../helpers.js";

const dir = tmp("churnkit-padded-");
const model = join(dir, "model");
const data = join(dir, "padded.csv");
const N = 1200;
const TIMEOUT = 120_000;
/** "000001", "000002", ...: the id of row i. */
const id = (i: number) => String(i + 1).padStart(6, "0");

beforeAll(async () => {
  const { header, lines } = telcoLines();
  // Telco's customerID replaced by a zero-padded number.
  writeFileSync(
    data,
    [header, ...lines.slice(0, N).map((l, i) => `${id(i)}${l.slice(l.indexOf(","))}`)].join("\n") + "\n",
  );
  const r = await runCli(["train", "--data", data, "--target", "Churn", "--model", "logreg", "--out", model]);
  expect(r.status, r.stderr).toBe(0);
  const a = JSON.parse(readFileSync(join(model, "model.json"), "utf8")) as { id_columns: string[] };
  expect(a.id_columns).toEqual(["customerID"]);
}, TIMEOUT);

const expectedIds = Array.from({ length: N }, (_, i) => id(i));

describe("zero-padded ids keep their text", () => {
  it(
    "predict: CSV and JSON Lines output, from CSV and from Parquet input",
    async () => {
      const csv = join(dir, "scores.csv");
      expect((await runCli(["predict", "--model", model, "--data", data, "--out", csv])).status).toBe(0);
      const rows = readFileSync(csv, "utf8").trim().split("\n").slice(1);
      expect(rows.map((l) => l.split(",")[0])).toEqual(expectedIds);

      const parquet = join(dir, "padded.parquet");
      const db = await DuckDBInstance.create();
      const con = await db.connect();
      await con.run(`COPY (SELECT * FROM read_csv('${data}', all_varchar = true)) TO '${parquet}' (FORMAT parquet)`);
      con.closeSync();
      const jsonl = join(dir, "scores.jsonl");
      const r = await runCli(["predict", "--model", model, "--data", parquet, "--out", jsonl]);
      expect(r.status, r.stderr).toBe(0);
      const got = readFileSync(jsonl, "utf8")
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { customerID: unknown }).customerID);
      expect(got).toEqual(expectedIds);
    },
    TIMEOUT,
  );

  it(
    "explain names the row by its id as written",
    async () => {
      const r = await runCli(["explain", "--model", model, "--data", data, "--rows", "0,122"]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("row 0 (customerID 000001):");
      expect(r.stdout).toContain("row 122 (customerID 000123):");
    },
    TIMEOUT,
  );

  it("serve: /predict echoes the id sent; /predict.csv the id in the upload", async () => {
    const app = createServer(await loadModel(model));
    try {
      const { header, lines } = telcoLines();
      const cols = header.split(",");
      const values = lines[0]!.split(",");
      const row: Record<string, string> = {};
      cols.forEach((c, j) => c !== "Churn" && (row[c] = values[j]!));
      row.customerID = "000123";
      const json = await app.inject({ method: "POST", url: "/predict", payload: [row] });
      expect(json.statusCode, json.body).toBe(200);
      expect(JSON.stringify(json.json())).toContain('"customerID":"000123"');
      const upload = readFileSync(data, "utf8").split("\n").slice(0, 4).join("\n") + "\n";
      const csv = await app.inject({
        method: "POST",
        url: "/predict.csv",
        headers: { "content-type": "text/csv" },
        payload: upload,
      });
      expect(csv.statusCode, csv.body).toBe(200);
      expect(
        csv.body
          .trim()
          .split("\n")
          .slice(1)
          .map((l) => l.split(",")[0]),
      ).toEqual(["000001", "000002", "000003"]);
    } finally {
      await app.close();
    }
  });
});
