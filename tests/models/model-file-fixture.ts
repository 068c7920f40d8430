/** Small models of every family trained once on a slice of the bundled data, and corrupt copies of their model.json. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { train } from "../../src/pipeline/api.js";
import type { ModelArtifact } from "../../src/artifact/artifact.js";
import type { ChurnModel } from "../../src/artifact/churn-model.js";
import type { FlatTreeJSON } from "../../src/core/types.js";
import { telcoLines, tmp } from "../helpers.js";

export const FAMILIES = ["logreg", "tree", "forest", "gbdt"] as const;

/** A parsed model.json, to be mangled. */
export type Doc = Record<string, unknown>;

export interface Trained {
  /** The model directory. */
  dir: string;
  /** The training slice (CSV). */
  data: string;
  model: ChurnModel;
  artifact: ModelArtifact;
  state: Record<string, unknown>;
  /** Number of model columns. */
  features: number;
}

const PARAMS: Record<string, Record<string, unknown>> = {
  logreg: {},
  tree: { max_depth: 4 },
  forest: { n_estimators: 6, max_depth: 6 },
  gbdt: { max_iter: 12, early_stopping: false, max_leaf_nodes: 8 },
};

/** Train every family on the first 600 Telco rows into temporary model directories. */
export async function trainAll(): Promise<Record<string, Trained>> {
  const root = tmp("churnkit-modelfile-");
  const { header, lines } = telcoLines();
  const data = join(root, "slice.csv");
  writeFileSync(data, [header, ...lines.slice(0, 600)].join("\n") + "\n");
  const out: Record<string, Trained> = {};
  for (const f of FAMILIES) {
    const dir = join(root, f);
    const { model } = await train({
      data,
      target: "Churn",
      model: f,
      params: PARAMS[f],
      out: dir,
      config: { evaluation: { permutation_repeats: 0 } },
    });
    const artifact = model.artifact;
    out[f] = {
      dir,
      data,
      model,
      artifact,
      state: artifact.model.state as Doc,
      features: artifact.preprocess.features.length,
    };
  }
  return out;
}

let crafted = 0;

/** Write `mutate(model.json of m)` (then `text` on its JSON text) to a new directory; returns the model.json path. */
export function craft(m: Trained, mutate: (a: Doc) => void, text: (s: string) => string = (s) => s): string {
  const a = JSON.parse(readFileSync(join(m.dir, "model.json"), "utf8")) as Doc;
  mutate(a);
  const dir = join(tmp("churnkit-crafted-"), `m${crafted++}`);
  mkdirSync(dir);
  const file = join(dir, "model.json");
  writeFileSync(file, text(JSON.stringify(a, null, 1)));
  return file;
}

/** An internal node `i` other than the root whose left child `j` is internal too. */
export function internalPair(t: FlatTreeJSON): { i: number; j: number } {
  for (let i = 1; i < t.feature.length; i++) {
    const j = t.left[i]!;
    if (t.feature[i]! >= 0 && t.feature[j]! >= 0) return { i, j };
  }
  throw new Error("no internal node with an internal left child");
}
