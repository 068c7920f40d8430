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
    const e = await errorOf(() => resolveTarget(t1(["a", "b", "c"]), "y"));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'data.csv: cannot tell which value of target column "y" means churn (values: a, b, c); pass --positive LABEL',
    );
  });

  it("two labels that are not obvious also need --positive", async () => {
    const e = await errorOf(() => resolveTarget(t1(["stay", "leave"]), "y"));
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
    const e = await errorOf(() => resolveTarget(t1(["Yes", "No"]), "y", "Churned"));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(
      'data.csv: --positive "Churned" is not a value of target column "y"; its values are: Yes, No',
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
