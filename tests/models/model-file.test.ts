/**
 * model.json is validated before use: models written by this churnkit load and score exactly as
 * trained, and crafted corrupt files (cycles, out-of-range indices, wrong types, non-finite
 * numbers, short arrays, missing fields, wrong versions) are one-line UserErrors naming the
 * file and the place, never a hang, a NaN or a crash.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadTable, type RawTable } from "../../src/data/load.js";
import { readArtifact } from "../../src/artifact/artifact.js";
import { ChurnModel, loadModel } from "../../src/artifact/churn-model.js";
import { flatTreeSchema, MAX_TREE_DEPTH } from "../../src/learners/flat-tree-schema.js";
import type { FlatTreeJSON } from "../../src/core/types.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, telcoLines } from "../helpers.js";
import { FAMILIES, craft, internalPair, type Doc, type Trained, trainAll } from "./model-file-fixture.js";

let models: Record<string, Trained>;
let slice: RawTable;

beforeAll(async () => {
  models = await trainAll();
  slice = await loadTable(models.logreg!.data);
}, 240_000);

/** The one-line message loading `mutate(model.json)` gives, with the file's path stripped. */
async function loadError(family: string, mutate: (a: Doc) => void, text?: (s: string) => string): Promise<string> {
  const file = craft(models[family]!, mutate, text);
  const e = await errorOf(() => loadModel(file));
  expect(e).toBeInstanceOf(UserError);
  expect(e.message.startsWith(`${file}: `), e.message).toBe(true);
  expect(e.message).not.toContain("\n");
  return e.message.slice(file.length + 2);
}

describe("models written by this churnkit (format 1.0)", () => {
  it.each(FAMILIES)("%s: loads, keeps every field of model.json, and scores exactly as trained", async (f) => {
    const m = models[f]!;
    const file = JSON.parse(readFileSync(join(m.dir, "model.json"), "utf8")) as Doc;
    // Nothing is dropped or changed by validation (NaN reads back from null and writes as null again).
    expect(JSON.parse(JSON.stringify(readArtifact(m.dir)))).toEqual(file);
    const loaded = await loadModel(m.dir);
    const a = await m.model.predictProba(slice);
    const b = await loaded.predictProba(slice);
    expect(b.probability.length).toBe(slice.rows);
    expect(Array.from(b.probability)).toEqual(Array.from(a.probability));
  });

  it("an old 1.x file without the optional fields still loads and scores the same", async () => {
    const m = models.gbdt!;
    const file = craft(m, (a) => {
      for (const k of [
        "feature_means",
        "calibration",
        "dropped",
        "derived",
        "id_columns",
        "reference_stats",
        "validation_metrics",
      ])
        delete a[k];
      a.format_version = "1.0";
    });
    const loaded = await loadModel(file);
    expect(loaded.artifact.derived).toEqual([]);
    expect(loaded.artifact.validation_metrics).toBeNull();
    const p = await loaded.predictProba(slice);
    expect(Array.from(p.probability)).toEqual(Array.from((await m.model.predictProba(slice)).probability));
  });

  it("a newer minor version with unknown fields loads (they are ignored)", async () => {
    const file = craft(models.tree!, (a) => {
      a.format_version = "1.9";
      a.future_field = { x: 1 };
    });
    const loaded = await loadModel(file);
    expect(loaded.artifact.format_version).toBe("1.9");
    expect("future_field" in loaded.artifact).toBe(false);
  });
});

describe("a corrupt model.json is exit 2 with one line: file, place, remedy", () => {
  it("a tree whose child points back to an ancestor (cycle): no hang", async () => {
    const t = (models.gbdt!.state.trees as FlatTreeJSON[])[3]!;
    const { i, j } = internalPair(t);
    expect(
      await loadError("gbdt", (a) => {
        state(a).trees[3].left[j] = i;
      }),
    ).toBe(
      `corrupt model state (tree 3, node ${j}, left: child ${i} is reached twice: a cycle or a shared node); retrain the model`,
    );
  });

  it("a node that is its own child (tree)", async () => {
    const { j } = internalPair(models.tree!.state.tree as FlatTreeJSON);
    expect(
      await loadError("tree", (a) => {
        state(a).tree.right[j] = j;
      }),
    ).toBe(
      `corrupt model state (tree, node ${j}, right: child ${j} is reached twice: a cycle or a shared node); retrain the model`,
    );
  });

  it("an out-of-range child (forest)", async () => {
    const t = (models.forest!.state.trees as FlatTreeJSON[])[2]!;
    expect(
      await loadError("forest", (a) => {
        state(a).trees[2].right[0] = 99999;
      }),
    ).toBe(
      `corrupt model state (tree 2, node 0, right: child 99999 out of range 1..${t.feature.length - 1}); retrain the model`,
    );
  });

  it("a child -1 at an internal node, and a negative child", async () => {
    expect(await loadError("tree", (a) => (state(a).tree.left[0] = -1))).toBe(
      "corrupt model state (tree, node 0, left: child -1 out of range 1.." +
        ((models.tree!.state.tree as FlatTreeJSON).feature.length - 1) +
        "); retrain the model",
    );
    expect(await loadError("tree", (a) => (state(a).tree.left[0] = -7))).toBe(
      "corrupt model state (tree, node 0, left: expected >= -1, got -7); retrain the model",
    );
  });

  it("a node not reached from the root", async () => {
    const n = (models.tree!.state.tree as FlatTreeJSON).feature.length;
    const msg = await loadError("tree", (a) => {
      const t = state(a).tree;
      for (const k of ["threshold", "missingLeft", "count", "hessian", "gain"]) t[k].push(0);
      t.feature.push(-1);
      t.left.push(-1);
      t.right.push(-1);
      t.value.push(0.5);
      t.catLeft.push(null);
    });
    expect(msg).toBe(
      `corrupt model state (tree, node ${n}, feature: node not reached from the root); retrain the model`,
    );
  });

  it("a feature index out of range of the model's columns", async () => {
    const cols = models.gbdt!.features;
    expect(await loadError("gbdt", (a) => (state(a).trees[0].feature[0] = 5000))).toBe(
      `corrupt model state (tree 0, node 0, feature: feature 5000 out of range 0..${cols - 1}); retrain the model`,
    );
  });

  it("a category set with a code out of range, or unsorted", async () => {
    const trees = models.gbdt!.state.trees as FlatTreeJSON[];
    const k = trees.findIndex((t) => t.catLeft.some((c) => c !== null && c.length >= 2));
    expect(k).toBeGreaterThanOrEqual(0);
    const node = trees[k]!.catLeft.findIndex((c) => c !== null && c.length >= 2);
    const f = trees[k]!.feature[node]!;
    const nCat = models.gbdt!.artifact.preprocess.features[f]!.nCategories!;
    expect(await loadError("gbdt", (a) => state(a).trees[k].catLeft[node].push(999))).toMatch(
      `corrupt model state (tree ${k}, node ${node}, catLeft[${trees[k]!.catLeft[node]!.length}]: category code 999 out of range 0..${nCat - 1}); retrain the model`,
    );
    expect(await loadError("gbdt", (a) => state(a).trees[k].catLeft[node].reverse())).toBe(
      `corrupt model state (tree ${k}, node ${node}, catLeft[1]: category codes must be sorted ascending without repeats); retrain the model`,
    );
  });

  it("a string threshold", async () => {
    expect(await loadError("forest", (a) => (state(a).trees[0].threshold[0] = "0.5"))).toBe(
      'corrupt model state (tree 0, node 0, threshold: expected a finite number, got the string "0.5"); retrain the model',
    );
  });

  it("a null leaf value, and a leaf probability outside [0, 1]", async () => {
    const leaf = (models.tree!.state.tree as FlatTreeJSON).feature.indexOf(-1);
    expect(await loadError("tree", (a) => (state(a).tree.value[leaf] = null))).toBe(
      `corrupt model state (tree, node ${leaf}, value: expected a finite number, got null); retrain the model`,
    );
    expect(await loadError("tree", (a) => (state(a).tree.value[leaf] = 1.5))).toBe(
      `corrupt model state (tree, node ${leaf}, value: leaf value 1.5 is not a probability in [0, 1]); retrain the model`,
    );
  });

  it("arrays of a tree with different lengths", async () => {
    const n = (models.tree!.state.tree as FlatTreeJSON).feature.length;
    expect(await loadError("tree", (a) => state(a).tree.gain.pop())).toBe(
      `corrupt model state (tree, gain: has ${n - 1} entries, "feature" has ${n}); retrain the model`,
    );
  });

  it("a logreg coef cut short", async () => {
    expect(await loadError("logreg", (a) => (state(a).coef = state(a).coef.slice(0, 3)))).toBe(
      `corrupt model state (coef: has 3 entries, but preprocessing makes ${models.logreg!.features} model columns); retrain the model`,
    );
  });

  it("intercept null, NaN or Infinity encoded as a string, Infinity as 1e999", async () => {
    expect(await loadError("logreg", (a) => (state(a).intercept = null))).toBe(
      "corrupt model state (intercept: expected a finite number, got null); retrain the model",
    );
    expect(await loadError("logreg", (a) => (state(a).intercept = "NaN"))).toBe(
      'corrupt model state (intercept: expected a finite number, got the string "NaN"); retrain the model',
    );
    expect(await loadError("logreg", (a) => (state(a).coef[0] = "Infinity"))).toBe(
      'corrupt model state (coef[0]: expected a finite number, got the string "Infinity"); retrain the model',
    );
    const inf = await loadError(
      "gbdt",
      () => {},
      (s) => s.replace(/"baseline": [^,]+,/, '"baseline": 1e999,'),
    );
    expect(inf).toBe("corrupt model state (baseline: expected a finite number, got Infinity); retrain the model");
  });

  it("a threshold that is null, a string, or not inside (0, 1)", async () => {
    expect(await loadError("logreg", (a) => (a.threshold = { value: null, rule: "f1" }))).toBe(
      "corrupt model file (threshold.value: expected a finite number, got null); retrain the model",
    );
    expect(await loadError("logreg", (a) => ((a.threshold as Doc).value = "0.3"))).toBe(
      'corrupt model file (threshold.value: expected a finite number, got the string "0.3"); retrain the model',
    );
    expect(await loadError("logreg", (a) => ((a.threshold as Doc).value = 1.5))).toBe(
      "corrupt model file (threshold.value: expected < 1, got 1.5); retrain the model",
    );
  });

  it("missing fields", async () => {
    expect(await loadError("logreg", (a) => delete a.preprocess)).toBe(
      'corrupt model file, "preprocess" is missing; retrain the model',
    );
    expect(await loadError("logreg", (a) => delete (a.preprocess as Doc).features)).toBe(
      'corrupt model file, "preprocess.features" is missing; retrain the model',
    );
    expect(await loadError("gbdt", (a) => delete state(a).trees)).toBe(
      "corrupt model state (trees: missing); retrain the model",
    );
    expect(await loadError("forest", (a) => (state(a).trees = []))).toBe(
      "corrupt model state (trees: expected at least 1 entries); retrain the model",
    );
  });

  it("a format version that is newer, malformed or missing", async () => {
    expect(await loadError("tree", (a) => ((a.format_version = "2.0"), (a.churnkit_version = "9.0.0")))).toBe(
      "model format 2.0 was written by churnkit 9.0.0, newer than this churnkit (reads format 1.x); upgrade churnkit",
    );
    expect(await loadError("tree", (a) => (a.format_version = "one"))).toBe(
      'corrupt model file (format_version: expected "MAJOR.MINOR"); retrain the model',
    );
    expect(await loadError("tree", (a) => delete a.format_version)).toBe(
      'corrupt model file, "format_version" is missing; retrain the model',
    );
  });

  it("preprocessing that disagrees with the model's columns or the inputs", async () => {
    const n = models.logreg!.features;
    expect(await loadError("logreg", (a) => ((a.preprocess as Doc).features as unknown[]).pop())).toBe(
      `corrupt model file (preprocess.features: has ${n - 1} entries, but the inputs make ${n} model columns); retrain the model`,
    );
    expect(await loadError("tree", (a) => (state(a).n_features = 3))).toBe(
      `corrupt model state (n_features: 3, but preprocessing makes ${models.tree!.features} model columns); retrain the model`,
    );
    expect(
      await loadError("logreg", (a) => {
        (a.inputs as Doc[]).find((c) => c.name === "tenure")!.type = "categorical";
      }),
    ).toMatch(
      /^corrupt model file \(preprocess\.inputs\[\d+\]: column "tenure" is numeric here but categorical in the inputs\); retrain the model$/,
    );
  });

  it("an unknown family, or hyperparameters out of range", async () => {
    expect(await loadError("logreg", (a) => ((a.model as Doc).family = "svm"))).toBe(
      'corrupt model file (model.family: unknown family "svm" (known: logreg, tree, forest, gbdt, cox)); retrain the model',
    );
    expect(await loadError("logreg", (a) => ((a.model as Doc).params = { C: -1 }))).toBe(
      "corrupt model file (model.params.C: expected > 0, got -1); retrain the model",
    );
  });

  it("ChurnModel.fromArtifact checks an in-memory artifact too", async () => {
    const a = structuredClone(models.logreg!.artifact);
    (a.model.state as Doc).coef = [1, 2, 3];
    const e = await errorOf(() => ChurnModel.fromArtifact(a, "mine"));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      `mine: corrupt model state (coef: has 3 entries, but preprocessing makes ${models.logreg!.features} model columns); retrain the model`,
    );
  });
});

describe("the tree check", () => {
  /** A chain: node k splits into leaf 2k+2... as a left-deep path of `depth` internal nodes. */
  function chain(depth: number): FlatTreeJSON {
    const t: FlatTreeJSON = {
      feature: [],
      threshold: [],
      catLeft: [],
      missingLeft: [],
      left: [],
      right: [],
      value: [],
      count: [],
      hessian: [],
      gain: [],
    };
    for (let d = 0; d < depth; d++) {
      // internal node at 2d: left = next internal (2d + 2), right = its leaf (2d + 1)
      const i = t.feature.length;
      t.feature.push(0, -1);
      t.left.push(i + 2, -1);
      t.right.push(i + 1, -1);
    }
    t.feature.push(-1);
    t.left.push(-1);
    t.right.push(-1);
    const n = t.feature.length;
    for (let k = 0; k < n; k++) {
      t.threshold.push(0);
      t.catLeft.push(null);
      t.missingLeft.push(0);
      t.value.push(0.5);
      t.count.push(1);
      t.hessian.push(1);
      t.gain.push(0);
    }
    return t;
  }

  const schema = flatTreeSchema("probability", { features: [{ name: "x", kind: "numeric", source: "x" }] });

  it(`walks a ${MAX_TREE_DEPTH}-deep tree without recursion, and finds a cycle at its bottom`, () => {
    const t = chain(MAX_TREE_DEPTH);
    expect(schema.safeParse(t).success).toBe(true);
    const last = t.feature.length - 3; // the deepest internal node
    t.left[last] = 2; // back to an ancestor
    const r = schema.safeParse(t);
    expect(r.error?.issues[0]?.message).toBe("child 2 is reached twice: a cycle or a shared node");
    expect(r.error?.issues[0]?.path).toEqual(["left", last]);
  });

  it("refuses a tree deeper than the limit, quickly and without recursion (100,000 levels)", () => {
    expect(schema.safeParse(chain(MAX_TREE_DEPTH + 1)).error?.issues[0]?.message).toBe(
      `the tree is deeper than ${MAX_TREE_DEPTH} levels`,
    );
    const r = schema.safeParse(chain(100_000));
    expect(r.error?.issues[0]).toMatchObject({
      path: ["left", 2 * MAX_TREE_DEPTH],
      message: `the tree is deeper than ${MAX_TREE_DEPTH} levels`,
    });
  });
});

describe("the last line of defence: a non-finite probability is an error", () => {
  it("logreg terms that overflow to Infinity − Infinity give a UserError naming the row, not NaN", async () => {
    const a = structuredClone(models.logreg!.artifact);
    const pre = a.preprocess;
    const [c0, c1] = pre.numeric.filter((s) => s.type === "numeric").map((s) => s.column);
    const [j0, j1] = [c0, c1].map((c) => pre.features.findIndex((f) => f.name === c));
    const coef = (a.model.state as { coef: number[] }).coef;
    coef[j0!] = 1e308;
    coef[j1!] = -1e308;
    const model = ChurnModel.fromArtifact(a);
    const { header, lines } = telcoLines();
    const cols = header.split(",");
    const rows = lines.slice(0, 2).map((l) => Object.fromEntries(l.split(",").map((v, k) => [cols[k]!, v as unknown])));
    rows[1]![c0!] = 1e6;
    rows[1]![c1!] = 1e6;
    const e = await errorOf(() => model.predict(rows));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      "model: churn probability of input row 2 is NaN, not a number in [0, 1]; check that row's values, or retrain the model",
    );
    // explain applies the same check (it has a path of its own), naming the row as --rows does.
    const x = await errorOf(() => model.explain(rows, { rows: [1] }));
    expect(x).toBeInstanceOf(UserError);
    expect(x.message).toBe(
      "model: the explanation of row 1 (0-based) has churn probability NaN, not a finite number; check that row's values, or retrain the model",
    );
    expect((await model.explain(rows, { rows: [0] }))[0]!.probability).toBeGreaterThan(0);
  });

  it("standardisation by an extreme mean never serves NaN: scoring and explaining refuse the row", async () => {
    const a = structuredClone(models.logreg!.artifact);
    for (const s of a.preprocess.numeric) s.mean = -1e308;
    for (const s of a.preprocess.numeric) s.std = 1e-300;
    const model = ChurnModel.fromArtifact(a);
    const { header, lines } = telcoLines();
    const cols = header.split(",");
    const rows = lines.slice(0, 1).map((l) => Object.fromEntries(l.split(",").map((v, k) => [cols[k]!, v as unknown])));
    const e = await errorOf(() => model.predict(rows));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(/^model: churn probability of input row 1 is NaN, not a number in \[0, 1\]/);
    const x = await errorOf(() => model.explain(rows, { rows: [0] }));
    expect(x).toBeInstanceOf(UserError);
    expect(x.message).toMatch(/^model: the explanation of row 0 \(0-based\) has /);
  });
});

/** The family state of a parsed model.json, loosely typed for crafting. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const state = (a: Doc): any => (a.model as Doc).state;
