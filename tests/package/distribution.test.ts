/**
 * Distribution tests: what `npm pack` puts in the tarball, and that the package installs and runs
 * from the tarball and from git (the guide's "pip install ." and "pip install git+URL").
 *
 * Slow (each install takes from seconds to minutes) and kept to two installs. Both run OFFLINE
 * (`npm install --offline`): dependencies come from npm's cache, filled by the repository's own
 * `npm ci`. A cache miss fails with a message saying so, not with a network timeout.
 *
 * The tarball is packed from the current dist/ (`npm pack --ignore-scripts`): `npm test` builds
 * first. The git install clones HEAD, so it tests what is committed, and its `prepare` script
 * builds the clone.
 */
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  files: string[];
};

/** The environment of child processes: without the npm_* variables of an enclosing `npm test`. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, CHURNKIT_LOG_LEVEL: "warn", NO_UPDATE_NOTIFIER: "1" };
}

/**
 * Run a command (asynchronously: a blocked worker would miss vitest's heartbeats during long installs);
 * on failure, throw with its output, and explain npm cache misses.
 */
async function run(cmd: string, args: string[], cwd: string, timeout = 300_000): Promise<string> {
  const r = await new Promise<{
    status: number | null;
    signal: string | null;
    stdout: string;
    stderr: string;
    error?: Error;
  }>((resolve) => {
    const child = spawn(cmd, args, { cwd, env: childEnv(), timeout, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", (error) => resolve({ status: null, signal: null, stdout, stderr, error }));
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  const output = `${r.stdout}${r.stderr}`;
  if (r.status === 0) return r.stdout;
  if (/ENOTCACHED/.test(output)) {
    throw new Error(
      `\`${cmd} ${args.join(" ")}\` needs a package that is not in npm's cache, and these tests install offline.\n` +
        `Fill the cache with an online \`npm ci\` in the repository (CI does), then rerun. npm said:\n${output.slice(-3000)}`,
    );
  }
  throw new Error(
    `\`${cmd} ${args.join(" ")}\` in ${cwd} failed (${r.error?.message ?? `exit ${r.status}, signal ${r.signal}`}):\n${output.slice(-5000)}`,
  );
}

/** An empty npm project to install into. */
function emptyProject(dir: string): string {
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "churnkit-install-test", version: "1.0.0", private: true }, null, 2),
  );
  return dir;
}

const npmInstall = (cwd: string, spec: string, timeout?: number): Promise<string> =>
  run("npm", ["install", "--offline", "--no-audit", "--no-fund", spec], cwd, timeout);

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

describe("install", () => {
  it("from the tarball, offline: churnkit --version, churnkit run, and the ESM API", async () => {
    const app = emptyProject(mkdtempSync(join(work, "tarball-app-")));
    await npmInstall(app, tarball);
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

  it(`from git (git+file:// of ${GIT_SOURCE === "worktree" ? "a snapshot of the working tree" : "a clone of HEAD"}), offline: the prepare script builds it`, async () => {
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
    const app = emptyProject(mkdtempSync(join(work, "git-app-")));
    try {
      await npmInstall(app, `git+file://${repo}`, 600_000);
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
