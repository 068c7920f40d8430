import { join } from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { initConfigText } from "../../src/config/init.js";
import { merge, parseConfig, readConfigFile, resolveConfig } from "../../src/config/load.js";
import { loadTable } from "../../src/data/load.js";
import { fileSource } from "../../src/data/load-typed.js";
import { rawSource } from "../../src/data/source.js";
import { configSchema } from "../../src/config/schema.js";
import { UserError } from "../../src/utils/errors.js";
import "../../src/learners/families.js"; // registers the built-in families (as importing churnkit does)
import { errorOf, TELCO, tmp, write } from "../helpers.js";

describe("config defaults", () => {
  it("an empty config is valid and every key has its documented default", () => {
    const c = parseConfig({});
    expect(c.seed).toBe(42);
    expect(c.data).toEqual({ id_columns: [], drop: [], types: {}, allow_leaky: [] });
    expect(c.data.path).toBeUndefined();
    expect(c.data.target).toBeUndefined();
    expect(c.split).toEqual({ test_size: 0.2, validation_size: 0.2, folds: 5 });
    expect(c.preprocess).toEqual({
      numeric_imputation: "median",
      categorical_imputation: "most_frequent",
      unseen_category: "ignore",
      max_categories: 100,
      min_category_count: 5,
    });
    expect(c.features).toEqual({ derived: {}, drop_constant: true, max_missing_share: 0.95 });
    expect(c.model).toMatchObject({ family: "logreg", params: {}, refit: true });
    expect(c.model.threshold).toBe("f1");
    expect(c.search.families).toEqual(["logreg", "tree", "forest", "gbdt"]);
    expect(c.search.candidates).toBe(4);
    expect(c.out).toBe("models/churn");
    expect(configSchema.parse({})).toEqual(c);
  });

  it("no file and no overrides gives the defaults", () => {
    expect(resolveConfig(undefined)).toEqual(parseConfig({}));
  });

  it("a partial section keeps the defaults of its other keys", () => {
    const c = parseConfig({ split: { test_size: 0.3 }, model: { threshold: 0.4 } });
    expect(c.split).toEqual({ test_size: 0.3, validation_size: 0.2, folds: 5 });
    expect(c.model.threshold).toBe(0.4);
    expect(c.model.family).toBe("logreg");
  });
});

describe("config files", () => {
  it("loads YAML", () => {
    const dir = tmp();
    const f = write(
      dir,
      "churn.yaml",
      "seed: 7\ndata:\n  path: /abs/customers.csv\n  target: Exited\n  drop: [Surname]\nmodel:\n  family: logreg\n  params: { C: 0.5 }\n  threshold: 0.3\n",
    );
    const c = resolveConfig(f);
    expect(c.seed).toBe(7);
    expect(c.data.path).toBe("/abs/customers.csv");
    expect(c.data.target).toBe("Exited");
    expect(c.data.drop).toEqual(["Surname"]);
    expect(c.model.params).toEqual({ C: 0.5 });
    expect(c.model.threshold).toBe(0.3);
    expect(c.split.folds).toBe(5);
  });

  it("loads JSON with the same result as the equivalent YAML", () => {
    const dir = tmp();
    const j = write(
      dir,
      "churn.json",
      JSON.stringify({
        seed: 7,
        data: { target: "Exited", types: { zip: "categorical" } },
        preprocess: { numeric_imputation: "mean" },
      }),
    );
    const y = write(
      dir,
      "churn.yml",
      "seed: 7\ndata:\n  target: Exited\n  types:\n    zip: categorical\npreprocess:\n  numeric_imputation: mean\n",
    );
    const cj = resolveConfig(j);
    expect(cj).toEqual(resolveConfig(y));
    expect(cj.data.types).toEqual({ zip: "categorical" });
    expect(cj.preprocess.numeric_imputation).toBe("mean");
  });

  it("an empty YAML file is the defaults", () => {
    const dir = tmp();
    expect(resolveConfig(write(dir, "empty.yaml", "# nothing\n"))).toEqual(parseConfig({}));
  });

  it("command-line overrides beat file values, and unset overrides leave them alone", () => {
    const dir = tmp();
    const f = write(
      dir,
      "c.yaml",
      "seed: 1\nout: from-file\ndata:\n  target: Churn\n  positive: Yes\nmodel:\n  threshold: 0.3\n",
    );
    const c = resolveConfig(f, {
      seed: 99,
      out: "from-cli",
      data: { target: "Exited", positive: undefined },
      model: { threshold: undefined },
    });
    expect(c.seed).toBe(99);
    expect(c.out).toBe("from-cli");
    expect(c.data.target).toBe("Exited");
    expect(c.data.positive).toBe("Yes");
    expect(c.model.threshold).toBe(0.3);
  });

  it("merge is deep for objects and replaces arrays and scalars", () => {
    expect(merge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, d: undefined, e: 2 })).toEqual({
      a: { b: 1, c: [3] },
      d: 1,
      e: 2,
    });
  });

  it("a relative data.path resolves against the config file's folder, an absolute one is kept", () => {
    const dir = tmp();
    const f = write(dir, "c.yaml", "data:\n  path: sub/customers.csv\n");
    expect(resolveConfig(f).data.path).toBe(join(dir, "sub", "customers.csv"));
    const g = write(dir, "g.yaml", "data:\n  path: /elsewhere/x.parquet\n");
    expect(readConfigFile(g)).toEqual({ data: { path: "/elsewhere/x.parquet" } });
  });
});

describe("config errors name the key", () => {
  const msg = async (obj: unknown, where = "churn.yaml"): Promise<string> => {
    const e = await errorOf(() => parseConfig(obj, where));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).not.toContain("\n");
    return e.message;
  };

  it("an out-of-range threshold names model.threshold", async () => {
    const m = await msg({ model: { threshold: 1.5 } });
    expect(m).toMatch(/^churn\.yaml: model\.threshold: /);
    expect(m).toMatch(/1/);
  });

  it("an unknown key is named, with its path", async () => {
    expect(await msg({ modle: {} })).toBe('churn.yaml: unknown key "modle"; check the spelling');
    expect(await msg({ data: { targte: "Churn" } })).toBe('churn.yaml: data: unknown key "targte"; check the spelling');
  });

  it("a wrong type names the key and the expected type", async () => {
    const m = await msg({ seed: "abc" });
    expect(m).toMatch(/^churn\.yaml: seed: /);
    expect(m.toLowerCase()).toContain("number");
    const t = await msg({ split: { test_size: "0.2" } });
    expect(t).toMatch(/^churn\.yaml: split\.test_size: /);
  });

  it("a bad enum value names the key and the choices", async () => {
    const m = await msg({ preprocess: { numeric_imputation: "mode" } });
    expect(m).toMatch(/^churn\.yaml: preprocess\.numeric_imputation: /);
    expect(m).toContain("median");
    const f = await msg({ model: { family: "svm" } });
    expect(f).toMatch(/^churn\.yaml: model\.family: /);
    expect(f).toContain("logreg");
  });

  it("nested keys in records are named (data.types.COL)", async () => {
    expect(await msg({ data: { types: { zip: "text" } } })).toMatch(/^churn\.yaml: data\.types\.zip: /);
  });

  it("a bad derived feature name names features.derived", async () => {
    expect(await msg({ features: { derived: { "1bad": "x + 1" } } })).toMatch(
      /^churn\.yaml: features\.derived\.1bad: .*letter or _/,
    );
  });

  it("several problems: the first is named and the rest counted", async () => {
    expect(await msg({ seed: -1, model: { threshold: 2 } })).toMatch(/\(and 1 more problem\)$/);
  });

  it("file errors name the file: not found, bad YAML, bad JSON, not a mapping", async () => {
    const dir = tmp();
    const missing = join(dir, "nope.yaml");
    expect((await errorOf(() => resolveConfig(missing))).message).toMatch(
      new RegExp(`^${missing.replace(/[.]/g, "\\.")}: config file not found`),
    );
    const y = write(dir, "bad.yaml", "data: [unclosed\n");
    const ey = await errorOf(() => resolveConfig(y));
    expect(ey).toBeInstanceOf(UserError);
    expect(ey.message).toContain(`${y}: not valid YAML`);
    const j = write(dir, "bad.json", "{ seed: 1 ");
    expect((await errorOf(() => resolveConfig(j))).message).toContain(`${j}: not valid JSON`);
    const l = write(dir, "list.yaml", "- a\n- b\n");
    expect((await errorOf(() => resolveConfig(l))).message).toContain(`${l}: the top level must be a mapping`);
  });

  it("a validation error of a file names the file and the key", async () => {
    const dir = tmp();
    const f = write(dir, "c.yaml", "model:\n  threshold: 0\n");
    const e = await errorOf(() => resolveConfig(f));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toMatch(new RegExp(`^${f.replace(/[.]/g, "\\.")}: model\\.threshold: `));
  });
});

describe("init config text", () => {
  it("without data: valid YAML that parses to the defaults", () => {
    const text = initConfigText(undefined, undefined);
    expect(parseConfig(YAML.parse(text))).toEqual(parseConfig({}));
  });

  it("with data: the guessed target, the identifier columns and the path, every column listed in comments", async () => {
    const source = await fileSource(TELCO); // as `churnkit init --data` reads it: facts counted in DuckDB
    const text = initConfigText(source, "data/customers.csv");
    source.close();
    // The rows of the API, typed by the JS rules, describe the file the same way.
    expect(initConfigText(rawSource(await loadTable(TELCO)), "data/customers.csv")).toBe(text);
    const c = parseConfig(YAML.parse(text));
    expect(c.data.target).toBe("Churn");
    expect(c.data.id_columns).toEqual(["customerID"]);
    expect(c.data.path).toBe("data/customers.csv");
    expect(c.search.families).toEqual(parseConfig({}).search.families);
    expect(text).toContain("#   TotalCharges: numeric, feature, has missing values");
    expect(text).toContain("#   customerID: categorical, identifier (unique per row)");
  });
});

describe("model hyperparameters in a config", () => {
  it("are checked against the family's schema, and the error names the file and model.params.KEY", async () => {
    const dir = tmp();
    const f = write(dir, "c.yaml", "model:\n  family: logreg\n  params:\n    C: -1\n");
    const e = await errorOf(() => resolveConfig(f));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(`${f}: model.params.C: expected a number greater than 0, got -1`);
    expect((await errorOf(() => parseConfig({ model: { params: { max_iter: 0 } } }, "x.json"))).message).toMatch(
      /^x\.json: model\.params\.max_iter: /,
    );
  });
});
