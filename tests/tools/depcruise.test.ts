/**
 * The import rules of `.dependency-cruiser.cjs` (run by `npm run lint`) catch what they claim: a cycle made only of
 * `import type` edges, and a stage rule broken. Each case cruises a small src/ tree written to a temporary folder.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tmp, write } from "../helpers.js";

const CONFIG = join(ROOT, ".dependency-cruiser.cjs");
const BIN = join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");

/** Cruise `files` (paths under the temporary folder) and return the violated rule names, sorted. */
function violations(files: Record<string, string>): string[] {
  const dir = tmp("churnkit-depcruise-");
  write(
    dir,
    "tsconfig.json",
    JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext" } }),
  );
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    write(dir, name, text);
  }
  const r = spawnSync(process.execPath, [BIN, "src", "--config", CONFIG, "--output-type", "json"], {
    cwd: dir,
    encoding: "utf8",
  });
  rmSync(dir, { recursive: true, force: true }); // a folder this test made
  const out = JSON.parse(r.stdout) as { summary: { violations: { rule: { name: string } }[] } };
  return out.summary.violations.map((v) => v.rule.name).sort();
}

describe("dependency-cruiser rules", () => {
  it("fails on a cycle made only of type-only imports", () => {
    const found = violations({
      "src/core/a.ts": 'import type { B } from "./b.js";\nexport type A = { b?: B };\n',
      "src/core/b.ts": 'import type { A } from "./a.js";\nexport type B = { a?: A };\n',
    });
    expect(found).toEqual(["no-circular"]);
  });

  it("passes the same two files without the back edge", () => {
    const found = violations({
      "src/core/a.ts": 'import type { B } from "./b.js";\nexport type A = { b?: B };\n',
      "src/core/b.ts": "export type B = { n: number };\n",
    });
    expect(found).toEqual([]);
  });

  it("fails on an import that points up a stage: utils → config, data → learners, serve → cli", () => {
    const found = violations({
      "src/utils/u.ts": 'import type { C } from "../config/c.js";\nexport type U = C;\n',
      "src/config/c.ts": "export type C = number;\n",
      "src/data/d.ts": 'import { m } from "../learners/model.js";\nexport const d = m;\n',
      "src/learners/model.ts": "export const m = 1;\n",
      "src/serve/s.ts": 'import { c } from "../cli/common.js";\nexport const s = c;\n',
      "src/cli/common.ts": "export const c = 1;\n",
    });
    expect(found).toEqual(["stage-data", "stage-serve", "stage-utils"]);
  });

  it("passes the same imports pointing down a stage, and fails a file outside every stage", () => {
    expect(
      violations({
        "src/config/c.ts": 'import type { U } from "../utils/u.js";\nexport type C = U;\n',
        "src/utils/u.ts": "export type U = number;\n",
        "src/cli/common.ts": 'import { s } from "../serve/s.js";\nexport const c = s;\n',
        "src/serve/s.ts": "export const s = 1;\n",
      }),
    ).toEqual([]);
    expect(
      violations({
        "src/misc/m.ts": 'import { u } from "../utils/u.js";\nexport const m = u;\n',
        "src/utils/u.ts": "export const u = 1;\n",
      }),
    ).toEqual(["no-unknown-stage"]);
  });
});
