/**
 * The `threads` setting (config key and `--threads`): the same model.json on 1 and 2 threads for the families that use
 * worker threads (gbdt, forest), through the built CLI (only compiled code has the worker scripts), and a bad value
 * is exit 2 with one line naming the key or flag.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MIN_PARALLEL_TABLE } from "../../src/learners/gbdt/parallel.js";
import { MIN_PARALLEL_WORK } from "../../src/learners/forest/parallel.js";
import { Rng } from "../../src/utils/random.js";
import { tmp, write } from "../helpers.js";
import { runCli, type CliRun } from "../cli-run.js";

const ROWS = 12_000;
const NUMERIC = 18;
const FOREST_TREES = 12;

/** A churn-like table: 18 numbers (some missing), a 6-level category, a yes/no column, an id and the target. */
function table(): string {
  const rng = new Rng(3);
  const header = ["id", ...Array.from({ length: NUMERIC }, (_, j) => `x${j}`), "plan", "autopay", "churn"];
  const lines = [header.join(",")];
  for (let r = 0; r < ROWS; r++) {
    const x = Array.from({ length: NUMERIC }, () => rng.next() * 2 - 1);
    const plan = rng.int(6);
    const autopay = rng.next() < 0.5;
    const z = 1.5 * x[0]! - x[1]! * x[2]! + (plan % 2 ? 0.8 : -0.4) + (autopay ? -0.5 : 0.3);
    const churn = rng.next() < 1 / (1 + Math.exp(-z));
    const cells = x.map((v, j) => (j === 4 && rng.next() < 0.1 ? "" : v.toFixed(4)));
    lines.push([`C${r}`, ...cells, `P${plan}`, autopay ? "Yes" : "No", churn ? "Yes" : "No"].join(","));
  }
  return lines.join("\n") + "\n";
}

/** model.json without its creation time. */
const modelOf = (dir: string): string =>
  readFileSync(join(dir, "model.json"), "utf8").replace(/"created_at": *"[^"]*"/, '"created_at":""');

/**
 * Exit 2 and one error line naming every `names`, no stack trace; a flag's usage error (commander's) is followed by
 * the usage hint every flag's has.
 */
function expectUserError(r: CliRun, ...names: string[]): void {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.split("\n").filter((l) => l.length > 0);
  expect(
    lines.filter((l) => l !== "(run with --help for usage)"),
    r.stderr,
  ).toHaveLength(1);
  for (const n of names) expect(lines[0]).toContain(n);
  expect(r.stderr).not.toContain("    at ");
}

describe.concurrent("threads", () => {
  let dir: string;
  let data: string;
  beforeAll(() => {
    dir = tmp();
    data = write(dir, "t.csv", table());
  });

  it("is big enough for the worker threads of gbdt and forest", () => {
    expect(ROWS * (NUMERIC + 2)).toBeGreaterThanOrEqual(MIN_PARALLEL_TABLE);
    expect(Math.round(ROWS * 0.8 * 0.8) * FOREST_TREES).toBeGreaterThanOrEqual(MIN_PARALLEL_WORK);
  });

  for (const model of ["gbdt", "forest"]) {
    it(`${model}: the same model.json with --threads 1, --threads 2 and config threads: 2, which it does not record`, async () => {
      const config = write(
        dir,
        `${model}.yaml`,
        `threads: 2\nmodel:\n  params: ${model === "forest" ? `{ n_estimators: ${FOREST_TREES} }` : "{ max_iter: 30 }"}\n`,
      );
      const common = ["train", "--data", data, "--target", "churn", "--model", model, "--config", config];
      const outs = ["t1", "t2", "cfg"].map((k) => join(dir, `${model}-${k}`));
      const runs = await Promise.all([
        runCli([...common, "--threads", "1", "--out", outs[0]!], { timeoutMs: 300_000 }),
        runCli([...common, "--threads", "2", "--out", outs[1]!], { timeoutMs: 300_000 }),
        runCli([...common, "--out", outs[2]!], { timeoutMs: 300_000 }),
      ]);
      for (const r of runs) expect(r.status, r.stderr).toBe(0);
      const [one, two, cfg] = outs.map(modelOf);
      expect(two).toBe(one);
      expect(cfg).toBe(one);
      const stored = JSON.parse(one!) as { config: Record<string, unknown> };
      expect(stored.config).not.toHaveProperty("threads");
      expect(stored.config.seed).toBe(42);
    }, 300_000);
  }

  it("--threads 0, --threads two and --threads 1000 are exit 2, one line naming --threads", async () => {
    for (const v of ["0", "two", "1000"]) {
      const r = await runCli(["train", "--data", data, "--target", "churn", "--threads", v, "--out", join(dir, "bad")]);
      expectUserError(r, "--threads", `"${v}"`);
    }
    const r = await runCli(["run", "--threads", "-1", "--out", join(dir, "bad-run")]);
    expectUserError(r, "--threads");
  });

  it("config threads: 0 and threads: 1.5 are exit 2, one line naming the file and the key", async () => {
    for (const v of ["0", "1.5", "two"]) {
      const config = write(dir, `bad-${v}.yaml`, `threads: ${v}\n`);
      const r = await runCli([
        "train",
        "--data",
        data,
        "--target",
        "churn",
        "--config",
        config,
        "--out",
        join(dir, "bad"),
      ]);
      expectUserError(r, config, "threads");
    }
  });
});
