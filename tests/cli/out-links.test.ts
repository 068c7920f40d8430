/**
 * `--out` that is a symbolic link is refused (the atomic rename would replace the link, not write its target),
 * for file and directory outputs, also by the check right before the rename; temporary files are created
 * exclusively under unguessable names (a planted link is never followed); predict's open and write errors are one
 * line. Runs the built CLI (`npm run build` first).
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/artifact/churn-model.js";
import { predictFile } from "../../src/io/predict.js";
import { cleanLeftovers, tmpSibling, writeDirAtomic, writeFileAtomic } from "../../src/utils/fs.js";
import { MODEL_FILES } from "../../src/utils/output.js";
import { errorOf, ROOT, telcoLines, tmp, write } from "../helpers.js";
import { BIN, runCli, type CliRun } from "../cli-run.js";

/** Above Linux's largest pid_max (2^22), so never a running process: the pid of a "killed" run. */
const DEAD_PID = 4_194_400;
const isRoot = process.getuid?.() === 0;

const cli = (args: string[], cwd = ROOT): Promise<CliRun> => runCli(args, { cwd });

/** Exit 2 and exactly this one line on stderr (no stack trace). */
function expectLine(r: CliRun, line: string): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toBe(`churnkit: ${line}\n`);
}

/** `link` is still a symbolic link to `to`. */
function expectLink(link: string, to: string): void {
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(readlinkSync(link)).toBe(to);
}

const fileMsg = (out: string, to: string, hint = "") =>
  `--out ${out}: is a symbolic link (to ${to}); name the file itself${hint}`;
const PREDICT_HINT = ", or omit --out to write to standard output";

describe.concurrent("--out symbolic links and temporary files", { timeout: 180_000 }, () => {
  let dir: string;
  let data: string;
  let model: string;
  beforeAll(async () => {
    expect(existsSync(BIN), "dist/cli/main.js: run `npm run build` first").toBe(true);
    dir = tmp("churnkit-links-");
    const t = telcoLines();
    data = write(dir, "data.csv", [t.header, ...t.lines.slice(0, 200)].join("\n") + "\n");
    model = join(dir, "model");
    const r = await cli(["train", "--data", data, "--target", "Churn", "--out", model]);
    expect(r.status, r.stderr).toBe(0);
  });

  it("a file output that is a link (to a file of the user's, to /dev/null): refused for predict, eda, init; nothing replaced", async () => {
    const d = tmp("churnkit-flink-");
    const victim = write(d, "victim.txt", "mine\n");
    symlinkSync(victim, join(d, "s.csv"));
    symlinkSync("/dev/null", join(d, "null.csv"));
    const before = readdirSync(d).sort();
    for (const [link, to] of [
      [join(d, "s.csv"), victim],
      [join(d, "null.csv"), "/dev/null"],
    ] as const) {
      const [p, e, i] = await Promise.all([
        cli(["predict", "--model", model, "--data", data, "--out", link]),
        cli(["eda", "--data", data, "--out", link]),
        cli(["init", "--data", data, "--out", link, "--force"]),
      ]);
      expectLine(p, fileMsg(link, to, PREDICT_HINT));
      expectLine(e, fileMsg(link, to));
      expectLine(i, fileMsg(link, to));
      expectLink(link, to);
    }
    // Relative, as the user typed it; a broken link too.
    symlinkSync("gone.csv", join(d, "broken.csv"));
    expectLine(await cli(["eda", "--data", data, "--out", "broken.csv"], d), fileMsg("broken.csv", "gone.csv"));
    expect(readFileSync(victim, "utf8")).toBe("mine\n");
    expect(readdirSync(d).sort()).toEqual([...before, "broken.csv"].sort());
  });

  it("a directory output that is a link (to a model directory, to an empty one, broken, with a trailing slash): refused for train and run", async () => {
    const d = tmp("churnkit-dlink-");
    cpSync(model, join(d, "real"), { recursive: true });
    mkdirSync(join(d, "empty"));
    symlinkSync("real", join(d, "racelink"));
    symlinkSync("empty", join(d, "emptylink"));
    symlinkSync("race", join(d, "brokenlink"));
    const modelJson = readFileSync(join(d, "real", "model.json"), "utf8");
    const msg = (out: string, to: string) => `--out ${out}: is a symbolic link (to ${to}); name the directory itself`;
    const train = (out: string) => cli(["train", "--data", data, "--target", "Churn", "--out", out], d);
    const runs = await Promise.all([
      train("racelink"),
      train("racelink/"),
      train("emptylink"),
      train("brokenlink"),
      cli(["run", "--out", "racelink"], d),
      cli(["run", "--out", "emptylink/"], d),
    ]);
    expectLine(runs[0], msg("racelink", "real"));
    expectLine(runs[1], msg("racelink/", "real"));
    expectLine(runs[2], msg("emptylink", "empty"));
    expectLine(runs[3], msg("brokenlink", "race"));
    expectLine(runs[4], msg("racelink", "real"));
    expectLine(runs[5], msg("emptylink/", "empty"));
    expectLink(join(d, "racelink"), "real");
    expectLink(join(d, "emptylink"), "empty");
    expectLink(join(d, "brokenlink"), "race");
    expect(readFileSync(join(d, "real", "model.json"), "utf8")).toBe(modelJson);
    expect(readdirSync(join(d, "real")).sort()).toEqual([...MODEL_FILES].sort());
    expect(readdirSync(join(d, "empty"))).toEqual([]);
    expect(readdirSync(d).sort()).toEqual(["brokenlink", "empty", "emptylink", "real", "racelink"].sort());
  });

  it("a symbolic link to the folder above the output is fine: the file is written in the real folder", async () => {
    const d = tmp("churnkit-plink-");
    mkdirSync(join(d, "real"));
    symlinkSync("real", join(d, "via"));
    const r = await cli(["predict", "--model", model, "--data", data, "--out", join("via", "s.csv")], d);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(d, "real"))).toEqual(["s.csv"]);
    expect(readFileSync(join(d, "real", "s.csv"), "utf8").split("\n")).toHaveLength(202);
    expectLink(join(d, "via"), "real");
  });

  it("the check right before the rename refuses a link too (writeFileAtomic, writeDirAtomic, predictFile), leaving nothing", async () => {
    const d = tmp("churnkit-late-");
    const victim = write(d, "victim.txt", "mine\n");
    mkdirSync(join(d, "vdir"));
    symlinkSync(victim, join(d, "f.html"));
    symlinkSync("vdir", join(d, "m"));
    symlinkSync(victim, join(d, "s.csv"));
    const f = await errorOf(() => writeFileAtomic(join(d, "f.html"), "new"));
    expect(f.message).toBe(`${join(d, "f.html")}: is a symbolic link (to ${victim}); name the file itself`);
    const m = await errorOf(() => writeDirAtomic(join(d, "m"), { "model.json": "{}" }));
    expect(m.message).toBe(`${join(d, "m")}: is a symbolic link (to vdir); name the directory itself`);
    const s = await errorOf(async () => predictFile(await loadModel(model), data, join(d, "s.csv")));
    expect(s.message).toBe(`${join(d, "s.csv")}: is a symbolic link (to ${victim}); name the file itself`);
    expect(readFileSync(victim, "utf8")).toBe("mine\n");
    expect(readdirSync(join(d, "vdir"))).toEqual([]);
    expect(readdirSync(d).sort()).toEqual(["f.html", "m", "s.csv", "vdir", "victim.txt"]);
  });

  it("temporary names are unguessable; links planted at old-style and candidate names are never followed nor removed", async () => {
    const d = tmp("churnkit-plant-");
    const victim = write(d, "victim.txt", "mine\n");
    const a = tmpSibling(join(d, "s.csv"));
    expect(a).toMatch(/\/\.s\.csv\.tmp-\d+-\d+-[0-9a-f]{16}$/);
    expect(tmpSibling(join(d, "s.csv"))).not.toBe(a);
    // The next pids (predict's old name was `.s.csv.tmp-PID`), and this process's names for the next seconds.
    const last = Number(readFileSync("/proc/sys/kernel/ns_last_pid", "utf8"));
    const planted: string[] = [];
    for (let pid = last + 1; pid <= last + 300; pid++) planted.push(`.s.csv.tmp-${pid}`, `.r.html.tmp-${pid}`);
    const now = Date.now();
    for (let t = now; t < now + 3000; t++) planted.push(`.c.yaml.tmp-${process.pid}-${t}`);
    for (const name of planted) symlinkSync(victim, join(d, name));
    const [p, e] = await Promise.all([
      cli(["predict", "--model", model, "--data", data, "--out", "s.csv"], d),
      cli(["eda", "--data", data, "--out", "r.html"], d),
    ]);
    expect(p.status, p.stderr).toBe(0);
    expect(e.status, e.stderr).toBe(0);
    await writeFileAtomic(join(d, "c.yaml"), "in-process\n");
    expect(readFileSync(victim, "utf8")).toBe("mine\n");
    expect(readFileSync(join(d, "s.csv"), "utf8").split("\n")).toHaveLength(202);
    expect(readFileSync(join(d, "r.html"), "utf8")).toMatch(/^<!doctype html>/i);
    expect(readFileSync(join(d, "c.yaml"), "utf8")).toBe("in-process\n");
    expect(readdirSync(d).sort()).toEqual([...planted, "c.yaml", "r.html", "s.csv", "victim.txt"].sort());
  });

  it("cleanLeftovers recognises the new names (and keeps a link of that name)", async () => {
    const d = tmp("churnkit-newleft-");
    const victim = write(d, "victim.txt", "mine\n");
    const file = write(d, `.r.html.tmp-${DEAD_PID}-5-0123456789abcdef`, "half");
    symlinkSync(victim, join(d, `.r.html.tmp-${DEAD_PID}-6-0123456789abcdef`));
    expect(await cleanLeftovers(join(d, "r.html"))).toEqual({
      removed: [file],
      kept: [join(d, `.r.html.tmp-${DEAD_PID}-6-0123456789abcdef`)],
    });
    const old = join(d, `.m.tmp-${DEAD_PID}-7-fedcba9876543210.old`);
    cpSync(model, old, { recursive: true });
    expect(await cleanLeftovers(join(d, "m"), MODEL_FILES)).toEqual({ removed: [], restored: old, kept: [] });
    expect(readdirSync(join(d, "m")).sort()).toEqual([...MODEL_FILES].sort());
    expect(readFileSync(victim, "utf8")).toBe("mine\n");
  });

  it("predict --out where no file can be created (/proc, /sys): exit 2, one line, no stack trace", async () => {
    const [p, s] = await Promise.all([
      cli(["predict", "--model", model, "--data", data, "--out", "/proc/x.csv"]),
      cli(["predict", "--model", model, "--data", data, "--out", "/sys/x.csv"]),
    ]);
    for (const [r, out] of [
      [p, "/proc/x.csv"],
      [s, "/sys/x.csv"],
    ] as const) {
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^churnkit: --out ${out}: cannot write [^\\n]+\\n$`));
    }
    // As root the check passes (root may write anywhere) and the error comes from creating the temporary file.
    if (isRoot) {
      expect(p.stderr).toBe(
        "churnkit: --out /proc/x.csv: cannot write it: a folder on the path does not exist (ENOENT); check the path\n",
      );
      expect(s.stderr).toBe(
        "churnkit: --out /sys/x.csv: cannot write it: permission denied (EACCES); choose a folder you can write to\n",
      );
    }
  });

  // A full disk mid-write: a 64 KiB tmpfs (root only, and only where mounting is allowed).
  const mountable =
    isRoot && spawnSync("sh", ["-c", "d=$(mktemp -d) && mount -t tmpfs -o size=4k tmpfs $d && umount $d"]).status === 0;
  it.skipIf(!mountable)("predict into a disk that fills up: exit 2, one line (ENOSPC), no file left", async () => {
    const t = telcoLines();
    const big = write(tmp("churnkit-big-"), "big.csv", [t.header, ...t.lines, ...t.lines].join("\n") + "\n");
    const m = tmp("churnkit-full-");
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", m]).status).toBe(0);
    try {
      const out = join(m, "s.csv");
      expectLine(
        await cli(["predict", "--model", model, "--data", big, "--out", out]),
        `--out ${out}: cannot write it: no space left on the device (ENOSPC); free some space or choose another disk`,
      );
      expect(readdirSync(m)).toEqual([]);
    } finally {
      spawnSync("umount", [m]);
      rmSync(m, { recursive: true, force: true });
    }
  });
});
