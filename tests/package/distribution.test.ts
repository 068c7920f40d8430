/**
 * Distribution tests: what `npm pack` puts in the tarball, and that the package installs and runs
 * from the tarball and from git (the guide's "pip install ." and "pip install git+URL").
 *
 * Slow (each install takes from seconds to minutes) and kept to two installs. Both run OFFLINE
 * and need nothing but what the repository's own `npm ci` put in npm's cache, so they pass on a
 * fresh machine: each consumer project gets a lockfile cut from the repository's (its runtime part),
 * and `npm ci --offline` fetches tarballs from the cache by integrity. (`npm install` without a
 * lockfile would need registry metadata, which `npm ci` never caches.) A cache miss fails with a
 * message saying so, not with a network timeout.
 *
 * The tarball is packed from the current dist/ (`npm pack --ignore-scripts`): `npm test` builds
 * first. One install of it serves the CLI, ESM, CommonJS and TypeScript consumers. The git install
 * clones HEAD, so it tests what is committed, and its `prepare` script builds the clone.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumerProject, npmCiOffline, run } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  files: string[];
};

/**
 * What the git install installs: "head" (default) a clone of HEAD, so only committed files count;
 * "worktree" a snapshot of the working tree (committed or not) in a new repository, for when HEAD
 * is mid-way between commits.
 */
const GIT_SOURCE = process.env.CHURNKIT_PACKAGE_GIT === "worktree" ? "worktree" : "head";

let work: string;
let tarball: string;
let entries: string[];

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "index.js")))
    throw new Error("dist/ is missing: run `npm run build` (or `npm test`, which builds) before the package tests");
  work = mkdtempSync(join(tmpdir(), "churnkit-package-"));
  const packed = JSON.parse(
    await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], ROOT),
  ) as { filename: string }[];
  tarball = join(work, packed[0]!.filename);
  entries = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("holds the built code, its types, the bundled data and the docs, and no tests or sources", () => {
    const has = (p: string) => expect(entries, `tarball entry ${p}`).toContain(p);
    for (const f of [
      "package.json",
      "README.md",
      "CHANGELOG.md",
      "LICENSE",
      "dist/index.js",
      "dist/index.d.ts",
      "dist/cli/main.js",
      "data/telco-customer-churn.csv",
      "data/README.md",
    ])
      has(`package/${f}`);

    // Every module has its declaration file.
    const js = entries.filter((e) => /^package\/dist\/.*\.js$/.test(e));
    expect(js.length).toBeGreaterThan(20);
    expect(js.filter((e) => !entries.includes(e.replace(/\.js$/, ".d.ts")))).toEqual([]);

    // The default config ships when the repository has one.
    if (pkg.files.includes("config") && existsSync(join(ROOT, "config")))
      expect(entries.some((e) => e.startsWith("package/config/"))).toBe(true);

    const unwanted = entries.filter(
      (e) =>
        /^package\/(tests?|src|notebooks|bench|node_modules|models|test-output|\.ci)\//.test(e) ||
        /\.(test|spec)\.[cm]?[jt]s$/.test(e) ||
        /\.tgz$/.test(e),
    );
    expect(unwanted).toEqual([]);
  });

  it("has an executable bin with a node shebang", () => {
    const main = execFileSync("tar", ["-xzOf", tarball, "package/dist/cli/main.js"], { encoding: "utf8" });
    expect(main.split("\n")[0]).toBe("#!/usr/bin/env node");
  });
});

/**
 * Training rows for the consumer projects: 200 customers, churn ("Yes"/"No") made from tenure and
 * monthly charges, as JavaScript source.
 */
const ROWS_SOURCE = [
  `const rows = [];`,
  `for (let i = 0; i < 200; i++) {`,
  `  const tenure = i % 72, monthly = 20 + ((i * 37) % 100);`,
  `  const churn = (monthly > 70 && tenure < 30) || i % 17 === 0 ? "Yes" : "No";`,
  `  rows.push({ tenure, monthly, plan: ["basic", "plus", "pro"][i % 3], churn });`,
  `}`,
].join("\n");

describe("install from the tarball, offline, into a CommonJS project", () => {
  let app: string;
  beforeAll(async () => {
    const source = { spec: `file:${tarball}`, resolved: `file:${tarball}`, tarball };
    app = consumerProject(mkdtempSync(join(work, "tarball-app-")), ROOT, source, { type: "commonjs" });
    await npmCiOffline(app);
  }, 300_000);

  it("churnkit --version, churnkit run, and the ESM API", async () => {
    expect((await run("npx", ["churnkit", "--version"], app)).trim()).toBe(pkg.version);

    const out = join(app, "models", "churn");
    await run("npx", ["churnkit", "run", "--out", out], app);
    expect(existsSync(join(out, "model.json"))).toBe(true);
    const model = JSON.parse(readFileSync(join(out, "model.json"), "utf8")) as Record<string, unknown>;
    expect(JSON.stringify(model)).toContain(pkg.version);

    // The package's exports resolve from an ordinary project (ESM import by name).
    const script = [
      `import { VERSION, BUNDLED_DATA, loadModel, loadTable } from "churnkit";`,
      `const model = await loadModel(${JSON.stringify(out)});`,
      `const scores = await model.predict(await loadTable(BUNDLED_DATA));`,
      `console.log(VERSION, scores.length, scores.every((s) => s.churn_probability >= 0 && s.churn_probability <= 1));`,
    ].join("\n");
    expect((await run("node", ["--input-type=module", "-e", script], app)).trim()).toBe(`${pkg.version} 7043 true`);
  }, 300_000);

  it('require("churnkit") (Node\'s require(esm)): trains on rows and scores every row', async () => {
    const script = [
      `"use strict";`,
      `const { train, VERSION } = require("churnkit");`,
      ROWS_SOURCE,
      `train({ data: rows, target: "churn" }).then(async ({ model }) => {`,
      `  const scored = await model.predict(rows);`,
      `  console.log(VERSION, scored.length, scored.every((s) => s.churn_probability > 0 && s.churn_probability < 1));`,
      `});`,
    ].join("\n");
    writeFileSync(join(app, "consumer.js"), script);
    expect((await run("node", ["consumer.js"], app)).trim()).toBe(`${pkg.version} 200 true`);
  }, 120_000);

  it("TypeScript with module/moduleResolution nodenext: import and require type-check with tsc, and run", async () => {
    const tsconfig = {
      compilerOptions: {
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        strict: true,
        outDir: "build",
        // @types/node of the repository: the consumer's own, without a download.
        typeRoots: [join(ROOT, "node_modules", "@types")],
        types: ["node"],
      },
      files: ["consumer.mts", "consumer-require.cts"],
    };
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    const typedRows = ROWS_SOURCE.replace("const rows = [];", "const rows: Record<string, unknown>[] = [];");
    writeFileSync(
      join(app, "consumer.mts"),
      [
        `import { train, VERSION, type Prediction } from "churnkit";`,
        typedRows,
        `const { model } = await train({ data: rows, target: "churn" });`,
        `const scored: Prediction[] = await model.predict(rows);`,
        `console.log(VERSION, scored.length, scored.every((s) => s.churn_probability > 0 && s.churn_probability < 1));`,
      ].join("\n"),
    );
    // A CommonJS TypeScript file: the types of the "require" condition.
    writeFileSync(
      join(app, "consumer-require.cts"),
      [
        `import churnkit = require("churnkit");`,
        `const version: string = churnkit.VERSION;`,
        `console.log(version);`,
      ].join("\n"),
    );
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    await run("node", [tsc, "-p", "tsconfig.json"], app, 120_000);
    expect((await run("node", [join("build", "consumer.mjs")], app)).trim()).toBe(`${pkg.version} 200 true`);
    expect((await run("node", [join("build", "consumer-require.cjs")], app)).trim()).toBe(pkg.version);
  }, 180_000);
});

/**
 * The repository as the git install sees it, in `work/repo`: "head" a clone of HEAD, "worktree"
 * a snapshot of the working tree. Made once, for the fresh-clone build and the git install.
 */
let sourceRepo: Promise<string> | undefined;
function gitSource(): Promise<string> {
  return (sourceRepo ??= (async () => {
    const repo = join(work, "repo");
    if (GIT_SOURCE === "worktree") {
      // Every file git would commit (tracked or untracked, not ignored), as it is now, in a new repository.
      const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
        cwd: ROOT,
        encoding: "utf8",
      })
        .split("\0")
        .filter(Boolean);
      for (const f of files) {
        if (!existsSync(join(ROOT, f))) continue; // deleted, not yet committed
        mkdirSync(join(repo, f, ".."), { recursive: true });
        cpSync(join(ROOT, f), join(repo, f));
      }
      await run("git", ["init", "--quiet"], repo);
      await run("git", ["add", "--all"], repo);
      await run(
        "git",
        ["-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "--quiet", "-m", "snapshot"],
        repo,
      );
    } else {
      // A clone of HEAD: only committed files count (uncommitted work in the tree is not seen).
      await run("git", ["clone", "--quiet", "--no-hardlinks", ROOT, repo], work);
    }
    return repo;
  })());
}

describe("npm run build in a fresh clone", () => {
  let clone: string | undefined;
  afterAll(() => {
    if (clone) rmSync(clone, { recursive: true, force: true });
  });

  it("leaves the bin executable: ./dist/cli/main.js --version runs", async () => {
    // Inside the repository (a git-ignored .tmp-* folder), so that it builds with the repository's
    // node_modules, found by walking up; dist/ is new, so tsc creates every file afresh, as after a clone.
    clone = mkdtempSync(join(ROOT, ".tmp-build-"));
    await run("git", ["clone", "--quiet", "--no-hardlinks", await gitSource(), clone], work);
    await run("npm", ["run", "build"], clone, 180_000);
    const main = join(clone, "dist", "cli", "main.js");
    expect((statSync(main).mode & 0o111).toString(8)).toBe("111");
    expect((await run("./dist/cli/main.js", ["--version"], clone)).trim()).toBe(pkg.version);
  }, 240_000);
});

describe("install from git, offline", () => {
  it(`git+file:// of ${GIT_SOURCE === "worktree" ? "a snapshot of the working tree" : "a clone of HEAD"}: the prepare script builds it`, async () => {
    const repo = await gitSource();
    const commit = (await run("git", ["rev-parse", "HEAD"], repo)).trim();
    const source = { spec: `git+file://${repo}`, resolved: `git+file://${repo}#${commit}` };
    const app = consumerProject(mkdtempSync(join(work, "git-app-")), ROOT, source);
    try {
      await npmCiOffline(app, 600_000);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (GIT_SOURCE === "head" && /error TS\d+/.test(msg)) {
        throw new Error(
          `HEAD does not build (a commit is missing files?); set CHURNKIT_PACKAGE_GIT=worktree to test the working tree instead.\n${msg}`,
          { cause: e },
        );
      }
      throw e;
    }
    expect(existsSync(join(app, "node_modules", "churnkit", "dist", "index.js"))).toBe(true);
    expect((await run("npx", ["churnkit", "--version"], app)).trim()).toBe(pkg.version);
  }, 660_000);
});
