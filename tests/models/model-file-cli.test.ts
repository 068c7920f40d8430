/**
 * Corrupt model.json through the built CLI (`npm run build` first when running this file alone):
 * `predict` exits 2 with one line, `serve` refuses to start with that line, and the server
 * answers 4xx rather than serving a NaN. Every child process runs under a timeout, so a model
 * that would make churnkit loop fails the test instead of hanging the suite.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel, ChurnModel } from "../../src/artifact/churn-model.js";
import { createServer } from "../../src/serve/server.js";
import { UserError } from "../../src/utils/errors.js";
import { errorOf, telcoLines, tmp } from "../helpers.js";
import { craft, internalPair, trainAll, type Doc, type Trained } from "./model-file-fixture.js";
import { BIN, runCli } from "../cli-run.js";

const LIMIT_MS = 30_000;

interface Run {
  status: number | null;
  stderr: string;
  timedOut: boolean;
}

/** Run the CLI, killed after LIMIT_MS (then `timedOut`). */
const cli = (args: string[]): Promise<Run> => runCli(args, { timeoutMs: LIMIT_MS });

/** Exit 2, no hang, exactly the line `churnkit: FILE: message`. */
function expectLine(r: Run, file: string, message: string): void {
  expect(r.timedOut, "the command hung").toBe(false);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toBe(`churnkit: ${file}: ${message}\n`);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const state = (a: Doc): any => (a.model as Doc).state;

let models: Record<string, Trained>;
let sample: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error("run `npm run build` first: dist/cli/main.js is missing");
  models = await trainAll();
  sample = models.logreg!.data;
}, 240_000);

describe.concurrent("churnkit predict with a corrupt model.json: exit 2, one line", () => {
  const cases: [string, string, (a: Doc) => void, (m: Record<string, Trained>) => string, ((s: string) => string)?][] =
    [
      [
        "a cycle (child back to an ancestor)",
        "gbdt",
        (a) => {
          const { i, j } = internalPair(state(a).trees[3]);
          state(a).trees[3].left[j] = i;
        },
        (m) => {
          const { i, j } = internalPair((m.gbdt!.state.trees as never[])[3]!);
          return `corrupt model state (tree 3, node ${j}, left: child ${i} is reached twice: a cycle or a shared node); retrain the model`;
        },
      ],
      [
        "an out-of-range child",
        "forest",
        (a) => (state(a).trees[1].left[0] = 99999),
        (m) =>
          `corrupt model state (tree 1, node 0, left: child 99999 out of range 1..${(m.forest!.state.trees as { feature: number[] }[])[1]!.feature.length - 1}); retrain the model`,
      ],
      [
        "feature[0] = 5000",
        "tree",
        (a) => (state(a).tree.feature[0] = 5000),
        (m) =>
          `corrupt model state (tree, node 0, feature: feature 5000 out of range 0..${m.tree!.features - 1}); retrain the model`,
      ],
      [
        "a string threshold",
        "gbdt",
        (a) => (state(a).trees[0].threshold[0] = "1.5"),
        () =>
          'corrupt model state (tree 0, node 0, threshold: expected a finite number, got the string "1.5"); retrain the model',
      ],
      [
        "a null leaf value",
        "gbdt",
        (a) => (state(a).trees[2].value[state(a).trees[2].feature.indexOf(-1)] = null),
        (m) =>
          `corrupt model state (tree 2, node ${(m.gbdt!.state.trees as { feature: number[] }[])[2]!.feature.indexOf(-1)}, value: expected a finite number, got null); retrain the model`,
      ],
      [
        "coef cut to 3 entries",
        "logreg",
        (a) => (state(a).coef = state(a).coef.slice(0, 3)),
        (m) =>
          `corrupt model state (coef: has 3 entries, but preprocessing makes ${m.logreg!.features} model columns); retrain the model`,
      ],
      [
        "intercept: null",
        "logreg",
        (a) => (state(a).intercept = null),
        () => "corrupt model state (intercept: expected a finite number, got null); retrain the model",
      ],
      [
        "threshold: {value: null}",
        "logreg",
        (a) => (a.threshold = { value: null }),
        () => "corrupt model file (threshold.value: expected a finite number, got null); retrain the model",
      ],
      [
        'NaN encoded as the string "NaN"',
        "tree",
        (a) => (state(a).tree.threshold[0] = "NaN"),
        () =>
          'corrupt model state (tree, node 0, threshold: expected a finite number, got the string "NaN"); retrain the model',
      ],
      [
        "Infinity written as 1e999",
        "logreg",
        () => {},
        () => "corrupt model state (coef[0]: expected a finite number, got Infinity); retrain the model",
        (s) => s.replace(/"coef": \[\n\s*[^,\n]+/, '"coef": [1e999'),
      ],
      [
        "a missing field",
        "forest",
        (a) => delete a.threshold,
        () => 'corrupt model file, "threshold" is missing; retrain the model',
      ],
      [
        "a newer format version",
        "tree",
        (a) => ((a.format_version = "2.0"), (a.churnkit_version = "9.0.0")),
        () =>
          "model format 2.0 was written by churnkit 9.0.0, newer than this churnkit (reads format 1.x); upgrade churnkit",
      ],
    ];
  it.each(cases)("%s (%s)", async (_what, family, mutate, message, text) => {
    const file = craft(models[family]!, mutate, text);
    const out = join(tmp(), "scores.csv");
    const r = await cli(["predict", "--model", dirname(file), "--data", sample, "--out", out]);
    expectLine(r, file, message(models));
    expect(existsSync(out)).toBe(false);
  });
});

describe("churnkit serve with a corrupt model.json", () => {
  it("refuses to start: exit 2 and the one line, no hang", async () => {
    const file = craft(models.gbdt!, (a) => {
      const { i, j } = internalPair(state(a).trees[3]);
      state(a).trees[3].right[j] = i;
    });
    const { i, j } = internalPair((models.gbdt!.state.trees as never[])[3]!);
    const r = await cli(["serve", "--model", dirname(file), "--port", "0"]);
    expectLine(
      r,
      file,
      `corrupt model state (tree 3, node ${j}, right: child ${i} is reached twice: a cycle or a shared node); retrain the model`,
    );
    // The API path the server is built from refuses the same file with the same line.
    const e = await errorOf(() => loadModel(dirname(file)));
    expect(e).toBeInstanceOf(UserError);
    expect(e.message).toBe(r.stderr.slice("churnkit: ".length, -1));
  });

  it("a row whose probability would be NaN is answered 400, never a null probability", async () => {
    const a = structuredClone(models.logreg!.artifact);
    const [c0, c1] = a.preprocess.numeric.filter((s) => s.type === "numeric").map((s) => s.column);
    const coef = (a.model.state as { coef: number[] }).coef;
    coef[a.preprocess.features.findIndex((f) => f.name === c0)] = 1e308;
    coef[a.preprocess.features.findIndex((f) => f.name === c1)] = -1e308;
    const app = createServer(ChurnModel.fromArtifact(a));
    const { header, lines } = telcoLines();
    const cols = header.split(",");
    const row = Object.fromEntries(lines[0]!.split(",").map((v, k) => [cols[k]!, v as unknown]));
    const ok = await app.inject({ method: "POST", url: "/predict", payload: [row] });
    expect(ok.statusCode).toBe(200);
    const r = await app.inject({ method: "POST", url: "/predict", payload: [row, { ...row, [c0!]: 1e6, [c1!]: 1e6 }] });
    expect(r.statusCode).toBe(400);
    expect(JSON.parse(r.body)).toEqual({
      error:
        "model: churn probability of input row 2 is NaN, not a number in [0, 1]; check that row's values, or retrain the model",
    });
    await app.close();
  });
});
