/** `auto`'s choice (issue 14): the one-standard-error rule with the registry's complexity ranks. */
import { describe, expect, it } from "vitest";
import type { LeaderboardRow } from "../../src/artifact/metrics-file.js";
import { family } from "../../src/learners/families.js";
import { chooseFamily, formatLeaderboard } from "../../src/pipeline/select.js";

const row = (name: string, auc: number, std: number): LeaderboardRow => ({
  family: name,
  params: {},
  auc_mean: auc,
  auc_std: std,
  log_loss_mean: 0.4,
  log_loss_std: 0.01,
  pr_auc_mean: 0.6,
  pr_auc_std: 0.01,
  fit_s_mean: 0.1,
  fit_s_std: 0.01,
  candidates: 3,
});

describe("auto's one-standard-error rule", () => {
  it("the complexity order is part of each family's registry spec", () => {
    expect(["logreg", "tree", "gbdt", "forest"].map((f) => family(f).complexity)).toEqual([1, 2, 3, 4]);
  });

  it("a simpler family within one standard error of the best wins, and the reason says so", () => {
    // 5 folds: SE = 0.008 / √4 = 0.004; logreg is 0.0030 below gbdt, tree 0.0170: only tree is outside.
    const rows = [
      row("gbdt", 0.847, 0.008),
      row("forest", 0.846, 0.006),
      row("logreg", 0.844, 0.01),
      row("tree", 0.83, 0.01),
    ];
    const c = chooseFamily(rows, 5);
    expect(c).toEqual({
      family: "logreg",
      best: "gbdt",
      standard_error: 0.004,
      within: ["gbdt", "forest", "logreg"],
      reason:
        "logreg (AUC 0.8440) is the simplest family within one standard error (0.0040) of the best mean AUC (gbdt, 0.8470): a difference that small is noise, so the simpler, faster model wins",
    });
  });

  it("outside one standard error the best stays; among the rest within it, rank decides (gbdt before forest)", () => {
    const rows = [row("forest", 0.85, 0.004), row("gbdt", 0.849, 0.004), row("logreg", 0.84, 0.004)];
    const c = chooseFamily(rows, 5);
    expect(c.family).toBe("gbdt");
    expect(c.within).toEqual(["forest", "gbdt"]);
    const alone = chooseFamily([row("gbdt", 0.85, 0.002), row("logreg", 0.84, 0.002)], 5);
    expect(alone.family).toBe("gbdt");
    expect(alone.reason).toBe(
      "gbdt has the best mean AUC (0.8500) and no simpler family is within one standard error (0.0010) of it",
    );
  });

  it("the leaderboard text ends with the choice", () => {
    const rows = [row("gbdt", 0.847, 0.008), row("logreg", 0.844, 0.01)];
    const text = formatLeaderboard({ folds: 5, rows, choice: chooseFamily(rows, 5) });
    expect(text.split("\n").at(-1)).toBe(
      "chosen: logreg (AUC 0.8440) is the simplest family within one standard error (0.0040) of the best mean AUC (gbdt, 0.8470): a difference that small is noise, so the simpler, faster model wins",
    );
  });
});
