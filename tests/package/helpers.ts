/**
 * Helpers of the distribution tests: child processes without the npm_* variables of an enclosing
 * `npm test`, and consumer projects that install churnkit offline from a lockfile.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The environment of child processes: without the npm_* variables of an enclosing `npm test`. */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, CHURNKIT_LOG_LEVEL: "warn", NO_UPDATE_NOTIFIER: "1" };
}

/**
 * Run a command (asynchronously: a blocked worker would miss vitest's heartbeats during long installs);
 * on failure, throw with its output, and explain npm cache misses.
 */
export async function run(cmd: string, args: string[], cwd: string, timeout = 300_000): Promise<string> {
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
      `\`${cmd} ${args.join(" ")}\` needs a package that is not in npm's cache, and these tests install offline ` +
        `from the repository's lockfile.\nRun \`npm ci\` in the repository (CI does) to put its packages in the cache, ` +
        `then rerun. npm said:\n${output.slice(-3000)}`,
    );
  }
  throw new Error(
    `\`${cmd} ${args.join(" ")}\` in ${cwd} failed (${r.error?.message ?? `exit ${r.status}, signal ${r.signal}`}):\n${output.slice(-5000)}`,
  );
}

interface LockEntry {
  dev?: boolean;
  [key: string]: unknown;
}
interface Lockfile {
  packages: Record<string, LockEntry>;
}

/** How the consumer gets churnkit: the spec in its package.json, the lockfile's `resolved`, and the tarball to hash. */
export interface ChurnkitSource {
  spec: string;
  resolved: string;
  tarball?: string;
}

/**
 * Write a consumer project into `dir`: a package.json that depends on churnkit only, and a
 * package-lock.json cut from the repository's own lockfile. churnkit's runtime dependency tree is
 * the non-dev part of that lockfile, in the same hoisted layout, so `npm ci --offline` in `dir`
 * needs only the tarballs that the repository's `npm ci` put in npm's cache. (An install without
 * a lockfile needs registry metadata too, which a fresh machine's cache does not have.)
 */
export function consumerProject(
  dir: string,
  root: string,
  source: ChurnkitSource,
  extra: Record<string, unknown> = {},
): string {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as Lockfile;
  const self = lock.packages[""];
  if (!self) throw new Error(`${join(root, "package-lock.json")} has no root package entry`);
  const manifest = { name: "churnkit-consumer", version: "1.0.0", private: true, ...extra };
  const dependencies = { churnkit: source.spec };
  const packages: Record<string, unknown> = {
    "": { name: manifest.name, version: manifest.version, dependencies },
    "node_modules/churnkit": {
      version: self.version,
      resolved: source.resolved,
      ...(source.tarball
        ? { integrity: `sha512-${createHash("sha512").update(readFileSync(source.tarball)).digest("base64")}` }
        : {}),
      license: self.license,
      dependencies: self.dependencies,
      bin: self.bin,
      engines: self.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== "" && !entry.dev) packages[path] = entry;
  writeFileSync(join(dir, "package.json"), JSON.stringify({ ...manifest, dependencies }, null, 2));
  writeFileSync(
    join(dir, "package-lock.json"),
    JSON.stringify(
      { name: manifest.name, version: manifest.version, lockfileVersion: 3, requires: true, packages },
      null,
      2,
    ),
  );
  return dir;
}

/** Install a {@link consumerProject} from its lockfile, offline. */
export const npmCiOffline = (cwd: string, timeout?: number): Promise<string> =>
  run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], cwd, timeout);
