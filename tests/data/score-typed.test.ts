/**
 * predict on a file through the typed stream (DuckDB parses the model's inputs, values placed by row position)
 * scores exactly as the text stream typed by the JavaScript rules, row for row and in input order, on more rows than
 * DuckDB streams in order on several threads; and over globs and folders of hive-partitioned Parquet files.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import type { ChurnModel } from "../../src/artifact/churn-model.js";
import { literal, withConnection } from "../../src/data/duckdb.js";
import { loadTable } from "../../src/data/load.js";
import { predictFile } from "../../src/io/predict.js";
import { errorOf, tmp, write } from "../helpers.js";

const dir = tmp("churnkit-score-typed-");
const plans = ["Basic", "Pro", "Gold", "Max"];

/** Rows with numeric (some missing, some padded), categorical, boolean and id columns; `extra` levels are unseen. */
function rows(n: number, extra = false): Record<string, string>[] {
  return Array.from({ length: n }, (_, i) => {
    const tenure = (i * 7919) % 61;
    const plan = extra && i % 97 === 0 ? "Platinum" : plans[(i * 31) % 4]!;
    return {
      id: `c${i}`,
      tenure: i % 13 === 0 ? "" : i % 17 === 0 ? ` ${tenure} ` : String(tenure),
      charge: ((i * 37) % 1000) / 10 + "",
      plan: i % 29 === 0 ? " " + plan : plan,
      paperless: i % 4 === 0 ? "Yes" : i % 11 === 0 ? "NA" : "no",
      region: ["north", "east", "west"][i % 3]!,
      churn: tenure < 12 || (i * 13) % 7 === 0 ? "Yes" : "No",
    };
  });
}

const toCsv = (rs: Record<string, string>[], cols: string[]) =>
  [cols.join(","), ...rs.map((r) => cols.map((c) => r[c]).join(","))].join("\n") + "\n";

let gbdt: ChurnModel;
let logreg: ChurnModel;
beforeAll(async () => {
  // Trained without the region: in the partition test it is a hive partition column that the model does not use.
  const data = rows(3000).map(({ region: _, ...r }) => r);
  const common = { data, target: "churn", seed: 3, idColumns: ["id"] };
  gbdt = (await train({ ...common, model: "gbdt", params: { max_iter: 20, early_stopping: false } })).model;
  logreg = (await train({ ...common, model: "logreg" })).model;
}, 120_000);

/** Scores of `input` through the text stream (a watcher of the batches reads every column as text). */
async function viaText(model: ChurnModel, input: string, out: string): Promise<string> {
  await predictFile(model, input, out, undefined, () => undefined);
  return readFileSync(out, "utf8");
}

describe("predict on a file: DuckDB-typed stream = the JS rules", () => {
  it("scores tricky cells exactly as model.predict on the same rows read as text", async () => {
    const csv = [
      "id,tenure,charge,plan,paperless",
      "a, 12 ,1.5, Pro ,yes",
      "b,NA,2, Basic, NO ",
      "c,1e1,+3,Platinum,Y",
      "d,,,,",
      "e,-0,.5,gold,n/a",
      'f,"7",4.,Gold,TRUE',
      "g,\t8\u00a0,10,Max,1",
    ].join("\n");
    const input = write(dir, "score.csv", csv + "\n");
    for (const model of [gbdt, logreg]) {
      const out = join(dir, `scores-${model.family}.csv`);
      const r = await predictFile(model, input, out);
      expect(r).toEqual({ rows: 7, unseen: 2 }); // "Platinum" and "gold" were never seen
      const expected = await model.predict(await loadTable(input));
      const lines = readFileSync(out, "utf8").trimEnd().split("\n");
      expect(lines[0]).toBe("id,churn_probability,churn_prediction");
      expect(lines.slice(1)).toEqual(
        expected.map((p) => `${String(p.id)},${p.churn_probability},${String(p.churn_prediction)}`),
      );
    }
  });

  it("names the row and column of a value that does not parse, and a missing column", async () => {
    const head = "id,tenure,charge,plan,paperless";
    const bad = write(dir, "bad.csv", `${head}\na,1,1,Pro,yes\nb,1,1,Pro,maybe\n`);
    await expect(predictFile(gbdt, bad, join(dir, "bad-out.csv"))).rejects.toThrow(
      'bad.csv: row 2, column "paperless": "maybe" is not a boolean (yes/no, true/false, 1/0); fix the value or leave it empty for missing',
    );
    const odd = write(dir, "odd.csv", `${head}\na,1,1,Pro,yes\nb,"1,234",1,Pro,no\n`);
    await expect(predictFile(gbdt, odd, join(dir, "odd-out.csv"))).rejects.toThrow(
      'odd.csv: row 2, column "tenure": "1,234" has a thousands separator; write it as 1234',
    );
    const under = write(dir, "under.csv", `${head}\na,1,1_0,Pro,yes\n`);
    await expect(predictFile(gbdt, under, join(dir, "under-out.csv"))).rejects.toThrow(
      'under.csv: row 1, column "charge": "1_0" is not a number; fix the value or leave it empty for missing',
    );
    const missing = write(dir, "missing.csv", "id,tenure\na,1\n");
    await expect(predictFile(gbdt, missing, join(dir, "missing-out.csv"))).rejects.toThrow(
      'missing.csv: missing columns "charge", "plan", "paperless"; the model was trained with them, add them to the input',
    );
  });
});

describe("predict on a Parquet file with typed number columns", () => {
  it("reads DOUBLE and integer columns as numbers, scoring as their text would (NaN missing, -0, big integers)", async () => {
    const csv = write(
      dir,
      "typed-src.csv",
      "id,tenure,charge,plan,paperless\n" +
        [
          "a,12,1.5,Pro,yes",
          "b,,2.25,Basic,no",
          "c,7,,Gold,yes",
          "d,3,0.1,Max,no",
          "e,0,-0.0,Pro,yes",
          "f,60,1e21,Basic,no",
          "g,9007199254740993,5e-324,Gold,yes",
        ].join("\n") +
        "\n",
    );
    const typed = join(dir, "typed.parquet");
    const text = join(dir, "typed-text.parquet");
    // tenure BIGINT, charge DOUBLE with a NaN; the same values as text in the other file.
    await withConnection(async (con) => {
      const src = `SELECT id, TRY_CAST(tenure AS BIGINT) AS tenure, CASE WHEN id = 'c' THEN 'NaN'::DOUBLE ELSE TRY_CAST(charge AS DOUBLE) END AS charge, plan, paperless FROM read_csv(${literal(csv)}, all_varchar = true)`;
      await con.run(`COPY (${src}) TO ${literal(typed)} (FORMAT parquet)`);
      await con.run(`COPY (SELECT COLUMNS(*)::VARCHAR FROM (${src})) TO ${literal(text)} (FORMAT parquet)`);
      const types = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(typed)})`)).getRows();
      expect(types.slice(1, 3).map((r) => String(r[1]))).toEqual(["BIGINT", "DOUBLE"]);
    });
    for (const model of [gbdt, logreg]) {
      const a = join(dir, `typed-${model.family}.csv`);
      const b = join(dir, `typed-text-${model.family}.csv`);
      expect((await predictFile(model, typed, a)).rows).toBe(7);
      await predictFile(model, text, b);
      expect(readFileSync(a, "utf8")).toBe(readFileSync(b, "utf8"));
      expect(readFileSync(a, "utf8")).toBe(await viaText(model, typed, join(dir, "typed-via-text.csv")));
    }
  });

  it("names the row and column of an infinite number", async () => {
    const typed = join(dir, "typed-inf.parquet");
    await withConnection((con) =>
      con.run(
        `COPY (SELECT 'a' AS id, 1::BIGINT AS tenure, 1.0::DOUBLE AS charge, 'Pro' AS plan, 'yes' AS paperless UNION ALL SELECT 'b', 2, 'inf'::DOUBLE, 'Pro', 'no') TO ${literal(typed)} (FORMAT parquet)`,
      ),
    );
    const e = await errorOf(() => predictFile(gbdt, typed, join(dir, "typed-inf.csv")));
    expect(e.message).toMatch(/typed-inf\.parquet: row 2, column "charge": "inf"/);
  });

  it('refuses -inf and a NaN with its sign bit set (text "-nan") as the text stream does; a NaN is missing', async () => {
    for (const [name, bad, text] of [
      ["minus-inf", "'-inf'::DOUBLE", '"-inf" is infinite'],
      ["minus-nan", "-(random() * 'nan'::DOUBLE)", '"-nan" is not a number'],
    ] as const) {
      const typed = join(dir, `typed-${name}.parquet`);
      // The bad value past the first chunk's rows, after a NULL (missing).
      // (A CASE gives NaN without its sign: the bad row comes by a union, ordered by i.)
      const row = (i: string, charge: string) =>
        `SELECT ${i} AS i, 'r' || ${i} AS id, 1::BIGINT AS tenure, ${charge} AS charge, 'Pro' AS plan, 'yes' AS paperless`;
      // No other NaN in the column: Parquet's dictionary keeps one NaN of all, its sign that of the first.
      const others = `CASE WHEN i = 11 THEN NULL ELSE 1.5 END`;
      const sql = `SELECT * EXCLUDE (i) FROM (${row("i", others)} FROM range(6000) t(i) WHERE i <> 5000 UNION ALL ${row("5000", bad)}) ORDER BY i`;
      const stored = await withConnection(async (con) => {
        await con.run(`COPY (${sql}) TO ${literal(typed)} (FORMAT parquet)`);
        return (
          await con.runAndReadAll(
            `SELECT file_row_number, charge::VARCHAR FROM read_parquet(${literal(typed)}, file_row_number = true) WHERE id = 'r5000'`,
          )
        ).getRows();
      });
      expect(stored).toEqual([[5000n, text.slice(1, text.indexOf('"', 1))]]);
      const e = await errorOf(() => predictFile(gbdt, typed, join(dir, `typed-${name}.csv`)));
      expect(e.message).toContain(`typed-${name}.parquet: row 5001, column "charge": ${text}`);
      // The text stream reads the same cell as text: the same error.
      const t = await errorOf(() => viaText(gbdt, typed, join(dir, `typed-${name}-text.csv`)));
      expect(t.message).toBe(e.message);
    }
  });
});

describe("predict on 120,000 rows read on several threads: every row once, in input order", () => {
  const N = 120_000;
  const cols = ["id", "tenure", "charge", "plan", "paperless", "churn"];
  let csv: string;
  let parquet: string;
  beforeAll(async () => {
    csv = write(dir, "many.csv", toCsv(rows(N, true), cols));
    parquet = join(dir, "many.parquet");
    // Small row groups: DuckDB's two threads read many of them at once, so its stream comes out of order.
    await withConnection((con) =>
      con.run(
        `COPY (SELECT * FROM read_csv(${literal(csv)}, all_varchar = true)) TO ${literal(parquet)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
      ),
    );
  }, 60_000);

  for (const format of ["parquet", "csv"] as const) {
    it(`${format}: ids in input order, probabilities equal to the JS rules' on every row`, async () => {
      const input = format === "csv" ? csv : parquet;
      const out = join(dir, `typed-${format}.csv`);
      const r = await predictFile(gbdt, input, out);
      expect(r.rows).toBe(N);
      expect(r.unseen).toBe(Math.ceil(N / 97)); // "Platinum" every 97th row; pooled levels are not counted
      const lines = readFileSync(out, "utf8").trimEnd().split("\n");
      expect(lines).toHaveLength(N + 1);
      const wrong = lines.slice(1).findIndex((l, i) => !l.startsWith(`c${i},`));
      expect(wrong).toBe(-1);
      // The JS rules on the same rows read as text (loaded whole, so in order).
      const expected = await gbdt.predict(await loadTable(csv));
      const text = expected.map((p) => `${String(p.id)},${p.churn_probability},${String(p.churn_prediction)}`);
      expect(lines[0]).toBe("id,churn_probability,churn_prediction");
      expect(lines.slice(1)).toEqual(text);
    }, 120_000);
  }

  it("the text stream (a watcher of the batches, as the server) writes the same file as the typed stream", async () => {
    const typed = join(dir, "watch-typed.csv");
    await predictFile(gbdt, csv, typed);
    expect(await viaText(gbdt, csv, join(dir, "watch-text.csv"))).toBe(readFileSync(typed, "utf8"));
  }, 120_000);

  it("JSON Lines and --threshold through the typed stream", async () => {
    const out = join(dir, "typed.jsonl");
    await predictFile(logreg, parquet, out, 0.5);
    const got = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(got).toHaveLength(N);
    const expected = await logreg.predict(await loadTable(csv), { threshold: 0.5 });
    expect(got.map((l) => JSON.parse(l) as unknown)).toEqual(expected.map((p) => ({ ...p })));
  }, 120_000);
});

describe("predict over Parquet partitions: a glob or a folder, one stream, every row once", () => {
  const N = 9000;
  let parts: string;
  let expected: Map<string, string>;
  let order: string[];
  beforeAll(async () => {
    const csv = write(dir, "parts.csv", toCsv(rows(N), ["id", "tenure", "charge", "plan", "paperless", "region"]));
    parts = join(dir, "parts");
    await withConnection(async (con) => {
      await con.run(
        `COPY (SELECT * FROM read_csv(${literal(csv)}, all_varchar = true)) TO ${literal(parts)} (FORMAT parquet, PARTITION_BY (region), ROW_GROUP_SIZE 1024)`,
      );
      // Input order: files in glob order (region=east, north, west), rows in file order.
      const r = await con.runAndReadAll(
        `SELECT id FROM read_parquet(${literal(join(parts, "*", "*.parquet"))}) ORDER BY filename, file_row_number`,
      );
      order = r.getRowsJS().map((x) => String(x[0]));
    });
    const p = await gbdt.predict(await loadTable(csv));
    expected = new Map(p.map((x) => [String(x.id), `${x.churn_probability},${String(x.churn_prediction)}`]));
  }, 60_000);

  for (const which of ["glob", "folder"] as const) {
    it(`${which}: every row once, in partition then file order, scored as the whole file`, async () => {
      const input = which === "glob" ? join(parts, "*", "*.parquet") : parts;
      const out = join(dir, `parts-${which}.csv`);
      const r = await predictFile(gbdt, input, out);
      expect(r).toEqual({ rows: N, unseen: 0 });
      const lines = readFileSync(out, "utf8").trimEnd().split("\n").slice(1);
      expect(order).toHaveLength(N);
      expect(new Set(order).size).toBe(N);
      expect(lines.map((l) => l.slice(0, l.indexOf(",")))).toEqual(order);
      for (const l of lines) {
        const id = l.slice(0, l.indexOf(","));
        expect(l.slice(id.length + 1)).toBe(expected.get(id));
      }
    }, 60_000);
  }

  it("a glob that matches nothing is a user error naming the pattern", async () => {
    const pattern = join(dir, "nowhere", "*.parquet");
    const e = await errorOf(() => predictFile(gbdt, pattern, join(dir, "none.csv")));
    expect(e.message).toBe(`${pattern}: no file matches; check the pattern (or the folder's Parquet files)`);
    expect(e.name).toBe("UserError");
  });
});
