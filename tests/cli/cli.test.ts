/**
 * The built command line (`node dist/cli/main.js`): `npm test` builds first; to run this file
 * alone, run `npm run build` before it.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import YAML from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, telcoLines, tmp, write } from "../helpers.js";
import { BIN, runCli } from "../cli-run.js";

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI. Logs at `level` (default: silent, so that stderr holds only the error line).
 * Asynchronous (spawn, not spawnSync) so that the test worker's event loop stays free while
 * the child runs: a blocked worker misses vitest's RPC deadlines on a busy machine.
 */
const cli = (args: string[], level = "silent"): Promise<Run> => runCli(args, { level });

/** A user error: exit 2, exactly one stderr line containing every `names`, no stack trace. */
function expectUserError(r: Run, ...names: string[]): string {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.split("\n").filter((l) => l.length > 0);
  expect(lines, r.stderr).toHaveLength(1);
  const line = lines[0]!;
  expect(line).toMatch(/^churnkit: /);
  for (const n of names) expect(line).toContain(n);
  expect(r.stderr).not.toContain("    at ");
  return line;
}

const csvRows = (text: string): string[][] =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => l.split(","));

// Every test uses its own files, so they run concurrently (each is mostly waiting for a child process).
describe.concurrent("churnkit CLI", () => {
  let dir: string;
  let sample: string; // first 1,500 rows of the bundled data
  let header: string;
  let lines: string[];
  let model: string;
  beforeAll(async () => {
    expect(existsSync(BIN), "dist/cli/main.js: run `npm run build` first").toBe(true);
    dir = tmp();
    const t = telcoLines();
    header = t.header;
    lines = t.lines.slice(0, 1500);
    sample = write(dir, "sample.csv", [header, ...lines].join("\n") + "\n");
    model = join(dir, "model");
    const r = await cli(["train", "--data", sample, "--target", "Churn", "--seed", "7", "--out", model]);
    expect(r.status, r.stderr).toBe(0);
  });

  /** The sample with one column transformed per row. */
  function variant(
    name: string,
    map: (cells: string[], i: number) => string[],
    head: (cells: string[]) => string[] = (c) => c,
  ): string {
    const h = head(header.split(","));
    return write(dir, name, [h.join(","), ...lines.map((l, i) => map(l.split(","), i).join(","))].join("\n") + "\n");
  }
  const col = (name: string) => header.split(",").indexOf(name);

  it("--version prints package.json's version", async () => {
    const r = await cli(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it("--help lists the subcommands", async () => {
    const r = await cli(["--help"]);
    expect(r.status).toBe(0);
    for (const c of ["run", "init", "train", "evaluate", "predict"])
      expect(r.stdout).toMatch(new RegExp(`^  ${c} `, "m"));
    const t = await cli(["train", "--help"]);
    expect(t.status).toBe(0);
    for (const o of ["--data", "--target", "--positive", "--drop", "--model", "--config", "--seed", "--out"])
      expect(t.stdout).toContain(o);
  });

  it("train wrote a model directory with model.json and metrics.json", () => {
    expect(readdirSync(model).sort()).toEqual(expect.arrayContaining(["metrics.json", "model.json"]));
    const a = JSON.parse(readFileSync(join(model, "model.json"), "utf8"));
    expect(a.data_fingerprint.rows).toBe(1500);
    expect(a.id_columns).toEqual(["customerID"]);
  });

  it("run --out DIR --json: JSON on stdout (logs on stderr), files written", async () => {
    const out = join(dir, "run-bundled");
    const r = await cli(["run", "--out", out, "--json"], "info");
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.out).toBe(out);
    expect(j.family).toBe("logreg");
    expect(j.files).toEqual({
      model: join(out, "model.json"),
      metrics: join(out, "metrics.json"),
      report: join(out, "report.html"),
    });
    expect(existsSync(j.files.model)).toBe(true);
    expect(existsSync(j.files.metrics)).toBe(true);
    expect(existsSync(j.files.report)).toBe(true);
    expect(j.test.rows).toBe(1409);
    expect(j.test.auc).toBeGreaterThan(0.82);
    expect(Object.keys(j.timings)).toEqual(expect.arrayContaining(["load_s", "preprocess_s", "fit_s", "total_s"]));
    expect(r.stderr.length).toBeGreaterThan(0); // the logs went to stderr, not into the JSON
  });

  it("init --data FILE --out FILE writes a config with the guessed target and id column, and run --config uses it", async () => {
    const cfgDir = join(dir, "configs");
    const cfg = join(cfgDir, "churn.yaml");
    const r = await cli(["init", "--data", sample, "--out", cfg]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(cfg);
    const text = readFileSync(cfg, "utf8");
    expect(text).toMatch(/^# /); // commented
    const doc = YAML.parse(text);
    expect(doc.data.target).toBe("Churn");
    expect(doc.data.id_columns).toEqual(["customerID"]);
    expect(doc.data.path).toBe("../sample.csv"); // relative to the config file
    const again = await cli(["init", "--data", sample, "--out", cfg]);
    expectUserError(again, cfg, "--force");

    const out = join(dir, "run-config");
    const run = await cli(["run", "--config", cfg, "--out", out, "--json"]);
    expect(run.status, run.stderr).toBe(0);
    const j = JSON.parse(run.stdout);
    expect(j.test.rows).toBe(300); // 20% of 1,500
    expect(existsSync(join(out, "model.json"))).toBe(true);
  });

  it("evaluate --json prints every metric", async () => {
    const r = await cli(["evaluate", "--model", model, "--data", sample, "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout);
    for (const k of [
      "rows",
      "auc",
      "pr_auc",
      "log_loss",
      "brier",
      "accuracy",
      "precision",
      "recall",
      "f1",
      "threshold",
    ])
      expect(typeof m[k], k).toBe("number");
    expect(Object.keys(m.confusion).sort()).toEqual(["fn", "fp", "tn", "tp"]);
    expect(m.rows).toBe(1500);
    expect(m.confusion.tp + m.confusion.fp + m.confusion.tn + m.confusion.fn).toBe(1500);
    expect(m.auc).toBeGreaterThan(0.8);
    expect(m.threshold).toBe(JSON.parse(readFileSync(join(model, "model.json"), "utf8")).threshold.value);
  });

  it("predict --out x.csv: id, probability, prediction, one row per input in input order", async () => {
    const out = join(dir, "scores.csv");
    const r = await cli(["predict", "--model", model, "--data", sample, "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    const rows = csvRows(readFileSync(out, "utf8"));
    expect(rows[0]).toEqual(["customerID", "churn_probability", "churn_prediction"]);
    expect(rows).toHaveLength(1501);
    const threshold = JSON.parse(readFileSync(join(model, "model.json"), "utf8")).threshold.value;
    rows.slice(1).forEach((r, i) => {
      expect(r[0]).toBe(lines[i]!.split(",")[0]);
      const p = Number(r[1]);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(r[2]).toBe(p >= threshold ? "true" : "false");
    });
    expect(readdirSync(dir).filter((f) => f.startsWith(".scores.csv"))).toEqual([]);
  });

  it("predict accepts extra and reordered columns (and no target) with identical scores", async () => {
    const base = join(dir, "base.csv");
    expect((await cli(["predict", "--model", model, "--data", sample, "--out", base])).status).toBe(0);
    const names = header.split(",");
    const order = [...names.keys()].filter((i) => names[i] !== "Churn").reverse();
    const shuffled = write(
      dir,
      "shuffled.csv",
      [
        ["note", ...order.map((i) => names[i])].join(","),
        ...lines.map((l, k) => [`n${k}`, ...order.map((i) => l.split(",")[i])].join(",")),
      ].join("\n") + "\n",
    );
    const out = join(dir, "shuffled-scores.csv");
    const r = await cli(["predict", "--model", model, "--data", shuffled, "--out", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(base, "utf8"));
  });

  it("an unknown option exits 2", async () => {
    const r = await cli(["train", "--data", sample, "--out", join(dir, "x"), "--colour", "red"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--colour");
    expect(r.stderr).not.toContain("    at ");
    expect(existsSync(join(dir, "x"))).toBe(false);
  });

  describe("bad input: exit 2, one line naming what and where, nothing written", () => {
    const trainFails = async (data: string, extra: string[], ...names: string[]): Promise<string> => {
      const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
      const line = expectUserError(
        await cli(["train", "--data", data, "--target", "Churn", ...extra, "--out", out]),
        ...names,
      );
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.startsWith(`.${basename(out)}`))).toEqual([]); // no temporary leftovers
      return line;
    };
    const predictFails = async (data: string, m: string, ...names: string[]): Promise<string> => {
      const out = join(dir, `pred-${Math.random().toString(36).slice(2)}.csv`);
      const line = expectUserError(await cli(["predict", "--model", m, "--data", data, "--out", out]), ...names);
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(dir).filter((f) => f.startsWith(`.${basename(out)}`))).toEqual([]);
      return line;
    };

    it("a missing file", async () => {
      const p = join(dir, "no-such.csv");
      expect(await trainFails(p, [], p)).toContain("file not found");
    });

    it("a malformed CSV (rows of different widths)", async () => {
      const p = write(
        dir,
        "ragged.csv",
        [header, lines[0], lines[1]!.split(",").slice(0, 5).join(","), lines[2]].join("\n") + "\n",
      );
      expect(await trainFails(p, [], p, "row 2")).toContain("malformed CSV");
      expect(await predictFails(p, model, p, "row 2")).toContain("malformed CSV");
    });

    it("an unreadable (binary) file", async () => {
      const bytes = Buffer.alloc(4096);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
      const p = join(dir, "binary.csv");
      writeFileSync(p, bytes);
      await trainFails(p, [], p, "cannot be read");
    });

    it("an empty file", async () => {
      const p = write(dir, "empty.csv", "");
      expect(await trainFails(p, [], p)).toContain("empty");
      const h = write(dir, "header-only.csv", header + "\n");
      expect(await trainFails(h, [], h)).toContain("no data rows");
    });

    it("a missing target column", async () => {
      const line = expectUserError(
        await cli(["train", "--data", sample, "--target", "Cancelled", "--out", join(dir, "m-target")]),
        sample,
        '"Cancelled"',
      );
      expect(line).toContain("not found");
      expect(existsSync(join(dir, "m-target"))).toBe(false);
    });

    it("a target with only one class", async () => {
      const p = variant("one-class.csv", (c) => [...c.slice(0, -1), "No"]);
      expect(await trainFails(p, [], p, '"Churn"')).toContain("only one class");
    });

    it("a target with more than two values and no --positive", async () => {
      const p = variant("three.csv", (c, i) => [...c.slice(0, -1), ["Yes", "No", "Maybe"][i % 3]!]);
      expect(await trainFails(p, [], p, '"Churn"')).toContain("--positive");
      const ok = await cli([
        "train",
        "--data",
        p,
        "--target",
        "Churn",
        "--positive",
        "Yes",
        "--out",
        join(dir, "m-three"),
      ]);
      expect(ok.status, ok.stderr).toBe(0);
    });

    it("an out-of-range hyperparameter in a config file", async () => {
      const cfg = write(dir, "bad-params.yaml", "model:\n  family: logreg\n  params:\n    C: -1\n");
      const line = await trainFails(sample, ["--config", cfg], cfg, "model.params.C");
      expect(line).toMatch(/too small|greater than|>0|> 0/i);
    });

    it("a feature column missing at predict time", async () => {
      const t = col("tenure");
      const p = variant(
        "no-tenure.csv",
        (c) => c.filter((_, i) => i !== t),
        (h) => h.filter((_, i) => i !== t),
      );
      await predictFails(p, model, p, '"tenure"');
    });

    it('a wrong type in a numeric column at predict time ("abc")', async () => {
      const m = col("MonthlyCharges");
      const p = variant("abc.csv", (c, i) => (i === 1233 ? c.map((v, j) => (j === m ? "abc" : v)) : c));
      await predictFails(p, model, p, '"MonthlyCharges"', "row 1234", '"abc"');
    });

    it("a corrupt model.json", async () => {
      const bad = join(dir, "corrupt-model");
      cpSync(model, bad, { recursive: true });
      writeFileSync(join(bad, "model.json"), readFileSync(join(bad, "model.json"), "utf8").slice(0, 500));
      expect(await predictFails(sample, bad, join(bad, "model.json"))).toContain("corrupt model file");
    });

    it("a model.json with a newer format version", async () => {
      const newer = join(dir, "newer-model");
      cpSync(model, newer, { recursive: true });
      const a = JSON.parse(readFileSync(join(newer, "model.json"), "utf8"));
      writeFileSync(join(newer, "model.json"), JSON.stringify({ ...a, format_version: "2.0" }));
      expect(await predictFails(sample, newer, join(newer, "model.json"), "2.0")).toContain("upgrade churnkit");
    });

    it("a model directory that does not exist", async () => {
      const none = join(dir, "no-model");
      expect(await predictFails(sample, none, none)).toContain("model not found");
    });
  });
});
