/**
 * Issue 14 end to end through the built CLI (`npm run build` first): boolean-like target labels across
 * files, remedies that name the command's own flag or config key, identifiers found by their values, and
 * predict's unseen-category count.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../cli-run.js";
import { tmp, write } from "../helpers.js";

/** 300 customers; churn depends on `usage`; the label is spelled by `spell`. */
function table(spell: (churn: boolean, i: number) => string, extra?: (i: number) => string): string {
  const lines = [`usage,plan,churn${extra ? ",CLIENTNUM" : ""}`];
  for (let i = 0; i < 300; i++) {
    const usage = (i * 37) % 100;
    const churn = usage < 30 ? i % 3 !== 0 : i % 5 === 0;
    lines.push(`${usage},${["a", "b", "c"][i % 3]},${spell(churn, i)}${extra ? `,${extra(i)}` : ""}`);
  }
  return lines.join("\n") + "\n";
}

describe("target labels and remedies through the CLI", () => {
  const dir = tmp();
  const upper = write(
    dir,
    "upper.csv",
    table((c) => (c ? "TRUE" : "FALSE")),
  );
  const title = write(
    dir,
    "title.csv",
    table((c) => (c ? "True" : "False")),
  );
  const mixed = write(
    dir,
    "mixed.csv",
    table((c, i) => (i % 4 === 0 ? (c ? "True" : "False") : c ? "TRUE" : "FALSE")),
  );

  it("a model trained on TRUE/FALSE evaluates a True/False file", async () => {
    const out = join(dir, "m-upper");
    expect((await runCli(["train", "--data", upper, "--target", "churn", "--out", out])).status).toBe(0);
    const e = await runCli(["evaluate", "--model", out, "--data", title, "--json"]);
    expect(e.stderr).toBe("");
    expect(e.status).toBe(0);
    const m = JSON.parse(e.stdout);
    expect(m.rows).toBe(300);
    expect(m.confusion.tp + m.confusion.fn).toBe(
      table((c) => (c ? "1" : "0"))
        .split("\n")
        .filter((l) => l.endsWith(",1")).length,
    );
  });

  it("a file mixing TRUE and True trains without --positive, and --positive TRUE counts the True rows as churn", async () => {
    const a = await runCli(["train", "--data", mixed, "--target", "churn", "--out", join(dir, "m-mixed"), "--json"]);
    expect(a.status).toBe(0);
    const b = await runCli([
      "train",
      "--data",
      mixed,
      "--target",
      "churn",
      "--positive",
      "TRUE",
      "--out",
      join(dir, "m-mixed2"),
      "--json",
    ]);
    expect(b.status).toBe(0);
    const va = JSON.parse(a.stdout).validation;
    const vb = JSON.parse(b.stdout).validation;
    expect(vb.positive_rate).toBe(va.positive_rate);
    expect(vb.auc).toBe(va.auc);
  });

  it("an unclear target: train's remedy is its --positive flag, run's the config key in its file", async () => {
    const odd = write(
      dir,
      "odd.csv",
      table((c) => (c ? "gone" : "here")),
    );
    const t = await runCli(["train", "--data", odd, "--target", "churn", "--out", join(dir, "m-odd")]);
    expect(t.status).toBe(2);
    expect(t.stderr).toBe(
      `churnkit: ${odd}: cannot tell which value of target column "churn" means churn (values: here, gone); pass --positive LABEL\n`,
    );
    const cfg = write(dir, "odd.yaml", `data:\n  path: ${odd}\n  target: churn\nout: ${join(dir, "m-odd-run")}\n`);
    const r = await runCli(["run", "--config", cfg]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `churnkit: ${odd}: cannot tell which value of target column "churn" means churn (values: here, gone); set data.positive in ${cfg}\n`,
    );
    const noTarget = write(dir, "nt.yaml", `data:\n  path: ${join(dir, "nt.csv")}\nout: ${join(dir, "m-nt")}\n`);
    write(dir, "nt.csv", "a,b\n1,2\n3,4\n");
    const n = await runCli(["run", "--config", noTarget]);
    expect(n.status).toBe(2);
    expect(n.stderr).toBe(
      `churnkit: ${join(dir, "nt.csv")}: cannot guess the target column; set data.target in ${noTarget}\n`,
    );
  });

  it("a 9-digit unique integer is an identifier by the value rule (logged), kept in predictions", async () => {
    const data = write(
      dir,
      "clients.csv",
      table(
        (c) => (c ? "Yes" : "No"),
        (i) => String(708082083 + 1013 * ((i * 7) % 300)), // an order unrelated to usage
      ),
    );
    const out = join(dir, "m-clients");
    const t = await runCli(["train", "--data", data, "--target", "churn", "--out", out], { level: "info" });
    expect(t.status).toBe(0);
    expect(t.stderr).toMatch(
      /column "CLIENTNUM" is an identifier \(value rule: integers unique per row, each of at least 6 digits, and the churn rate is flat along their order, Cramér's V 0\.069\), not a feature/,
    );
    const p = await runCli(["predict", "--model", out, "--data", data]);
    expect(p.stdout.split("\n")[0]).toBe("CLIENTNUM,churn_probability,churn_prediction");
  });
});

describe("predict counts only new categories as unseen", () => {
  it("levels pooled into (other) in training are not reported", async () => {
    const dir = tmp();
    // 600 rows: level L0..L149 (L_k appears 4 times); max_categories 100 keeps the first 100 by name (ties)
    // and pools the other 50 (L54..L99 among them) into (other). L99 and L75 are pooled, NEW and NEW2 new.
    const rows = ["level,x,churn"];
    for (let i = 0; i < 600; i++) rows.push(`L${i % 150},${i % 10},${i % 10 < 3 ? "Yes" : "No"}`);
    const data = write(dir, "levels.csv", rows.join("\n") + "\n");
    const cfg = write(dir, "c.yaml", "preprocess:\n  max_categories: 100\n");
    const out = join(dir, "m");
    expect((await runCli(["train", "--data", data, "--target", "churn", "--config", cfg, "--out", out])).status).toBe(
      0,
    );
    const fresh = write(dir, "fresh.csv", "level,x\nL1,1\nL99,2\nNEW,3\nL75,4\nNEW2,5\n");
    const p = await runCli(["predict", "--model", out, "--data", fresh, "--out", join(dir, "s.csv")], {
      level: "warn",
    });
    expect(p.status).toBe(0);
    expect(p.stderr).toMatch(/2 value\(s\) were categories not seen in training/);
  });
});
