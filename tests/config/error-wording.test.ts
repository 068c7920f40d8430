/**
 * Config errors are one line in churnkit's words: the config file, the key path, what is expected and what was
 * given; never zod's default wording ("Too small: expected number to be >=100", "Invalid input: ..."). Messages a
 * schema writes itself are kept. Through the CLI too: exit 2, that line, no stack trace.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import "../../src/learners/families.js"; // registers the built-in families (as importing churnkit does)
import { runCli } from "../cli-run.js";
import { errorOf, tmp, write } from "../helpers.js";

const msg = async (obj: unknown): Promise<string> => (await errorOf(() => parseConfig(obj, "churn.yaml"))).message;

describe("config error wording", () => {
  it.each([
    [{ seed: "abc" }, 'seed: expected a number, got "abc"'],
    [{ seed: -1 }, "seed: expected a number of at least 0, got -1"],
    [{ seed: 1.5 }, "seed: expected a whole number, got 1.5"],
    [{ split: { test_size: 1 } }, "split.test_size: expected a number less than 1, got 1"],
    [{ split: { folds: 30 } }, "split.folds: expected a number of at most 20, got 30"],
    [{ search: { max_rows: 5 } }, "search.max_rows: expected a number of at least 100, got 5"],
    [
      { preprocess: { numeric_imputation: "mode" } },
      'preprocess.numeric_imputation: expected one of "median", "mean", got "mode"',
    ],
    [
      { data: { types: { zip: "text" } } },
      'data.types.zip: expected one of "numeric", "categorical", "boolean", got "text"',
    ],
    // model.threshold names both of its forms, whichever was meant (a word, or a probability out of range).
    [
      { model: { threshold: "abc" } },
      'model.threshold: expected "f1", "profit" or a fixed probability greater than 0 and less than 1, got "abc"',
    ],
    [
      { model: { threshold: 2 } },
      'model.threshold: expected "f1", "profit" or a fixed probability greater than 0 and less than 1, got 2',
    ],
    [
      { model: { threshold: 0 } },
      'model.threshold: expected "f1", "profit" or a fixed probability greater than 0 and less than 1, got 0',
    ],
    [
      { model: { threshold: 1 } },
      'model.threshold: expected "f1", "profit" or a fixed probability greater than 0 and less than 1, got 1',
    ],
    [
      { model: { threshold: true } },
      'model.threshold: expected "f1", "profit" or a fixed probability greater than 0 and less than 1, got true',
    ],
    [
      { model: { threshold: [0.5] } },
      'model.threshold: expected "f1", "profit" or a fixed probability greater than 0 and less than 1, got a list of 1',
    ],
    [{ search: { families: [] } }, "search.families: expected a list that is not empty, got an empty list"],
    [{ data: { id_columns: [""] } }, 'data.id_columns.0: expected text that is not empty, got ""'],
    [{ data: { id_columns: "customerID" } }, 'data.id_columns: expected a list, got "customerID"'],
    [{ data: "x.csv" }, 'data: expected a mapping of keys, got "x.csv"'],
    [{ refit: 1 }, 'unknown key "refit"; check the spelling'],
    [
      { model: { family: "gbdt", params: { max_depth: "deep" } } },
      'model.params.max_depth: expected a number, got "deep"',
    ],
    [
      { model: { family: "svm" } },
      'model.family: expected one of "logreg", "tree", "forest", "gbdt", "cox", "auto", got "svm"',
    ],
    // A message of the schema's own stays as written.
    [
      { model: { threshold: "profit" } },
      'model.economics: required when model.threshold is "profit": give value_saved, offer_cost and success_rate',
    ],
  ])("%j → %s", async (config, expected) => {
    const m = await msg(config);
    expect(m).toBe(`churn.yaml: ${expected}`);
    expect(m).not.toMatch(/Too (small|big)|Invalid (input|option)|expected number to be/);
  });

  it("a required key that is missing says so", async () => {
    const m = await msg({ model: { threshold: "profit", economics: { value_saved: 100, offer_cost: 5 } } });
    expect(m).toBe("churn.yaml: model.economics.success_rate: missing; expected a number from 0 to 1");
  });

  it("through the CLI: model.threshold 2 is exit 2 and one line with both forms", async () => {
    const dir = tmp("churnkit-config-words-");
    const f = write(dir, "churn.yaml", "model:\n  threshold: 2\n");
    const r = await runCli(["run", "--config", f, "--out", join(dir, "m")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `churnkit: ${f}: model.threshold: expected "f1", "profit" or a fixed probability greater than 0 and less than 1, got 2\n`,
    );
  }, 60_000);

  it("through the CLI: exit 2 and the one line naming the config file and key", async () => {
    const dir = tmp("churnkit-config-words-");
    const f = write(dir, "churn.yaml", "search:\n  max_rows: 5\n");
    const r = await runCli(["run", "--config", f, "--out", join(dir, "m")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`churnkit: ${f}: search.max_rows: expected a number of at least 100, got 5\n`);
  }, 60_000);
});
