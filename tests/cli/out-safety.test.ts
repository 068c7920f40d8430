/**
 * `--out` never destroys a user's file: inputs, special files and directories that are not churnkit model
 * directories are refused with exit 2 and one line; file-system errors are one line too; a killed run's leftovers
 * are cleaned; a held lock refuses a second writer; replacing a model directory is atomic.
 * Runs the built CLI (`npm run build` first).
 */
import { spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { ChurnKit } from "../../src/pipeline/churnkit.js";
import { runPipeline } from "../../src/pipeline/run.js";
import { cleanLeftovers } from "../../src/utils/fs.js";
import { lockOutput, lockPath, withModelDir } from "../../src/utils/lock.js";
import { logger } from "../../src/utils/logging.js";
import { MODEL_FILES, outputError } from "../../src/utils/output.js";
import { errorOf, ROOT, telcoLines, tmp, write } from "../helpers.js";
import { BIN, runCli } from "../cli-run.js";

/** Above Linux's largest pid_max (2^22), so never a running process: the pid of a "killed" run. */
const DEAD_PID = 4_194_400;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const cli = (args: string[], cwd = ROOT): Promise<Run> => runCli(args, { cwd });

/** Exit 2 and exactly this one line on stderr (no stack trace). */
function expectLine(r: Run, line: string): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toBe(`churnkit: ${line}\n`);
}

/** Every file under `dir` (relative path → content), to show that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

const NOT_MODEL =
  "exists and is not a churnkit model directory (no model.json); choose a new or empty directory, or remove it yourself";

// Each test waits on several child processes; generous time for a loaded machine (nothing here is timed).
describe.concurrent("--out safety", { timeout: 180_000 }, () => {
  let dir: string;
  let data: string; // 200 rows of the bundled data
  let model: string; // a model trained on it
  let dataText: string;
  beforeAll(async () => {
    expect(existsSync(BIN), "dist/cli/main.js: run `npm run build` first").toBe(true);
    dir = tmp("churnkit-out-");
    const t = telcoLines();
    dataText = [t.header, ...t.lines.slice(0, 200)].join("\n") + "\n";
    data = write(dir, "data.csv", dataText);
    model = join(dir, "model");
    const r = await cli(["train", "--data", data, "--target", "Churn", "--out", model]);
    expect(r.status, r.stderr).toBe(0);
  });

  /** A fresh folder with a victim directory: data.csv, notes.txt and sub/code.py. */
  function victim(): string {
    const v = join(tmp("churnkit-victim-"), "victim");
    mkdirSync(join(v, "sub"), { recursive: true });
    writeFileSync(join(v, "data.csv"), dataText);
    writeFileSync(join(v, "notes.txt"), "my notes\n");
    writeFileSync(join(v, "sub", "code.py"), "print('mine')\n");
    return v;
  }
  const victimFiles = () => ({
    "data.csv": dataText,
    "notes.txt": "my notes\n",
    [join("sub", "code.py")]: "print('mine')\n",
  });

  it("train --out a directory of the user's files: exit 2, every file intact", async () => {
    const v = victim();
    const r = await cli(["train", "--data", data, "--target", "Churn", "--out", v]);
    expectLine(r, `--out ${v}: ${NOT_MODEL}`);
    // Training on the victim's own data.csv: the input inside the output is named first.
    const own = join(v, "data.csv");
    expectLine(
      await cli(["train", "--data", own, "--target", "Churn", "--out", v]),
      `--out ${v}: holds the input file (--data) ${own}; choose another output directory`,
    );
    expect(snapshot(v)).toEqual(victimFiles());
  });

  it("run --out, and a config's out, that is a directory of the user's files: exit 2, every file intact", async () => {
    const v = victim();
    expectLine(await cli(["run", "--out", v]), `--out ${v}: ${NOT_MODEL}`);
    const cfg = write(join(v, ".."), "churn.yaml", `data:\n  path: ${data}\n  target: Churn\nout: ${v}\n`);
    expectLine(await cli(["run", "--config", cfg]), `${cfg}: out ${v}: ${NOT_MODEL}`);
    expect(snapshot(v)).toEqual(victimFiles());
  });

  it("the API's train({ out }) and runPipeline refuse such a directory before any work", async () => {
    const v = victim();
    const e = await errorOf(() => train({ data, target: "Churn", out: v }));
    expect(e.name).toBe("UserError");
    expect(e.message).toBe(`out ${v}: ${NOT_MODEL}`);
    const e2 = await errorOf(() => runPipeline(new ChurnKit({ data: { path: data }, out: v })));
    expect(e2.message).toBe(`out ${v}: ${NOT_MODEL}`);
    expect(snapshot(v)).toEqual(victimFiles());
  });

  it("--out ../here/ (the working directory) is refused, its files intact", async () => {
    const v = victim();
    const r = await cli(["train", "--data", data, "--target", "Churn", "--out", "../victim/"], v);
    expectLine(r, `--out ../victim/: ${NOT_MODEL}`);
    expect(snapshot(v)).toEqual(victimFiles());
  });

  // Paths relative to the folder of same.csv (the working directory); "ABS" stands for that folder.
  for (const [input, out] of [
    ["same.csv", "same.csv"],
    ["same.csv", "./same.csv"],
    ["./same.csv", "ABS/same.csv"],
    ["link.csv", "same.csv"],
    ["same.csv", "link.csv"],
  ] as const)
    it(`--out ${out} equal to --data ${input}: refused for train, eda, predict and init, the file intact`, async () => {
      const d = tmp("churnkit-same-");
      write(d, "same.csv", dataText);
      symlinkSync(join(d, "same.csv"), join(d, "link.csv"));
      const msg = (out: string) => `--out ${out}: is the input file (--data); choose another output path`;
      const runs = await Promise.all([
        cli(["train", "--data", input, "--target", "Churn", "--out", out.replace("ABS", d)], d),
        cli(["eda", "--data", input, "--out", out.replace("ABS", d)], d),
        cli(["predict", "--model", model, "--data", input, "--out", out.replace("ABS", d)], d),
        cli(["init", "--data", input, "--out", out.replace("ABS", d), "--force"], d),
      ]);
      for (const r of runs) expectLine(r, msg(out.replace("ABS", d)));
      expect(readFileSync(join(d, "same.csv"), "utf8")).toBe(dataText);
      expect(readdirSync(d).sort()).toEqual(["link.csv", "same.csv"]);
    });

  it("--out equal to the config file, or to the model being read: refused", async () => {
    const d = tmp("churnkit-cfg-");
    const cfg = write(d, "churn.yaml", `data:\n  path: ${data}\n  target: Churn\n`);
    const text = readFileSync(cfg, "utf8");
    expectLine(
      await cli(["run", "--config", cfg, "--out", cfg]),
      `--out ${cfg}: is the input file (--config); choose another output path`,
    );
    expectLine(
      await cli(["train", "--data", data, "--config", cfg, "--out", cfg]),
      `--out ${cfg}: is the input file (--config); choose another output path`,
    );
    expect(readFileSync(cfg, "utf8")).toBe(text);
    const mj = join(model, "model.json");
    const before = readFileSync(mj, "utf8");
    expectLine(
      await cli(["predict", "--model", model, "--data", data, "--out", mj]),
      `--out ${mj}: is the input file (--model); choose another output path`,
    );
    expect(readFileSync(mj, "utf8")).toBe(before);
  });

  it("train --out an existing file: refused, the file intact", async () => {
    const d = tmp("churnkit-file-");
    const f = write(d, "keep.txt", "keep me\n");
    expectLine(
      await cli(["train", "--data", data, "--target", "Churn", "--out", f]),
      `--out ${f}: is a file, not a churnkit model directory; choose another output path`,
    );
    expect(readFileSync(f, "utf8")).toBe("keep me\n");
  });

  it("a special file (a FIFO, /dev/null) as --out: refused, left a special file", async () => {
    const d = tmp("churnkit-fifo-");
    const fifo = join(d, "pipe");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    const pipeMsg = "is a named pipe (FIFO), not a regular file";
    expectLine(
      await cli(["predict", "--model", model, "--data", data, "--out", fifo]),
      `--out ${fifo}: ${pipeMsg}; omit --out to write to standard output`,
    );
    expectLine(
      await cli(["eda", "--data", data, "--out", fifo]),
      `--out ${fifo}: ${pipeMsg}; choose another output path`,
    );
    expectLine(
      await cli(["train", "--data", data, "--target", "Churn", "--out", fifo]),
      `--out ${fifo}: is a named pipe (FIFO), not a directory; choose another output path`,
    );
    expect(statSync(fifo).isFIFO()).toBe(true);
    expectLine(
      await cli(["predict", "--model", model, "--data", data, "--out", "/dev/null"]),
      `--out /dev/null: is a device, not a regular file; omit --out to write to standard output`,
    );
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("an existing directory as a file output (eda, predict, init): refused", async () => {
    const v = victim();
    const msg = `--out ${v}: is a directory; name a file to write instead`;
    expectLine(await cli(["eda", "--data", data, "--out", v]), msg);
    expectLine(await cli(["predict", "--model", model, "--data", data, "--out", v]), msg);
    expectLine(await cli(["init", "--data", data, "--out", v, "--force"]), msg);
    expect(snapshot(v)).toEqual(victimFiles());
  });

  it("--out under a regular file (ENOTDIR, fails also as root): one line naming the path, for every command", async () => {
    const d = tmp("churnkit-notdir-");
    const f = write(d, "somefile.txt", "x\n");
    const line = (out: string) =>
      `--out ${out}: cannot be created, ${f} is a file, not a folder; choose another output path`;
    const m = join(f, "model");
    expectLine(await cli(["train", "--data", data, "--target", "Churn", "--out", m]), line(m));
    expectLine(await cli(["run", "--out", m]), line(m));
    expectLine(await cli(["eda", "--data", data, "--out", join(f, "r.html")]), line(join(f, "r.html")));
    expectLine(
      await cli(["predict", "--model", model, "--data", data, "--out", join(f, "s.csv")]),
      line(join(f, "s.csv")),
    );
    expectLine(await cli(["init", "--data", data, "--out", join(f, "c.yaml")]), line(join(f, "c.yaml")));
    expect(readFileSync(f, "utf8")).toBe("x\n");
  });

  // Root writes through permission bits, so an unwritable folder cannot fail as root (CI runs as root).
  it.skipIf(process.getuid?.() === 0)("an unwritable folder (chmod 500): one line, permission denied", async () => {
    const d = tmp("churnkit-ro-");
    chmodSync(d, 0o500);
    const m = join(d, "model");
    expectLine(
      await cli(["train", "--data", data, "--target", "Churn", "--out", m]),
      `--out ${m}: cannot write into ${d}: permission denied (EACCES); choose a folder you can write to`,
    );
    chmodSync(d, 0o700);
  });

  it("file-system errors met while writing are one line with the cause in words", () => {
    const err = (code: string, path?: string) => Object.assign(new Error(`${code}: boom, open`), { code, path });
    const msg = (e: unknown) => (outputError(e, "out/m", "--out") as Error).message;
    expect(msg(err("ENOSPC"))).toBe(
      "--out out/m: cannot write it: no space left on the device (ENOSPC); free some space or choose another disk",
    );
    expect(msg(err("EROFS", "out/m"))).toBe(
      "--out out/m: cannot write it: read-only file system (EROFS); choose a folder on a writable disk",
    );
    expect(msg(err("EACCES", "out"))).toBe(
      "--out out/m: cannot write it (out): permission denied (EACCES); choose a folder you can write to",
    );
    expect(msg(err("EWEIRD"))).toBe("--out out/m: cannot write it: boom, open; choose another output path");
    const notFs = new TypeError("a bug");
    expect(outputError(notFs, "out/m")).toBe(notFs);
  });

  it("a fake killed run's leftovers are cleaned by the next train; anything not ours is kept", async () => {
    const d = tmp("churnkit-left-");
    const m = join(d, "m");
    cpSync(model, m, { recursive: true });
    const tmpDir = join(d, `.m.tmp-${DEAD_PID}-1000`);
    const oldDir = join(d, `.m.tmp-${DEAD_PID}-1001.old`);
    const foreign = join(d, `.m.tmp-${DEAD_PID}-1002`); // holds a file churnkit never writes
    const live = join(d, `.m.tmp-${process.pid}-1003`); // its process (this test) runs
    const other = join(d, ".m.tmp-backup"); // not our pattern
    for (const x of [tmpDir, oldDir, foreign, live, other]) mkdirSync(x);
    writeFileSync(join(tmpDir, "model.json"), "{ half a mod");
    cpSync(model, oldDir, { recursive: true });
    writeFileSync(join(foreign, "notes.txt"), "mine\n");
    writeFileSync(join(live, "model.json"), "{}");
    writeFileSync(join(other, "model.json"), "{}");
    writeFileSync(lockPath(m), JSON.stringify({ pid: DEAD_PID }) + "\n"); // the killed run's lock
    const r = await cli(["train", "--data", data, "--target", "Churn", "--out", m]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(d).sort()).toEqual(
      [".m.tmp-backup", `.m.tmp-${DEAD_PID}-1002`, `.m.tmp-${process.pid}-1003`, "m"].sort(),
    );
    expect(readFileSync(join(foreign, "notes.txt"), "utf8")).toBe("mine\n");
    expect(readdirSync(m).sort()).toEqual([...MODEL_FILES].sort());
  });

  it("a replace killed between its two renames: the previous model directory is put back", async () => {
    const d = tmp("churnkit-restore-");
    const m = join(d, "m");
    const old = join(d, `.m.tmp-${DEAD_PID}-2000.old`);
    const half = join(d, `.m.tmp-${DEAD_PID}-2000`);
    cpSync(model, old, { recursive: true });
    mkdirSync(half);
    writeFileSync(join(half, "model.json"), "{");
    const c = await cleanLeftovers(m, MODEL_FILES);
    expect(c).toEqual({ removed: [half], restored: old, kept: [] });
    expect(readdirSync(d)).toEqual(["m"]);
    expect(readFileSync(join(m, "model.json"), "utf8")).toBe(readFileSync(join(model, "model.json"), "utf8"));
  });

  it("a lock held by a live process: exit 2 at once, the lock and the output untouched", async () => {
    const d = tmp("churnkit-lock-");
    const m = join(d, "m");
    const lock = lockPath(m);
    writeFileSync(lock, JSON.stringify({ pid: process.pid }) + "\n"); // this test process is alive
    const r = await cli(["train", "--data", data, "--target", "Churn", "--out", m]);
    expectLine(
      r,
      `--out ${m}: another churnkit (pid ${process.pid}) is writing it; wait for it or choose another --out (or remove ${lock} if no churnkit runs)`,
    );
    expect(existsSync(m)).toBe(false);
    expect(readFileSync(lock, "utf8")).toBe(JSON.stringify({ pid: process.pid }) + "\n");
  });

  it("a dead process's lock is taken over; a second lock in the same process is refused; nested claims are not", async () => {
    const m = join(tmp("churnkit-lock2-"), "m");
    writeFileSync(lockPath(m), JSON.stringify({ pid: DEAD_PID }));
    const a = lockOutput(m);
    expect((JSON.parse(readFileSync(lockPath(m), "utf8")) as { pid: number }).pid).toBe(process.pid);
    expect(() => lockOutput(m)).toThrow(
      `--out ${m}: another training in this process (pid ${process.pid}) is writing it; wait for it or choose another output directory`,
    );
    a.release();
    expect(existsSync(lockPath(m))).toBe(false);
    // A command, then the pipeline, then save, each claim the same output: one lock, taken once.
    const inner = await withModelDir(m, {}, logger(), () =>
      withModelDir(m, {}, logger(), () => Promise.resolve(readFileSync(lockPath(m), "utf8"))),
    );
    expect(inner).toContain(`"pid":${process.pid}`);
    expect(existsSync(lockPath(m))).toBe(false);
    // Two concurrent API trainings into one out: the second fails before any work.
    let release!: () => void;
    const first = withModelDir(m, {}, logger(), () => new Promise<void>((r) => (release = r)));
    const second = await errorOf(() => train({ data, target: "Churn", out: m }));
    expect(second.message).toBe(
      `out ${m}: another training in this process (pid ${process.pid}) is writing it; wait for it or choose another output directory`,
    );
    release();
    await first;
    expect(existsSync(m)).toBe(false);
  });

  it("train killed with SIGKILL leaves its lock; the next train takes it over and succeeds", async () => {
    const d = tmp("churnkit-kill-");
    const m = join(d, "m");
    const env = { ...process.env, CHURNKIT_NO_PROGRESS: "1", CHURNKIT_LOG_LEVEL: "silent" };
    const child = spawn(process.execPath, [BIN, "train", "--data", data, "--target", "Churn", "--out", m], {
      env,
      stdio: "ignore",
    });
    const closed = new Promise((r) => child.on("close", r));
    // The lock is taken before the data is loaded; kill as soon as it is there.
    // (Wait for its content too: the file is created, then written.)
    const locked = () => existsSync(lockPath(m)) && readFileSync(lockPath(m), "utf8").includes('"pid"');
    while (!locked() && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
    child.kill("SIGKILL");
    await closed;
    expect(child.signalCode).toBe("SIGKILL");
    expect(readFileSync(lockPath(m), "utf8")).toContain(`"pid":${child.pid}`);
    const r = await cli(["train", "--data", data, "--target", "Churn", "--out", m]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(d)).toEqual(["m"]);
  });

  it("re-running train into an existing model directory replaces it atomically (a new directory renamed in, no leftovers)", async () => {
    const d = tmp("churnkit-replace-");
    const m = join(d, "m");
    cpSync(model, m, { recursive: true });
    const before = statSync(m).ino;
    const oldJson = readFileSync(join(m, "model.json"), "utf8");
    const r = await cli(["train", "--data", data, "--target", "Churn", "--seed", "3", "--out", m]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(m).ino).not.toBe(before);
    expect(readFileSync(join(m, "model.json"), "utf8")).not.toBe(oldJson);
    expect(readdirSync(d)).toEqual(["m"]);
    expect(readdirSync(m).sort()).toEqual([...MODEL_FILES].sort());
  });

  it("an empty directory is used; a model directory holding a file of the user's is refused, the file intact", async () => {
    const d = tmp("churnkit-empty-");
    const e = join(d, "empty");
    mkdirSync(e);
    expect((await cli(["train", "--data", data, "--target", "Churn", "--out", e])).status).toBe(0);
    expect(readdirSync(e).sort()).toEqual([...MODEL_FILES].sort());
    writeFileSync(join(e, "notes.txt"), "mine\n");
    expectLine(
      await cli(["train", "--data", data, "--target", "Churn", "--out", e]),
      `--out ${e}: is a churnkit model directory but also holds notes.txt, which replacing it would delete; move notes.txt out or choose another output directory`,
    );
    expect(readFileSync(join(e, "notes.txt"), "utf8")).toBe("mine\n");
  });

  it("predict --out and eda --out an existing regular file replace it (atomically), a killed run's temporary file is removed", async () => {
    const d = tmp("churnkit-over-");
    const scores = write(d, "scores.csv", "old\n");
    const report = write(d, "report.html", "old\n");
    // A killed predict's and a killed eda's temporary files (removed), and a directory of that name (not ours: kept).
    write(d, `.scores.csv.tmp-${DEAD_PID}`, "half");
    write(d, `.report.html.tmp-${DEAD_PID}-5`, "half");
    mkdirSync(join(d, `.scores.csv.tmp-${DEAD_PID}-6`));
    expect((await cli(["predict", "--model", model, "--data", data, "--out", scores])).status).toBe(0);
    expect(readFileSync(scores, "utf8").split("\n")).toHaveLength(202); // header + 200 rows + final newline
    expect((await cli(["eda", "--data", data, "--out", report])).status).toBe(0);
    expect(readFileSync(report, "utf8")).toMatch(/^<!doctype html>/i);
    expect(readdirSync(d).sort()).toEqual([`.scores.csv.tmp-${DEAD_PID}-6`, "report.html", "scores.csv"]);
  });
});
