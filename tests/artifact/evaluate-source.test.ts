/**
 * `evaluate --data FILE` and `explain --data FILE` read the file typed by DuckDB (data/load-typed.ts); the metrics and
 * explanations are the same as from the rows loaded as text (the API's path).
 */
import { describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { fileSource } from "../../src/data/load-typed.js";
import { loadTable } from "../../src/data/load.js";
import { runCli } from "../cli-run.js";
import { TELCO, tmp, write } from "../helpers.js";

describe("a model evaluated on a file typed by DuckDB", () => {
  it("gives exactly the metrics of the same rows loaded as text", async () => {
    const { model } = await train({ data: TELCO, target: "Churn", config: { evaluation: { permutation_repeats: 0 } } });
    const source = await fileSource(TELCO, { facts: false });
    try {
      const typed = await model.evaluateSource(source, { bootstrap: 20, seed: 1 });
      const text = await model.evaluate(await loadTable(TELCO), { bootstrap: 20, seed: 1 });
      expect(typed).toEqual(text);
      expect(typed.rows).toBe(7043);
    } finally {
      source.close();
    }
  }, 120_000);

  it("names a file without the target column", async () => {
    const { model } = await train({ data: TELCO, target: "Churn", config: { evaluation: { permutation_repeats: 0 } } });
    const f = write(tmp(), "unlabelled.csv", "tenure,Contract\n3,Month-to-month\n");
    const source = await fileSource(f, { facts: false });
    await expect(model.evaluateSource(source)).rejects.toThrow(
      `${f}: target column "Churn" not found; evaluation needs the true labels`,
    );
    source.close();
  }, 120_000);
});

describe("churnkit explain --data FILE --rows", () => {
  it("explains the rows asked for, numbered as in the file, like the API on the loaded table", async () => {
    const dir = tmp();
    const out = `${dir}/m`;
    const t = await runCli(["train", "--data", TELCO, "--target", "Churn", "--out", out]);
    expect(t.status, t.stderr).toBe(0);
    const r = await runCli(["explain", "--model", out, "--data", TELCO, "--rows", "7042,5,0", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as { row: number; probability: number }[];
    expect(got.map((e) => e.row)).toEqual([7042, 5, 0]);
    const { loadModel } = await import("../../src/artifact/churn-model.js");
    const want = await (await loadModel(out)).explain(await loadTable(TELCO), { rows: [7042, 5, 0] });
    expect(got).toEqual(JSON.parse(JSON.stringify(want)));
    const bad = await runCli(["explain", "--model", out, "--data", TELCO, "--rows", "7043"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(`churnkit: ${TELCO}: row 7043 is out of range; the input has rows 0 to 7042`);
  }, 180_000);
});
