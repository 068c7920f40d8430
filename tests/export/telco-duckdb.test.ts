import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { readArtifact } from "../../src/artifact/artifact.js";
import { formats } from "../../src/export/formats.js";
import { tmp } from "../helpers.js";
import { scoreDuckDB } from "./engines.js";
import { inputOf, loadTable, telcoSplit, trainTelco } from "./telco.js";

let split: { train: string; test: string };
beforeAll(() => {
  split = telcoSplit();
});

const CASES: [string, string, Record<string, unknown>, Record<string, unknown>][] = [
  ["logreg", "logreg", {}, {}],
  ["tree", "tree", {}, {}],
  ["forest", "forest", {}, {}],
  ["gbdt", "gbdt", {}, {}],
];

describe.each(CASES)("SQL export of a Telco %s model, in DuckDB", (_label, family, model, features) => {
  it("scores the 1409 test rows like churnkit predict, to 1e-9", async () => {
    const dir = join(tmp(), "model");
    const m = await trainTelco(split.train, family, dir, model, features);
    const a = readArtifact(dir);
    await formats.sql!.prepare!(a);
    const sql = formats.sql!.write(a) as string;
    const raw = await loadTable(split.test);
    const want = await m.predict(raw);
    const got = await scoreDuckDB(sql, inputOf(m, raw), "customerID");
    expect(got).toHaveLength(1409);
    const byId = new Map(got.map((g) => [g.id, g]));
    let worst = 0;
    for (const w of want) {
      const g = byId.get(w.customerID as string)!;
      worst = Math.max(worst, Math.abs(g.probability - w.churn_probability));
      expect(g.prediction).toBe(w.churn_prediction);
    }
    expect(worst).toBeLessThan(1e-9);
  }, 120_000);
});
