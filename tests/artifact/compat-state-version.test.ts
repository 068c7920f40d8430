/**
 * Per-family state versions in model.json (`model.state_version`): training writes the family's version from the
 * registry; a file without one (churnkit 0.6.0) reads as version 1; a newer one than this build knows is exit 2 with
 * one line; an older one is brought up to date by the family's `migrateState` in memory, never in the file.
 * Needs `npm run build` (one test runs the CLI).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  family,
  loadModel,
  loadTable,
  readArtifact,
  registerFamily,
  train,
  validateArtifact,
} from "../../src/index.js";
import { runCli } from "../cli-run.js";
import { errorOf, ROOT, TELCO, tmp } from "../helpers.js";

const FIXTURES = join(ROOT, "tests", "fixtures", "v0.6.0");
const INPUT = join(FIXTURES, "input.csv");
const FAMILIES = ["logreg", "tree", "forest", "gbdt"] as const;
const SMALL: Record<(typeof FAMILIES)[number], Record<string, unknown>> = {
  logreg: {},
  tree: { max_depth: 3 },
  forest: { n_estimators: 3, max_depth: 3 },
  gbdt: { max_iter: 3, max_leaf_nodes: 4 },
};

/** A parsed model.json, loosely typed: the tests edit it. */
type Doc = Record<string, unknown> & { model: Record<string, unknown> };

const fixture = (f: string): Doc => JSON.parse(readFileSync(join(FIXTURES, f, "model.json"), "utf8"));

/** A model directory holding the 0.6.0 fixture of `f`, changed by `edit`. */
function edited(f: string, edit: (doc: Doc) => void): string {
  const dir = tmp("churnkit-state-version-");
  const doc = fixture(f);
  edit(doc);
  writeFileSync(join(dir, "model.json"), JSON.stringify(doc));
  return dir;
}

describe("model.state_version", () => {
  it("is written at training, from the family's registered stateVersion", async () => {
    const dir = tmp("churnkit-state-version-");
    const data = join(dir, "small.csv");
    writeFileSync(data, readFileSync(TELCO, "utf8").split("\n").slice(0, 401).join("\n") + "\n");
    for (const f of FAMILIES) {
      const out = join(dir, f);
      await train({
        data,
        model: f,
        params: SMALL[f],
        seed: 1,
        out,
        config: { evaluation: { permutation_repeats: 0 } },
      });
      const doc = JSON.parse(readFileSync(join(out, "model.json"), "utf8"));
      expect([f, doc.model.state_version]).toEqual([f, family(f).stateVersion]);
      expect(family(f).stateVersion).toBe(1);
      expect(Object.keys(doc.model)).toEqual(["family", "params", "state_version", "state"]);
    }
  });

  it("is absent from 0.6.0's files, which read as version 1 and are left as they were", () => {
    for (const f of FAMILIES) {
      const file = join(FIXTURES, f, "model.json");
      const bytes = readFileSync(file);
      expect("state_version" in fixture(f).model).toBe(false);
      expect(readArtifact(file).model.state_version).toBe(1);
      expect(readFileSync(file).equals(bytes)).toBe(true);
    }
  });

  it("newer than this churnkit knows: `churnkit predict` exits 2 with one line naming the file, family and remedy", async () => {
    const dir = edited("gbdt", (d) => (d.model.state_version = 2));
    const r = await runCli(["predict", "--model", dir, "--data", INPUT], { timeoutMs: 60_000 });
    expect([r.status, r.stdout]).toEqual([2, ""]);
    expect(r.stderr).toBe(
      `churnkit: ${join(dir, "model.json")}: the gbdt model state is version 2 (model.state_version), newer than this churnkit reads (up to 1); upgrade churnkit\n`,
    );
  });

  it("newer than this churnkit knows: loadModel refuses it for every family, before checking the state", async () => {
    for (const f of FAMILIES) {
      const dir = edited(f, (d) => {
        d.model.state_version = 7;
        d.model.state = { a_shape: "from the future" };
      });
      const e = await errorOf(() => loadModel(dir));
      expect(e.message).toBe(
        `${join(dir, "model.json")}: the ${f} model state is version 7 (model.state_version), newer than this churnkit reads (up to 1); upgrade churnkit`,
      );
    }
  });

  it("not a whole number from 1 up: a corrupt file", () => {
    const doc = fixture("tree");
    const cases: [unknown, string][] = [
      [0, "expected >= 1, got 0"],
      [1.5, "expected an integer, got 1.5"],
      ["1", 'expected a finite number, got the string "1"'],
      [null, "expected a finite number, got null"],
    ];
    for (const [v, why] of cases) {
      const e = (() => {
        try {
          validateArtifact({ ...doc, model: { ...doc.model, state_version: v } }, "m.json");
        } catch (err) {
          return err as Error;
        }
        throw new Error(`state_version ${String(v)} was accepted`);
      })();
      expect(e.message).toBe(`m.json: corrupt model file (model.state_version: ${why}); retrain the model`);
    }
  });

  it("older than the family's: migrateState brings the state up to date in memory, and it scores as before", async () => {
    const logreg = family("logreg");
    const want = (await (await loadModel(join(FIXTURES, "logreg"))).predict(await loadTable(INPUT))).map((p) => ({
      ...p,
    }));
    // A logreg whose version 2 nests version 1's state one level down.
    const migrated: unknown[] = [];
    registerFamily({
      ...logreg,
      stateVersion: 2,
      state: (ctx) => z.object({ v1: logreg.state(ctx) }),
      migrateState: (state: unknown, from: number) => {
        migrated.push(from);
        return { v1: state };
      },
      fromState: (s: { v1: unknown }) => logreg.fromState(s.v1),
      explainer: (ctx) => logreg.explainer!({ ...ctx, state: (ctx.state as { v1: unknown }).v1 }),
    });
    try {
      const file = join(FIXTURES, "logreg", "model.json");
      const bytes = readFileSync(file);
      const model = await loadModel(join(FIXTURES, "logreg"));
      expect(migrated).toEqual([1]);
      expect(model.artifact.model.state_version).toBe(2);
      expect((await model.predict(await loadTable(INPUT))).map((p) => ({ ...p }))).toEqual(want);
      expect(readFileSync(file).equals(bytes)).toBe(true);
      // A file already at version 2 is read as it is.
      const v2 = edited("logreg", (d) => {
        d.model.state = { v1: d.model.state };
        d.model.state_version = 2;
      });
      await loadModel(v2);
      expect(migrated).toEqual([1]);
    } finally {
      registerFamily(logreg);
    }
  });
});
