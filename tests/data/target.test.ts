import { describe, expect, it } from "vitest";
import { encodeTarget, resolveTarget, targetLabels } from "../../src/data/target.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, raw } from "../helpers.js";

const t1 = (values: (string | number | boolean | null)[], origin = "data.csv") => raw({ y: values }, origin);

describe("positive label inference", () => {
  it.each([
    [["No", "Yes", "No"], "Yes", ["No"]],
    [["no", "YES"], "YES", ["no"]],
    [["0", "1", "0"], "1", ["0"]],
    [["0.0", "1.0"], "1.0", ["0.0"]],
    [["false", "true"], "true", ["false"]],
    [["FALSE", "True"], "True", ["FALSE"]],
    [["N", "Y"], "Y", ["N"]],
    [["stayed", "churned"], "churned", ["stayed"]],
  ])("%j → positive %s", (values, positive, negatives) => {
    expect(resolveTarget(t1(values), "y")).toEqual({ column: "y", positive, negatives });
  });

  it("raw JSON values (numbers, booleans) work too", () => {
    expect(resolveTarget(t1([0, 1, 1]), "y").positive).toBe("1");
    expect(resolveTarget(t1([true, false]), "y").positive).toBe("true");
  });

  it("an explicit --positive wins, matched with or without case", () => {
    expect(resolveTarget(t1(["stay", "leave", "stay"]), "y", "leave")).toEqual({
      column: "y",
      positive: "leave",
      negatives: ["stay"],
    });
    expect(resolveTarget(t1(["Yes", "No"]), "y", "no")).toEqual({ column: "y", positive: "No", negatives: ["Yes"] });
  });

  it("with --positive, more than two labels are allowed: all others are negative", () => {
    const info = resolveTarget(t1(["gold", "silver", "bronze", "gold"]), "y", "gold");
    expect(info.negatives).toEqual(["silver", "bronze"]);
    const { y } = encodeTarget(t1(["gold", "silver", "bronze", "gold"]), info);
    expect(Array.from(y)).toEqual([1, 0, 0, 1]);
  });
});

describe("target errors", () => {
  it("more than two labels without --positive names the column and says what to do", async () => {
    const e = await errorOf(() => resolveTarget(t1(["a", "b", "c"]), "y", undefined, "--positive"));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'data.csv: cannot tell which value of target column "y" means churn (values: a, b, c); pass --positive LABEL',
    );
    // A command without the flag (run, the API) names the config key instead.
    expect(
      (await errorOf(() => resolveTarget(t1(["a", "b"]), "y", undefined, "data.positive in churn.yaml"))).message,
    ).toBe(
      'data.csv: cannot tell which value of target column "y" means churn (values: a, b); set data.positive in churn.yaml',
    );
  });

  it("two labels that are not obvious also need --positive", async () => {
    const e = await errorOf(() => resolveTarget(t1(["stay", "leave"]), "y", undefined, "--positive"));
    expect(e.message).toContain('target column "y"');
    expect(e.message).toContain("--positive");
  });

  it("one class is an error naming the column and the class", async () => {
    const e = await errorOf(() => resolveTarget(t1(["Yes", "Yes", null]), "y"));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'data.csv: target column "y" has only one class ("Yes"); a churn model needs rows of both classes',
    );
    expect((await errorOf(() => resolveTarget(t1([null, ""]), "y"))).message).toContain("only one class (no values)");
  });

  it("--positive that is not a label is an error listing the labels", async () => {
    const e = await errorOf(() => resolveTarget(t1(["Yes", "No"]), "y", "Churned", "--positive"));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'data.csv: the positive label "Churned" (--positive) is not a value of target column "y"; its values are: Yes, No',
    );
    expect((await errorOf(() => resolveTarget(t1(["Yes", "No"]), "y", "Churned"))).message).toBe(
      'data.csv: the positive label "Churned" (data.positive) is not a value of target column "y"; its values are: Yes, No',
    );
  });

  it("a missing target column is named", async () => {
    const e = await errorOf(() => resolveTarget(t1(["Yes"]), "Churn"));
    expect(e.message).toBe('data.csv: target column "Churn" not found; columns are: y');
  });
});

describe("encodeTarget", () => {
  it("missing targets are left out; the kept rows are listed", () => {
    const t = t1(["Yes", null, "No", "", " yes ", "NA", "No"]);
    expect(targetLabels(t, "y")).toEqual(["Yes", "No", "yes"]);
    const info = { column: "y", positive: "Yes", negatives: ["No"] };
    const { y, rows } = encodeTarget(t, info);
    expect(rows).toEqual([0, 2, 4, 6]);
    expect(Array.from(y)).toEqual([1, 0, 1, 0]);
  });

  it("strict mode (evaluation) rejects a label never seen in training, naming row and column", async () => {
    const info = { column: "y", positive: "Yes", negatives: ["No"] };
    const e = await errorOf(() => encodeTarget(t1(["Yes", "No", "Maybe"], "test.csv"), info, true));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'test.csv: row 3, target column "y": label "Maybe" was not seen in training (labels: Yes, No)',
    );
  });
});

describe("boolean-like labels match without letter case", () => {
  // 76 of 300 rows spelled "True"/"False", the rest "TRUE"/"FALSE" (the mixed file of issue 14).
  const mixed = Array.from({ length: 300 }, (_, i) => {
    const churn = i % 4 === 0;
    const title = i % 4 === 0 ? i < 304 && i % 8 === 0 : i % 7 === 0;
    return churn ? (title ? "True" : "TRUE") : title ? "False" : "FALSE";
  });
  const count = (l: string) => mixed.filter((v) => v === l).length;

  it("a file mixing TRUE and True is inferred: one class per word, first spelling kept", () => {
    expect([count("TRUE"), count("True"), count("FALSE"), count("False")]).toEqual([37, 38, 193, 32]);
    const info = resolveTarget(t1(mixed), "y");
    expect(info).toEqual({ column: "y", positive: "True", negatives: ["FALSE"] });
    const { y } = encodeTarget(t1(mixed), info);
    expect(y.reduce((s, v) => s + v, 0)).toBe(75);
    expect(Array.from(y)).toEqual(mixed.map((v) => (v.toLowerCase() === "true" ? 1 : 0)));
  });

  it("with --positive TRUE, the True rows are churners too (never the other class)", () => {
    const info = resolveTarget(t1(mixed), "y", "TRUE", "--positive");
    expect(info).toEqual({ column: "y", positive: "TRUE", negatives: ["FALSE"] });
    expect(encodeTarget(t1(mixed), info).y.reduce((s, v) => s + v, 0)).toBe(75);
    expect(resolveTarget(t1(mixed), "y", "false").positive).toBe("FALSE");
  });

  it("a model trained on TRUE/FALSE evaluates a True/False file (strict)", () => {
    const info = resolveTarget(t1(["TRUE", "FALSE", "FALSE"]), "y");
    expect(info).toEqual({ column: "y", positive: "TRUE", negatives: ["FALSE"] });
    const { y, rows } = encodeTarget(t1(["False", "True", "true", "FALSE", null], "test.csv"), info, true);
    expect(Array.from(y)).toEqual([0, 1, 1, 0]);
    expect(rows).toEqual([0, 1, 2, 3]);
  });

  it.each([
    [["YES", "no", "Yes", "No", "yes"], "YES", ["no"]],
    [["n", "Y", "N"], "Y", ["n"]],
    [["f", "T"], "T", ["f"]],
  ])("%j → positive %s", (values, positive, negatives) => {
    expect(resolveTarget(t1(values), "y")).toEqual({ column: "y", positive, negatives });
  });

  it("a model stored with case variants among its negatives (0.x, --positive TRUE) still scores True as 1", () => {
    const old = { column: "y", positive: "TRUE", negatives: ["False", "FALSE", "True"] };
    expect(Array.from(encodeTarget(t1(["True", "false", "TRUE"]), old, true).y)).toEqual([1, 0, 1]);
  });

  it("two spellings of one boolean word are one class", async () => {
    expect((await errorOf(() => resolveTarget(t1(["Yes", "YES", "yes"]), "y"))).message).toBe(
      'data.csv: target column "y" has only one class ("Yes"); a churn model needs rows of both classes',
    );
  });

  it("other label sets stay exact: labels that differ only in case are an error, never two classes", async () => {
    const e = await errorOf(() => resolveTarget(t1(["Churned", "Stayed", "churned"]), "y", "Churned"));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'data.csv: target column "y" has labels "Churned" and "churned" that differ only in letter case; make them one label in the data (only yes/no, true/false, y/n, t/f and 1/0 labels are matched without case)',
    );
    // At evaluation, another spelling of a non-boolean label is not seen in training (not silently 0 or 1).
    const info = resolveTarget(t1(["Churned", "Stayed"]), "y", "Churned");
    const bad = await errorOf(() => encodeTarget(t1(["Stayed", "churned"], "test.csv"), info, true));
    expect(bad.message).toBe(
      'test.csv: row 2, target column "y": label "churned" was not seen in training (labels: Churned, Stayed)',
    );
  });
});
