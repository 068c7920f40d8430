/**
 * One conformance suite for every model family (scikit-learn's estimator checks, in spirit):
 * the same contract, the same guarantees, whatever the algorithm.
 */
import { describe, expect, it } from "vitest";
import { checkParams, family, familyTasks, knownFamilies } from "../../src/learners/families.js";
import { fitPreprocess, transform } from "../../src/data/preprocess.js";
import { rocAuc } from "../../src/evaluation/metrics.js";
import type { Matrix } from "../../src/core/types.js";
import { sigmoid } from "../../src/core/types.js";
import { leafOfVector } from "../../src/core/flat-tree.js";
import { Rng } from "../../src/utils/random.js";
import { train } from "../../src/pipeline/api.js";
import { typed } from "../helpers.js";
import { inputs, opts } from "./conformance-inputs.js";
// A family defined outside src/ and registered with registerFamily: the suite covers every registered family.
import "./naive-bayes-family.js";

/** Rows with a known rule: churn when x > 0.6 or plan is "basic"; 10% missing x; noise column. */
function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const x: (number | null)[] = [];
  const noise: number[] = [];
  const plan: (string | null)[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const xi = rng.next();
    const p = ["basic", "plus", "pro", "max"][rng.int(4)]!;
    const miss = rng.next() < 0.1;
    x.push(miss ? null : xi);
    noise.push(rng.next());
    plan.push(rng.next() < 0.05 ? null : p);
    const churn = miss ? rng.next() < 0.8 : xi > 0.6 || p === "basic";
    y[i] = churn !== rng.next() < 0.05 ? 1 : 0;
  }
  return { t: typed({ x, noise, plan }), y };
}

const small: Record<string, Record<string, unknown>> = {
  forest: { n_estimators: 30 },
  gbdt: { max_iter: 60 },
  tree: { max_depth: 5 },
};

function encode(name: string, seed: number): { X: Matrix; y: Uint8Array; Xt: Matrix; yt: Uint8Array } {
  const tr = data(3000, seed);
  const te = data(1500, seed + 100);
  const pre = fitPreprocess(tr.t, inputs, family(name).needs, opts);
  return { X: transform(pre, tr.t).X, y: tr.y, Xt: transform(pre, te.t).X, yt: te.y };
}

/** The classifiers (survival families have their own suite: survival-conformance.test.ts). */
const classifiers = knownFamilies().filter((name) => familyTasks(family(name)).includes("classification"));

it("covers the built-in classifiers and the test-only one", () => {
  expect(classifiers).toEqual(["logreg", "tree", "forest", "gbdt", "naive-bayes"]);
});

describe.each(classifiers)("family %s", (name) => {
  const spec = family(name);

  it("has hyperparameter defaults and names a bad parameter", () => {
    expect(checkParams(name, {})).toEqual(spec.params.parse({}));
    expect(() => checkParams(name, { no_such_parameter: 1 }, "c.yaml")).toThrow(
      /c\.yaml: model\.params: unknown key "no_such_parameter"/,
    );
  });

  it("learns a known rule with missing values and categories, and predicts probabilities", async () => {
    const { X, y, Xt, yt } = encode(name, 1);
    const clf = await spec.create(checkParams(name, small[name] ?? {})).fit(X, y, { seed: 3, threads: 1 });
    const p = clf.predictProba(Xt);
    expect(p).toHaveLength(Xt.nRows);
    for (const v of p) expect(v >= 0 && v <= 1).toBe(true);
    expect(rocAuc(yt, p)).toBeGreaterThan(0.85);
    const raw = clf.predictRaw(Xt);
    for (let i = 0; i < 50; i++) expect(sigmoid(raw[i]!)).toBeCloseTo(Math.min(Math.max(p[i]!, 1e-15), 1 - 1e-15), 9);
  });

  it("round-trips its state through JSON with exactly equal predictions", async () => {
    const { X, y, Xt } = encode(name, 2);
    const clf = await spec.create(checkParams(name, small[name] ?? {})).fit(X, y, { seed: 4, threads: 1 });
    const back = spec.fromState(JSON.parse(JSON.stringify(clf.state())));
    expect(Array.from(back.predictProba(Xt))).toEqual(Array.from(clf.predictProba(Xt)));
  });

  it("reduces to a score form (what the exporters read) that scores like the model itself", async (ctx) => {
    if (!spec.scoreForm) return ctx.skip(); // a family without one cannot be exported
    const { X, y, Xt } = encode(name, 5);
    const clf = await spec.create(checkParams(name, small[name] ?? {})).fit(X, y, { seed: 6, threads: 1 });
    const form = spec.scoreForm(clf.state());
    const p = clf.predictProba(Xt);
    const row = new Float64Array(Xt.columns.length);
    for (let i = 0; i < Xt.nRows; i++) {
      for (let j = 0; j < row.length; j++) row[j] = Xt.columns[j]![i]!;
      let out: number;
      if (form.kind === "linear") {
        out = form.intercept;
        for (let j = 0; j < row.length; j++) out += form.coef[j]! * row[j]!;
        out = sigmoid(out);
      } else {
        const { trees, scale, base } = form.ensemble;
        out = base;
        for (let t = 0; t < trees.length; t++) out += scale[t]! * trees[t]!.value[leafOfVector(trees[t]!, row)]!;
        if (form.space === "raw") out = sigmoid(out);
      }
      expect(out).toBeCloseTo(p[i]!, 12);
    }
  });

  it("is deterministic: the same seed gives byte-identical state", async () => {
    const { X, y } = encode(name, 3);
    const params = checkParams(name, { ...(small[name] ?? {}), ...(name === "gbdt" ? { subsample: 0.8 } : {}) });
    const a = JSON.stringify((await spec.create(params).fit(X, y, { seed: 9, threads: 1 })).state());
    const b = JSON.stringify((await spec.create(params).fit(X, y, { seed: 9, threads: 1 })).state());
    expect(a).toBe(b);
  });

  it("gives a byte-identical model.json (apart from created_at) when trained twice with a seed", async () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({
      id: `c${i}`,
      x: (i * 37) % 101,
      plan: ["a", "b", "c"][i % 3],
      churn: (i * 37) % 101 > 60 || i % 7 === 0 ? "yes" : "no",
    }));
    const cfg = { model: { params: small[name] ?? {} }, evaluation: { permutation_repeats: 0 } };
    const one = await train({ data: rows, target: "churn", model: name, seed: 5, config: cfg });
    const two = await train({ data: rows, target: "churn", model: name, seed: 5, config: cfg });
    const strip = (a: object) => JSON.stringify({ ...a, created_at: "" });
    expect(strip(one.model.artifact)).toBe(strip(two.model.artifact));
  });
});
