/** The ONNX export of each family scores the Telco test split as churnkit does, in onnxruntime-node. */
import { beforeAll, describe, expect, it } from "vitest";
import { readArtifact } from "../../src/artifact/artifact.js";
import { loadTable, type RawTable } from "../../src/data/load.js";
import { family } from "../../src/learners/families.js";
import { maxAbsDiff, scoreChurnkit, scoreOnnx, telcoSplit, trainModel } from "./onnx-run.js";

let split: { train: string; test: string };
let test: RawTable;
beforeAll(async () => {
  split = telcoSplit();
  test = await loadTable(split.test);
});

const cases: { name: string; model: "logreg" | "tree" | "forest" | "gbdt"; params?: Record<string, unknown> }[] = [
  { name: "logreg", model: "logreg" },
  { name: "tree", model: "tree", params: { max_depth: 6 } },
  { name: "forest", model: "forest" },
  { name: "gbdt", model: "gbdt" },
];

describe("ONNX export on the Telco test split", () => {
  for (const c of cases) {
    it(`${c.name}: onnxruntime-node gives churnkit's probabilities to 1e-5 and the same decisions`, async () => {
      const dir = await trainModel({
        data: split.train,
        target: "Churn",
        drop: ["customerID"],
        model: c.model,
        params: c.params,
      });
      if (c.model !== "logreg") {
        // Native categorical splits (category sets going left) are part of what is checked.
        const form = family(c.model).scoreForm!(readArtifact(dir).model.state);
        expect(form.kind === "trees" && form.ensemble.trees.some((t) => t.catLeft.some((x) => x !== null))).toBe(true);
      }
      const ours = await scoreChurnkit(dir, test);
      const onnx = await scoreOnnx(dir, test);
      expect(onnx.probability).toHaveLength(1409);
      const diff = maxAbsDiff(onnx.probability, ours.probability);
      console.log(c.name, "max |onnx - churnkit|", diff);
      expect(diff).toBeLessThan(1e-5);
      const labels = Array.from(onnx.label, Number);
      expect(labels).toEqual(Array.from(ours.probability, (p) => (p >= ours.threshold ? 1 : 0)));
    }, 120_000);
  }
});
