import { describe, expect, it } from "vitest";
import { complement, stratifiedKFold, stratifiedSplit, trainValidationTest } from "../../src/data/split.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf } from "../helpers.js";
import { Rng } from "../../src/utils/random.js";

/** 1,000 rows, 265 positives spread through the file (Telco's churn rate). */
const Y = Uint8Array.from({ length: 1000 }, (_, i) => ((i * 37) % 1000 < 265 ? 1 : 0));
const count = (idx: ArrayLike<number>, y: ArrayLike<number>, cls: number) =>
  Array.from(idx).filter((i) => y[i] === cls).length;
const sorted = (a: ArrayLike<number>) => Array.from(a).sort((p, q) => p - q);

describe("stratifiedSplit", () => {
  it("sizes match the ratio, class by class", () => {
    expect(count(Array.from(Y.keys()), Y, 1)).toBe(265);
    const { first, second } = stratifiedSplit(Y, 0.2, 42);
    expect(second.length).toBe(200); // round(735·0.2) = 147, round(265·0.2) = 53
    expect(first.length).toBe(800);
    expect(count(second, Y, 1)).toBe(53);
    expect(count(second, Y, 0)).toBe(147);
  });

  it("no row is lost or duplicated, and each part is in input order", () => {
    const { first, second } = stratifiedSplit(Y, 0.3, 7);
    expect(sorted([...first, ...second])).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(Array.from(first)).toEqual(sorted(first));
    expect(Array.from(second)).toEqual(sorted(second));
  });

  it("class balance is kept within one row per class", () => {
    for (const share of [0.1, 0.25, 0.33, 0.5]) {
      const { second } = stratifiedSplit(Y, share, 3);
      expect(Math.abs(count(second, Y, 1) - 265 * share)).toBeLessThanOrEqual(1);
      expect(Math.abs(count(second, Y, 0) - 735 * share)).toBeLessThanOrEqual(1);
    }
  });

  it("the same seed gives the same split, another seed a different one", () => {
    const a = stratifiedSplit(Y, 0.2, 42);
    expect(stratifiedSplit(Y, 0.2, 42)).toEqual(a);
    const b = stratifiedSplit(Y, 0.2, 43);
    expect(Array.from(b.second)).not.toEqual(Array.from(a.second));
    expect(b.second.length).toBe(a.second.length);
  });

  it("a tiny class keeps at least one row on each side", () => {
    const y = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    const { first, second } = stratifiedSplit(y, 0.1, 1);
    expect(count(first, y, 1)).toBe(1);
    expect(count(second, y, 1)).toBe(1);
  });

  it("a class of one row stays in the first part, whatever the share", () => {
    const y = Uint8Array.from([0, 0, 0, 0, 1]);
    const { first, second } = stratifiedSplit(y, 0.6, 2);
    expect(count(first, y, 1)).toBe(1);
    expect(count(second, y, 1)).toBe(0);
    expect(count(second, y, 0)).toBe(2); // round(4 · 0.6) = 2
  });

  it("gbdt's early-stopping hold-out: 4 + 4 rows at 10% still hold out one row of each class", () => {
    // The copy gbdt had rounded 0.4 to 0 rows per class, and so silently skipped early stopping.
    const y = Uint8Array.from([0, 1, 0, 1, 0, 1, 0, 1]);
    const { first, second } = stratifiedSplit(y, 0.1, new Rng(9).fork(1));
    expect(count(second, y, 0)).toBe(1);
    expect(count(second, y, 1)).toBe(1);
    expect(first.length).toBe(6);
  });

  it("an Rng gives the same split as the seed it was made from", () => {
    expect(stratifiedSplit(Y, 0.2, new Rng(42))).toEqual(stratifiedSplit(Y, 0.2, 42));
  });
});

describe("trainValidationTest", () => {
  it("three disjoint stratified parts covering every row", () => {
    const { train, validation, test } = trainValidationTest(Y, 0.2, 0.25, 5);
    expect(test.length).toBe(200);
    expect(validation.length).toBe(200); // 25% of 588 negatives (147) + 25% of 212 positives (53)
    expect(train.length).toBe(600);
    expect(sorted([...train, ...validation, ...test])).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(count(validation, Y, 1)).toBe(53);
  });
});

describe("stratifiedKFold", () => {
  it("folds partition the rows and each fold is stratified", () => {
    const folds = stratifiedKFold(Y, 5, 42);
    expect(folds).toHaveLength(5);
    expect(sorted(folds.flatMap((f) => Array.from(f)))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    for (const f of folds) {
      expect(f.length).toBe(200);
      expect(Math.abs(count(f, Y, 1) - 53)).toBeLessThanOrEqual(1);
      expect(Math.abs(count(f, Y, 0) - 147)).toBeLessThanOrEqual(1);
    }
  });

  it("fold sizes differ by at most one per class when classes do not divide evenly", () => {
    const y = Uint8Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 1 : 0)); // 26 positives, 77 negatives
    const folds = stratifiedKFold(y, 4, 1);
    const pos = folds.map((f) => count(f, y, 1));
    const neg = folds.map((f) => count(f, y, 0));
    expect(pos.reduce((a, b) => a + b)).toBe(26);
    expect(Math.max(...pos) - Math.min(...pos)).toBeLessThanOrEqual(1);
    expect(Math.max(...neg) - Math.min(...neg)).toBeLessThanOrEqual(1);
  });

  it("is seeded", () => {
    expect(stratifiedKFold(Y, 3, 9)).toEqual(stratifiedKFold(Y, 3, 9));
    expect(Array.from(stratifiedKFold(Y, 3, 9)[0]!)).not.toEqual(Array.from(stratifiedKFold(Y, 3, 10)[0]!));
  });

  it("fewer rows of a class than folds is a UserError saying what to do", async () => {
    const y = Uint8Array.from([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    const e = await errorOf(() => stratifiedKFold(y, 5, 1));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      "training data has 3 rows of class 1, fewer than the 5 folds of cross-validation; lower split.folds or add data",
    );
  });

  it("fewer than two folds is a UserError naming split.folds", async () => {
    expect((await errorOf(() => stratifiedKFold(Y, 1, 1))).message).toMatch(/^split\.folds: /);
  });

  it("complement gives the training rows of a fold", () => {
    expect(Array.from(complement(6, Int32Array.from([1, 4])))).toEqual([0, 2, 3, 5]);
  });
});
