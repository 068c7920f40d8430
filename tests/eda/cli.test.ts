/** `churnkit eda` end to end through the built CLI (dist/): the report, and exit 2 with one line for bad input. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, TELCO, tmp, write } from "../helpers.js";
import { exec } from "./exec.js";

const CLI = join(ROOT, "dist", "cli", "main.js");
const run = (...args: string[]) => exec(process.execPath, [CLI, "eda", ...args]);

describe("churnkit eda", () => {
  const dir = tmp();
  beforeAll(async () => {
    const tsc = await exec("npx", ["tsc", "-p", join(ROOT, "tsconfig.json")]);
    if (!existsSync(CLI)) throw new Error(`build failed: ${tsc.stdout}`);
  }, 180_000);

  it("writes a self-contained report of the bundled data", async () => {
    const out = join(dir, "sub", "telco.html");
    const r = await run("--data", TELCO, "--target", "Churn", "--out", out, "--json");
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(out, "utf8");
    for (const h of ["Summary", "Warnings", "Columns", "Distributions", "Correlations", "Association with the target"])
      expect(html).toContain(`<h2>${h}</h2>`);
    expect(html).toContain("customerID");
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThan(15);
    expect(html).not.toMatch(/<script|src="http|<link /);
    expect(JSON.parse(r.stdout).rows).toBe(7043);
    expect(html.length).toBeLessThan(5e6);
  });

  const bad: [string, string, string, RegExp, boolean][] = [
    ["no rows", "empty.csv", "a,Churn\n", /empty\.csv: has no data rows/, false],
    [
      "a one-valued target",
      "one.csv",
      "a,Churn\n1,No\n2,No\n3,No\n",
      /one\.csv: target column "Churn" has only one value \("No"\)/,
      true,
    ],
    [
      "an all-missing column",
      "allna.csv",
      "a,b,Churn\n1,,Yes\n2,NA,No\n3,,No\n",
      /allna\.csv: column "b" is entirely missing/,
      true,
    ],
    [
      "a file DuckDB cannot parse",
      "bad.parquet",
      "not a parquet file",
      /bad\.parquet: cannot be read as PARQUET/,
      false,
    ],
  ];
  for (const [what, name, text, message, reportWritten] of bad) {
    it(`exits 2 with one line for ${what}${reportWritten ? ", after writing the report" : ""}`, async () => {
      const out = join(dir, `${name}.html`);
      const r = await run("--data", write(dir, name, text), "--target", "Churn", "--out", out);
      expect(r.status).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines, r.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(lines[0]).not.toMatch(/\bat .*\.js:\d+/);
      expect(existsSync(out)).toBe(reportWritten);
      if (reportWritten) expect(readFileSync(out, "utf8")).toContain('class="callout error"');
    });
  }

  it("exits 2 for a missing file and a missing --out", async () => {
    const r = await run("--data", join(dir, "nope.csv"), "--out", join(dir, "x.html"));
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/nope\.csv: file not found/);
    expect((await run("--data", TELCO)).status).toBe(2);
  });
});
