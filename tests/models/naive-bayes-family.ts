/**
 * A test-only model family, registered from outside src/ with `registerFamily` alone: naive Bayes
 * on binned columns. Each model column is cut into equal-frequency bins (numeric) or taken by its
 * category code (categorical), with one more bin for missing or unseen values; the score is the
 * prior log-odds plus, per column, the smoothed log-likelihood ratio of the row's bin. Being
 * additive in log-odds, it is explained exactly: contribution = ratio of the row's bin − its
 * training mean. Importing this module registers `naive-bayes`.
 */
import { z } from "zod";
import { registerFamily, type FamilySpec } from "../../src/learners/families.js";
import type { StateContext } from "../../src/learners/flat-tree-schema.js";
import type { Classifier, Estimator, Matrix } from "../../src/core/types.js";
import { sigmoid } from "../../src/core/types.js";

const paramsSchema = z
  .object({
    /** Equal-frequency bins per numeric column. */
    bins: z.int().min(2).max(100).default(10),
    /** Additive (Laplace) smoothing of the bin counts. */
    alpha: z.number().gt(0).default(1),
  })
  .strict();
type NbParams = z.output<typeof paramsSchema>;

function stateSchema(ctx?: StateContext) {
  return z
    .object({
      prior: z.number(),
      columns: z.array(
        z.object({
          /** Upper bin edges of a numeric column (bin k holds values <= edges[k]); null for a categorical column. */
          edges: z.array(z.number()).nullable(),
          /** Log-likelihood ratio per bin; the last bin is for missing or unseen values. */
          ratios: z.array(z.number()).min(1),
          /** Mean ratio over the training rows (the base of explanations). */
          mean: z.number(),
        }),
      ),
    })
    .superRefine((s, rc) => {
      if (ctx && s.columns.length !== ctx.features.length)
        rc.addIssue({ code: "custom", path: ["columns"], message: `expected ${ctx.features.length} columns` });
    });
}
type NbState = z.output<ReturnType<typeof stateSchema>>;

/** The bin of value `x` in a column: numeric by edges, categorical by code; the last bin for missing or unseen. */
function binOf(c: NbState["columns"][number], x: number): number {
  const last = c.ratios.length - 1;
  if (Number.isNaN(x)) return last;
  if (c.edges === null) return Number.isInteger(x) && x >= 0 && x < last ? x : last;
  let k = 0;
  while (k < c.edges.length && x > c.edges[k]!) k++;
  return k;
}

class NbModel implements Classifier<NbState> {
  readonly family = "naive-bayes";
  constructor(private readonly s: NbState) {}
  predictRaw(X: Matrix): Float64Array {
    const out = new Float64Array(X.nRows).fill(this.s.prior);
    this.s.columns.forEach((c, j) => {
      const col = X.columns[j]!;
      for (let i = 0; i < X.nRows; i++) out[i]! += c.ratios[binOf(c, col[i]!)]!;
    });
    return out;
  }
  predictProba(X: Matrix): Float64Array {
    return this.predictRaw(X).map(sigmoid);
  }
  state(): NbState {
    return this.s;
  }
}

class NbEstimator implements Estimator<NbParams, NbState> {
  readonly family = "naive-bayes";
  constructor(readonly params: NbParams) {}
  fit(X: Matrix, y: Uint8Array): NbModel {
    const { bins, alpha } = this.params;
    let pos = 0;
    for (const v of y) pos += v;
    const neg = y.length - pos;
    const columns = X.features.map((f, j) => {
      const col = X.columns[j]!;
      let edges: number[] | null = null;
      if (f.kind === "numeric") {
        const sorted = Float64Array.from(col.filter((v) => !Number.isNaN(v))).sort();
        const cut = new Set<number>();
        for (let k = 1; k < bins && sorted.length > 0; k++) cut.add(sorted[Math.floor((k * sorted.length) / bins)]!);
        edges = [...cut].sort((a, b) => a - b);
      }
      const n = (edges ? edges.length + 1 : (f.nCategories ?? 0)) + 1;
      const c = { edges, ratios: new Array<number>(n).fill(0), mean: 0 };
      const p = new Float64Array(n);
      const q = new Float64Array(n);
      const at = Int32Array.from(col, (x) => binOf(c, x));
      for (let i = 0; i < y.length; i++) (y[i] ? p : q)[at[i]!]! += 1;
      for (let b = 0; b < n; b++)
        c.ratios[b] = Math.log((p[b]! + alpha) / (pos + alpha * n)) - Math.log((q[b]! + alpha) / (neg + alpha * n));
      let sum = 0;
      for (let i = 0; i < at.length; i++) sum += c.ratios[at[i]!]!;
      c.mean = at.length ? sum / at.length : 0;
      return c;
    });
    return new NbModel({ prior: Math.log(pos / neg), columns });
  }
}

/** The spec: everything a family provides, nothing else. */
export const naiveBayes: FamilySpec<NbParams, NbState> = {
  name: "naive-bayes",
  params: paramsSchema,
  create: (p) => new NbEstimator(p),
  state: stateSchema,
  stateVersion: 1,
  fromState: (s) => new NbModel(s),
  needs: { impute: false, oneHot: false, standardize: false },
  sample: (rng) => ({ bins: [5, 10, 20][rng.int(3)] }),
  // A test family: `auto` compares it only when search.families lists it.
  autoDefault: false,
  explainer:
    ({ state }) =>
    (X) => {
      const nf = state.columns.length;
      const baseValue = state.columns.reduce((s, c) => s + c.mean, state.prior);
      const predictions = new NbModel(state).predictRaw(X);
      const contributions = new Float64Array(X.nRows * nf);
      state.columns.forEach((c, j) => {
        const col = X.columns[j]!;
        for (let i = 0; i < X.nRows; i++) contributions[i * nf + j] = c.ratios[binOf(c, col[i]!)]! - c.mean;
      });
      return { nRows: X.nRows, nFeatures: nf, baseValue, predictions, contributions };
    },
  report: {
    displayName: "Naive Bayes (binned)",
    description: "naive Bayes on binned columns (a test-only family)",
    explanation: "additive",
  },
};

registerFamily(naiveBayes);
