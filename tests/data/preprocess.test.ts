import { describe, expect, it } from "vitest";
import { fitPreprocess, transform, type PreprocessOptions, type PreprocessState } from "../../src/data/preprocess.js";
import type { ColumnType } from "../../src/data/schema.js";
import type { EncodingNeeds } from "../../src/core/types.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, typed } from "../helpers.js";
import { scoringLevels } from "../../src/data/score-typed.js";
import { CODE_LABEL, CODE_MISSING } from "../../src/data/typed.js";

const OPTS: PreprocessOptions = {
  numeric_imputation: "median",
  categorical_imputation: "most_frequent",
  unseen_category: "ignore",
  max_categories: 50,
  min_category_count: 1,
};
const LINEAR: EncodingNeeds = { impute: true, oneHot: true, standardize: true };
const RAW_ONEHOT: EncodingNeeds = { impute: true, oneHot: true, standardize: false };
const NATIVE: EncodingNeeds = { impute: false, oneHot: false, standardize: false };

const inputs = (spec: Record<string, ColumnType>) => Object.entries(spec).map(([column, type]) => ({ column, type }));
const colOf = (X: { features: { name: string }[]; columns: Float64Array[] }, name: string): number[] => {
  const j = X.features.findIndex((f) => f.name === name);
  expect(j, `model column ${name}`).toBeGreaterThanOrEqual(0);
  return Array.from(X.columns[j]!);
};

describe("imputation", () => {
  const t = typed({ x: [1, 2, null, 10, 4] });

  it("median fills missing numbers with the training median", () => {
    const s = fitPreprocess(t, inputs({ x: "numeric" }), RAW_ONEHOT, OPTS);
    expect(s.numeric[0]).toEqual({ column: "x", type: "numeric", fill: 3, mean: 4.25, std: Math.sqrt(12.1875) });
    expect(colOf(transform(s, t).X, "x")).toEqual([1, 2, 3, 10, 4]);
  });

  it("median of an odd count is the middle value", () => {
    const s = fitPreprocess(typed({ x: [5, null, 1, 3] }), inputs({ x: "numeric" }), RAW_ONEHOT, OPTS);
    expect(s.numeric[0]!.fill).toBe(3);
  });

  it("mean fills with the training mean", () => {
    const s = fitPreprocess(t, inputs({ x: "numeric" }), RAW_ONEHOT, { ...OPTS, numeric_imputation: "mean" });
    expect(s.numeric[0]!.fill).toBe(4.25);
    expect(colOf(transform(s, t).X, "x")).toEqual([1, 2, 4.25, 10, 4]);
  });

  it("missing categories take the most frequent level (most_frequent)", () => {
    const c = typed({ plan: ["a", "b", "b", null] });
    const s = fitPreprocess(c, inputs({ plan: "categorical" }), RAW_ONEHOT, OPTS);
    expect(s.categorical[0]).toEqual({
      column: "plan",
      levels: ["b", "a"],
      other: false,
      fill: "b",
      missingLevel: false,
    });
    const { X } = transform(s, c);
    expect(colOf(X, "plan=b")).toEqual([0, 1, 1, 1]);
    expect(colOf(X, "plan=a")).toEqual([1, 0, 0, 0]);
  });

  it("missing_level gives missing categories a column of their own", () => {
    const c = typed({ plan: ["a", "b", "b", null] });
    const s = fitPreprocess(c, inputs({ plan: "categorical" }), RAW_ONEHOT, {
      ...OPTS,
      categorical_imputation: "missing_level",
    });
    const { X } = transform(s, c);
    expect(X.features.map((f) => f.name)).toEqual(["plan=b", "plan=a", "plan=(missing)"]);
    expect(colOf(X, "plan=(missing)")).toEqual([0, 0, 0, 1]);
    expect(colOf(X, "plan=b")).toEqual([0, 1, 1, 0]);
  });

  it("without imputation (native families) missing numbers stay NaN", () => {
    const s = fitPreprocess(t, inputs({ x: "numeric" }), NATIVE, OPTS);
    expect(colOf(transform(s, t).X, "x")).toEqual([1, 2, NaN, 10, 4]);
  });
});

describe("one-hot encoding", () => {
  it("one column per level, most frequent first, named COLUMN=LEVEL, with source", () => {
    const t = typed({ contract: ["Month", "Year", "Month", "Two", "Month", "Year"], tenure: [1, 2, 3, 4, 5, 6] });
    const s = fitPreprocess(t, inputs({ contract: "categorical", tenure: "numeric" }), RAW_ONEHOT, OPTS);
    const { X } = transform(s, t);
    expect(X.features).toEqual([
      { name: "contract=Month", kind: "numeric", source: "contract" },
      { name: "contract=Year", kind: "numeric", source: "contract" },
      { name: "contract=Two", kind: "numeric", source: "contract" },
      { name: "tenure", kind: "numeric", source: "tenure" },
    ]);
    expect(X.nRows).toBe(6);
    expect(colOf(X, "contract=Month")).toEqual([1, 0, 1, 0, 1, 0]);
    expect(colOf(X, "contract=Year")).toEqual([0, 1, 0, 0, 0, 1]);
    expect(colOf(X, "contract=Two")).toEqual([0, 0, 0, 1, 0, 0]);
  });

  it("ties in frequency are ordered by name, so the encoding is deterministic", () => {
    const s = fitPreprocess(typed({ c: ["b", "a", "c", "a", "b"] }), inputs({ c: "categorical" }), RAW_ONEHOT, OPTS);
    expect(s.categorical[0]!.levels).toEqual(["a", "b", "c"]);
  });
});

describe("standardisation", () => {
  it("numeric columns have mean 0 and std 1 on the training rows; state keeps mean and std", () => {
    const x = [3, 7, 1, 9, 12, 5, 8, 2];
    const t = typed({ x, b: [1, 0, 1, 1, 0, 0, 1, 0] }, { b: "boolean" });
    const s = fitPreprocess(t, inputs({ x: "numeric", b: "boolean" }), LINEAR, OPTS);
    const { X } = transform(s, t);
    for (const col of X.columns) {
      const m = col.reduce((a, v) => a + v, 0) / col.length;
      const sd = Math.sqrt(col.reduce((a, v) => a + (v - m) ** 2, 0) / col.length);
      expect(m).toBeCloseTo(0, 12);
      expect(sd).toBeCloseTo(1, 12);
    }
    expect(s.numeric[0]!.mean).toBe(5.875);
    expect(s.numeric[1]).toMatchObject({ column: "b", type: "boolean", mean: 0.5, std: 0.5 });
  });

  it("new rows use the training mean and std, and a constant column is only shifted", () => {
    const t = typed({ x: [2, 4, 6, 8], k: [3, 3, 3, 3] });
    const s = fitPreprocess(t, inputs({ x: "numeric", k: "numeric" }), LINEAR, OPTS);
    const { X } = transform(s, typed({ x: [5, null], k: [4, 3] }));
    const sd = Math.sqrt(5);
    expect(colOf(X, "x")[0]).toBeCloseTo(0, 12);
    expect(colOf(X, "x")[1]).toBeCloseTo(0, 12); // missing → median 5 → 0
    expect(colOf(X, "k")).toEqual([1, 0]);
    expect(s.numeric[0]!.std).toBeCloseTo(sd, 12);
  });

  it("one-hot columns are not standardised", () => {
    const t = typed({ c: ["a", "b", "a"] });
    const { X } = transform(fitPreprocess(t, inputs({ c: "categorical" }), LINEAR, OPTS), t);
    expect(colOf(X, "c=a")).toEqual([1, 0, 1]);
  });
});

describe("category cap", () => {
  const values = [...Array(6).fill("a"), ...Array(4).fill("b"), ...Array(3).fill("c"), "d", "e"] as string[];

  it("min_category_count pools rare levels into (other)", () => {
    const t = typed({ c: values });
    const s = fitPreprocess(t, inputs({ c: "categorical" }), RAW_ONEHOT, { ...OPTS, min_category_count: 3 });
    expect(s.categorical[0]).toMatchObject({ levels: ["a", "b", "c"], other: true, pooled: ["d", "e"] });
    const { X, unseen } = transform(s, t);
    expect(X.features.map((f) => f.name)).toEqual(["c=a", "c=b", "c=c", "c=(other)"]);
    expect(colOf(X, "c=(other)")).toEqual([...Array(13).fill(0), 1, 1]);
    // Rare training levels were seen: they are scored as (other) and not reported as unseen.
    expect(unseen).toEqual([]);
    const fresh = transform(s, typed({ c: ["d", "zzz", "a", "e", "zzz"] }));
    expect(colOf(fresh.X, "c=(other)")).toEqual([1, 1, 0, 1, 1]);
    expect(fresh.unseen).toEqual([
      { row: 1, column: "c", value: "zzz" },
      { row: 4, column: "c", value: "zzz" },
    ]);
    // unseen_category: error refuses new values only, never a pooled training level.
    const strict = { ...s, options: { ...s.options, unseen_category: "error" as const } };
    expect(transform(strict, typed({ c: ["d", "e", "a"] })).unseen).toEqual([]);
  });

  it("a 500-level column capped at 100 levels: only values new to training count as unseen (issue 14)", () => {
    // Level k appears 500 - k times; prediction sees every training level once, plus 7 new values.
    const train: string[] = [];
    for (let k = 0; k < 500; k++) for (let r = 0; r < 500 - k; r++) train.push(`L${k}`);
    const s = fitPreprocess(typed({ c: train }), inputs({ c: "categorical" }), NATIVE, {
      ...OPTS,
      max_categories: 100,
    });
    expect(s.categorical[0]!.levels).toHaveLength(100);
    expect(s.categorical[0]!.pooled).toHaveLength(400);
    const input = [
      ...Array.from({ length: 500 }, (_, k) => `L${k}`),
      ...Array.from({ length: 7 }, (_, i) => `new${i}`),
    ];
    const { X, unseen } = transform(s, typed({ c: input }));
    expect(unseen.map((u) => u.value)).toEqual(["new0", "new1", "new2", "new3", "new4", "new5", "new6"]);
    expect(X.columns[0]!.filter((c) => c === 100).length).toBe(407); // 400 pooled + 7 new share "other"
    // The same rows coded as the scoring stream codes them (scoringLevels: kept, then pooled levels), the new values
    // as labels and one missing: the same matrix and unseen values as from the labels.
    const vocabulary = scoringLevels(s.categorical).get("c")!;
    expect(vocabulary).toHaveLength(500);
    const index = new Map(vocabulary.map((l, k) => [l, k]));
    const withMissing = [...input, null];
    const labels = new Map<number, string>();
    const code = Int32Array.from(withMissing, (v, r) =>
      v === null ? CODE_MISSING : (index.get(v) ?? (labels.set(r, v), CODE_LABEL)),
    );
    expect(labels.size).toBe(7);
    const t = typed({ c: withMissing });
    const col = t.columns.get("c")!;
    // (values all missing: a matrix equal to the labels' can only come from the codes)
    t.columns.set("c", { ...col, values: withMissing.map(() => null), coded: { levels: vocabulary, code, labels } });
    const coded = transform(s, t);
    const plain = transform(s, typed({ c: withMissing }));
    expect(coded.unseen).toEqual(plain.unseen);
    expect(Array.from(coded.X.columns[0]!)).toEqual(Array.from(plain.X.columns[0]!));
    // Codes past the kept levels are read as pooled only when those levels are the model's pooled ones.
    const wrong = vocabulary.slice(0, 100).concat(["not-pooled"]);
    const one = typed({ c: ["not-pooled"] });
    one.columns.set("c", {
      ...col,
      values: ["not-pooled"],
      coded: { levels: wrong, code: Int32Array.of(100), labels },
    });
    expect(transform(s, one).unseen.map((u) => u.value)).toEqual(["not-pooled"]);
  });

  it("models without the pooled list (before 0.8) still flag every level outside the kept ones", () => {
    const s = fitPreprocess(typed({ c: values }), inputs({ c: "categorical" }), RAW_ONEHOT, {
      ...OPTS,
      min_category_count: 3,
    });
    delete s.categorical[0]!.pooled;
    expect(transform(s, typed({ c: ["d", "a"] })).unseen).toEqual([{ row: 0, column: "c", value: "d" }]);
  });

  it("max_categories keeps the most frequent levels", () => {
    const s = fitPreprocess(typed({ c: values }), inputs({ c: "categorical" }), RAW_ONEHOT, {
      ...OPTS,
      max_categories: 2,
    });
    expect(s.categorical[0]).toMatchObject({ levels: ["a", "b"], other: true });
    const { X } = transform(s, typed({ c: ["c", "a", "zzz"] }));
    expect(colOf(X, "c=(other)")).toEqual([1, 0, 1]);
    expect(colOf(X, "c=a")).toEqual([0, 1, 0]);
  });

  it("a column of only rare levels keeps its most frequent ones rather than pooling everything", () => {
    const s = fitPreprocess(typed({ c: ["x", "y", "x"] }), inputs({ c: "categorical" }), RAW_ONEHOT, {
      ...OPTS,
      min_category_count: 5,
    });
    expect(s.categorical[0]).toMatchObject({ levels: ["x", "y"], other: false });
  });
});

describe("unseen categories", () => {
  const train = typed({ plan: ["a", "b", "a", "b"], x: [1, 2, 3, 4] });
  const fresh = typed({ plan: ["b", "new", "a"], x: [1, 1, 1] }, {}, "new.csv");

  it('"ignore" gives an all-zero one-hot row and reports row, column and value', () => {
    const s = fitPreprocess(train, inputs({ plan: "categorical", x: "numeric" }), RAW_ONEHOT, OPTS);
    const { X, unseen } = transform(s, fresh);
    expect(colOf(X, "plan=a")).toEqual([0, 0, 1]);
    expect(colOf(X, "plan=b")).toEqual([1, 0, 0]);
    expect(unseen).toEqual([{ row: 1, column: "plan", value: "new" }]);
  });

  it('"error" throws naming the row (1-based), column and value', async () => {
    const s = fitPreprocess(train, inputs({ plan: "categorical", x: "numeric" }), RAW_ONEHOT, {
      ...OPTS,
      unseen_category: "error",
    });
    const e = await errorOf(() => transform(s, fresh));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'new.csv: row 2, column "plan": category "new" was not seen in training (known: a, b); fix the value, or retrain the model with preprocess.unseen_category: ignore',
    );
  });

  it("native encoding: codes for known levels, NaN for missing and unseen", () => {
    const s = fitPreprocess(train, inputs({ plan: "categorical", x: "numeric" }), NATIVE, OPTS);
    expect(s.features[0]).toEqual({ name: "plan", kind: "categorical", nCategories: 2, source: "plan" });
    const { X, unseen } = transform(s, typed({ plan: ["b", "new", null, "a"], x: [1, 2, 3, 4] }));
    expect(colOf(X, "plan")).toEqual([1, NaN, NaN, 0]);
    expect(unseen).toHaveLength(1);
  });
});

describe("state", () => {
  it("survives a JSON round trip and transforms identically", () => {
    const t = typed(
      { plan: ["a", "b", null, "c", "a", "a"], x: [1.5, null, 3.25, -2, 8, 0.1], ok: [1, 0, 1, null, 0, 1] },
      { ok: "boolean" },
    );
    const s = fitPreprocess(t, inputs({ plan: "categorical", x: "numeric", ok: "boolean" }), LINEAR, {
      ...OPTS,
      min_category_count: 2,
    });
    const back = JSON.parse(JSON.stringify(s)) as PreprocessState;
    expect(back).toEqual(s);
    const a = transform(s, t);
    const b = transform(back, t);
    expect(b.X.features).toEqual(a.X.features);
    expect(b.X.columns).toEqual(a.X.columns);
    expect(b.unseen).toEqual(a.unseen);
  });

  it("a numeric column with every training value missing is a clear error naming it", async () => {
    const e = await errorOf(() =>
      fitPreprocess(typed({ x: [null, null, null] }, { x: "numeric" }), inputs({ x: "numeric" }), LINEAR, OPTS),
    );
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('column "x" has no values in the training rows; drop it or supply data');
  });

  it("a missing input column at transform time is an error naming it", async () => {
    const s = fitPreprocess(typed({ x: [1, 2] }), inputs({ x: "numeric" }), LINEAR, OPTS);
    const e = await errorOf(() => transform(s, typed({ y: [1, 2] }, {}, "in.csv")));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe('in.csv: missing column "x"; the model needs it');
  });
});
