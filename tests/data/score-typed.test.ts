import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { loadTable } from "../../src/data/load.js";
import { predictFile } from "../../src/io/predict.js";
import { tmp, write } from "../helpers.js";

const dir = tmp("churnkit-score-typed-");
const plans = ["Basic", "Pro", "Gold"];
const rows = Array.from({ length: 240 }, (_, i) => ({
  id: `c${i}`,
  tenure: (i * 7) % 50,
  plan: plans[i % 3]!,
  paperless: i % 4 === 0 ? "Yes" : "No",
  churn: (i * 7) % 50 < 12 || i % 5 === 0 ? "Yes" : "No",
}));

describe("predict on a file: DuckDB-typed batches = the JS rules", () => {
  it("scores tricky cells exactly as model.predict on the same rows read as text", async () => {
    const { model } = await train({ data: rows, target: "churn", model: "logreg", seed: 3, idColumns: ["id"] });
    const csv = [
      "id,tenure,plan,paperless",
      "a, 12 , Pro ,yes",
      "b,NA,Basic, NO ",
      "c,1e1,Platinum,Y",
      "d,,,",
      "e,-0,gold,n/a",
      'f,"7",Gold,TRUE',
    ].join("\n");
    const input = write(dir, "score.csv", csv + "\n");
    const out = join(dir, "scores.csv");
    const r = await predictFile(model, input, out);
    expect(r).toEqual({ rows: 6, unseen: 2 }); // "Platinum" and "gold" were never seen
    const expected = await model.predict(await loadTable(input));
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(lines[0]).toBe("id,churn_probability,churn_prediction");
    expect(lines.slice(1)).toEqual(
      expected.map((p) => `${String(p.id)},${p.churn_probability},${String(p.churn_prediction)}`),
    );
  });

  it("names the row and column of a value that does not parse, and a missing column", async () => {
    const { model } = await train({ data: rows, target: "churn", model: "logreg", seed: 3, idColumns: ["id"] });
    const bad = write(dir, "bad.csv", "id,tenure,plan,paperless\na,1,Pro,yes\nb,1,Pro,maybe\n");
    await expect(predictFile(model, bad, join(dir, "bad-out.csv"))).rejects.toThrow(
      'bad.csv: row 2, column "paperless": "maybe" is not a boolean (yes/no, true/false, 1/0); fix the value or leave it empty for missing',
    );
    const odd = write(dir, "odd.csv", 'id,tenure,plan,paperless\na,1,Pro,yes\nb,"1,234",Pro,no\n');
    await expect(predictFile(model, odd, join(dir, "odd-out.csv"))).rejects.toThrow(
      'odd.csv: row 2, column "tenure": "1,234" has a thousands separator; write it as 1234',
    );
    const missing = write(dir, "missing.csv", "id,tenure\na,1\n");
    await expect(predictFile(model, missing, join(dir, "missing-out.csv"))).rejects.toThrow(
      'missing.csv: missing columns "plan", "paperless"; the model was trained with them, add them to the input',
    );
  });
});
