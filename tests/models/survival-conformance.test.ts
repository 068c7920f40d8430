/**
 * The conformance suite of the survival task: every registered family with "survival" in its `tasks` fits
 * simulated survival data with a known hazard rule, round-trips, is deterministic, explains additively in
 * log-hazard and reduces to a score form that scores like the model. (conformance.test.ts is the classifiers'.)
 */
import { describe, expect, it } from "vitest";
import { checkParams, family, familyTasks, knownFamilies } from "../../src/learners/families.js";
import { fitPreprocess, transform } from "../../src/data/preprocess.js";
import { columnMeans } from "../../src/explain/linear.js";
import { leafOfVector } from "../../src/core/flat-tree.js";
import type { Matrix } from "../../src/core/types.js";
import { Rng } from "../../src/utils/random.js";
import { typed } from "../helpers.js";
import { inputs, opts } from "./conformance-inputs.js";

const survivalFamilies = knownFamilies().filter((name) => familyTasks(family(name)).includes("survival"));

/** The simulated log hazard of a row. */
const truth = (x: number | null, plan: string) =>
  2 * (x ?? 0.5) + 0.8 * (plan === "basic" ? 1 : 0) - 0.5 * (plan === "max" ? 1 : 0);

/**
 * Exponential event times with hazard exp(2·x + 0.8·[plan = basic] − 0.5·[plan = max]) (10% of x missing, hazard
 * as if x were 0.5, its median), independent exponential censoring (about a third of the rows), durations
 * rounded up to whole months as a tenure column is (so there are many ties), and a noise column.
 */
function data(n: number, seed: number) {
  const rng = new Rng(seed);
  const x: (number | null)[] = [];
  const noise: number[] = [];
  const plan: (string | null)[] = [];
  const time = new Float64Array(n);
  const event = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const xi = rng.next();
    const p = ["basic", "plus", "pro", "max"][rng.int(4)]!;
    const miss = rng.next() < 0.1;
    x.push(miss ? null : xi);
    noise.push(rng.next());
    plan.push(rng.next() < 0.05 ? null : p);
    const logHazard = truth(miss ? null : xi, p);
    const t = (-Math.log(1 - rng.next()) / Math.exp(logHazard)) * 12;
    const c = -Math.log(1 - rng.next()) * 24;
    time[i] = Math.ceil(Math.min(t, c, 72));
    event[i] = t <= c && t <= 72 ? 1 : 0;
  }
  return { t: typed({ x, noise, plan }), time, event };
}

/** Harrell's C from its definition: over comparable pairs (the shorter duration is an event), ties in risk ½. */
function bruteConcordance(time: Float64Array, event: Uint8Array, risk: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < time.length; i++) {
    if (!event[i]) continue;
    for (let j = 0; j < time.length; j++) {
      if (!(time[j]! > time[i]!)) continue;
      den++;
      num += risk[i]! > risk[j]! ? 1 : risk[i] === risk[j] ? 0.5 : 0;
    }
  }
  return num / den;
}

const small: Record<string, Record<string, unknown>> = { gbdt: { max_iter: 60, learning_rate: 0.1 } };

function encode(name: string, seed: number) {
  const tr = data(3000, seed);
  const te = data(1500, seed + 100);
  const pre = fitPreprocess(tr.t, inputs, family(name).needs, opts);
  const X = transform(pre, tr.t).X;
  return { X, y: tr.event, duration: tr.time, Xt: transform(pre, te.t).X, yt: te.event, tt: te.time };
}

async function fitted(name: string, seed: number, extra: Record<string, unknown> = {}) {
  const e = encode(name, seed);
  const params = checkParams(name, { ...(small[name] ?? {}), ...extra });
  const model = await family(name).create(params).fit(e.X, e.y, { seed: 3, threads: 1, duration: e.duration });
  return { ...e, model };
}

it("covers the built-in survival families", () => {
  expect(survivalFamilies).toEqual(["gbdt", "cox"]);
});

describe.each(survivalFamilies)("survival family %s", (name) => {
  const spec = family(name);

  it("learns a known hazard rule: held-out concordance near the true hazard's, the noise column unused", async () => {
    const { model, Xt, yt, tt } = await fitted(name, 1);
    const risk = model.predictRaw(Xt);
    expect(risk).toHaveLength(Xt.nRows);
    for (const v of risk) expect(Number.isFinite(v)).toBe(true);
    const test = data(1500, 101);
    const trueRisk = Float64Array.from({ length: 1500 }, (_, i) => {
      const x = test.t.columns.get("x")!.values[i] as number;
      const p = (test.t.columns.get("plan")!.values as (string | null)[])[i];
      return truth(Number.isNaN(x) ? null : x, p ?? "");
    });
    const best = bruteConcordance(tt, yt, trueRisk);
    const c = bruteConcordance(tt, yt, risk);
    expect(best).toBeGreaterThan(0.65);
    expect(c).toBeGreaterThan(best - 0.02);
    // Reversing the scores reverses the ranking: higher raw score means an earlier event.
    expect(
      bruteConcordance(
        tt,
        yt,
        risk.map((v) => -v),
      ),
    ).toBeLessThan(1 - best + 0.02);
  });

  it("round-trips its state through JSON with exactly equal scores", async () => {
    const { model, Xt } = await fitted(name, 2);
    const back = spec.fromState(JSON.parse(JSON.stringify(model.state())));
    expect(Array.from(back.predictRaw(Xt))).toEqual(Array.from(model.predictRaw(Xt)));
    expect(spec.state({ features: Xt.features }).safeParse(JSON.parse(JSON.stringify(model.state()))).success).toBe(
      true,
    );
  });

  it("is deterministic: the same seed gives byte-identical state", async () => {
    const extra = name === "gbdt" ? { subsample: 0.8 } : {};
    const a = JSON.stringify((await fitted(name, 3, extra)).model.state());
    const b = JSON.stringify((await fitted(name, 3, extra)).model.state());
    expect(a).toBe(b);
  });

  it("explains additively in log-hazard: base value + contributions = the raw score", async (ctx) => {
    if (!spec.explainer) return ctx.skip();
    const { model, X, Xt } = await fitted(name, 4);
    const explain = spec.explainer({
      state: model.state(),
      features: Xt.features,
      featureMeans: Array.from(columnMeans(X)),
      lacks: (what) => new Error(`lacks ${what}`),
    });
    const ex = explain(Xt);
    const raw = model.predictRaw(Xt);
    for (let i = 0; i < Xt.nRows; i++) {
      let s = ex.baseValue;
      for (let j = 0; j < ex.nFeatures; j++) s += ex.contributions[i * ex.nFeatures + j]!;
      expect(s).toBeCloseTo(raw[i]!, 9);
      expect(ex.predictions[i]).toBeCloseTo(raw[i]!, 9);
    }
    // The noise column explains less than the columns the hazard depends on.
    const mean = (j: number) => {
      let s = 0;
      for (let i = 0; i < Xt.nRows; i++) s += Math.abs(ex.contributions[i * ex.nFeatures + j]!);
      return s / Xt.nRows;
    };
    const by = (prefix: string) => Xt.features.findIndex((f) => f.source === prefix);
    expect(mean(by("noise"))).toBeLessThan(mean(by("x")) / 3);
  });

  it("reduces to a score form (what the exporters read) that gives the raw score", async (ctx) => {
    if (!spec.scoreForm) return ctx.skip();
    const { model, Xt } = await fitted(name, 5);
    const form = spec.scoreForm(model.state());
    const raw = model.predictRaw(Xt);
    const row = new Float64Array(Xt.columns.length);
    for (let i = 0; i < Xt.nRows; i++) {
      for (let j = 0; j < row.length; j++) row[j] = Xt.columns[j]![i]!;
      let out: number;
      if (form.kind === "linear") {
        out = form.intercept;
        for (let j = 0; j < row.length; j++) out += form.coef[j]! * row[j]!;
      } else {
        expect(form.space).toBe("raw");
        const { trees, scale, base } = form.ensemble;
        out = base;
        for (let t = 0; t < trees.length; t++) out += scale[t]! * trees[t]!.value[leafOfVector(trees[t]!, row)]!;
      }
      expect(out).toBeCloseTo(raw[i]!, 12);
    }
  });

  it("has no churn probability by itself, and needs the durations", async () => {
    const { model, X, y, Xt } = await fitted(name, 6);
    expect(() => model.predictProba(Xt)).toThrow(/survival model has no churn probability/);
    const m: Matrix = X;
    await expect(async () =>
      spec.create(checkParams(name, small[name] ?? {})).fit(m, y, { duration: new Float64Array(3) }),
    ).rejects.toThrow(/3000 rows but 3 durations/);
  });
});
