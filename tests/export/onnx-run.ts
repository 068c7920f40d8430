/** Helpers of the ONNX export tests: train a model, export it, score rows in onnxruntime-node. */
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { readArtifact } from "../../src/artifact/artifact.js";
import type { ModelArtifact } from "../../src/artifact/artifact-type.js";
import { loadModel } from "../../src/artifact/churn-model.js";
import type { RawTable } from "../../src/data/load.js";
import { typeTable } from "../../src/data/typed.js";
import { onnxFormat } from "../../src/export/onnx/index.js";
import { train, type TrainOptions } from "../../src/pipeline/api.js";
import { tmp } from "../helpers.js";

export { telcoSplit } from "../helpers.js";

/** Train and save a model; returns its directory. */
export async function trainModel(options: TrainOptions): Promise<string> {
  const out = join(tmp("churnkit-onnx-model-"), "model");
  await train({ seed: 42, ...options, out });
  return out;
}

/**
 * The graph's inputs for `rows`, typed as churnkit types them: numeric and boolean columns as float32 (NaN when
 * missing), categorical ones as strings ("" when missing).
 */
export function onnxFeeds(a: ModelArtifact, rows: RawTable): Record<string, ort.Tensor> {
  const t = typeTable(rows, a.inputs);
  const feeds: Record<string, ort.Tensor> = {};
  for (const c of a.inputs) {
    const v = t.columns.get(c.name)!.values;
    feeds[c.name] =
      v instanceof Float64Array
        ? new ort.Tensor("float32", Float32Array.from(v), [rows.rows, 1])
        : new ort.Tensor(
            "string",
            v.map((s) => s ?? ""),
            [rows.rows, 1],
          );
  }
  return feeds;
}

/** Export the model in `dir` and score `rows` with onnxruntime-node: probabilities and labels. */
export async function scoreOnnx(
  dir: string,
  rows: RawTable,
): Promise<{ probability: Float64Array; label: BigInt64Array; bytes: Uint8Array }> {
  const a = readArtifact(dir);
  const bytes = onnxFormat.write(a) as Uint8Array;
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run(onnxFeeds(a, rows));
  return {
    probability: out.probability!.data as Float64Array,
    label: out.label!.data as BigInt64Array,
    bytes,
  };
}

/** churnkit's own probabilities and decisions for `rows`, from the saved model. */
export async function scoreChurnkit(
  dir: string,
  rows: RawTable,
): Promise<{ probability: Float64Array; threshold: number }> {
  const model = await loadModel(dir);
  return { probability: (await model.predictProba(rows)).probability, threshold: model.threshold };
}

/** Largest |a[i] − b[i]|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
