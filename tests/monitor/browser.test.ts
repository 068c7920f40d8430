/**
 * The drift report in a real browser (Debian's chromium via playwright-core): a model trained on generated rows,
 * checked against a copy with two columns shifted. The report loads with no errors and no requests outside the
 * file, shows the verdict, the score chart, a table row per input column and a chart per drifted column, each
 * with a size and its bin labels. Screenshots go to test-output/monitor/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveChromium, launchChromium, openReport } from "../chromium.js";
import { runCli } from "../cli-run.js";
import { ROOT, tmp } from "../helpers.js";
import { bank, sdOf, shifted, split, writeCsv } from "./tables.js";

const OUT = join(ROOT, "test-output", "monitor");

describe.skipIf(!haveChromium("drift report"))("drift report in chromium", () => {
  let browser: Browser;
  const report = join(OUT, "drift.html");

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    const dir = tmp("churnkit-drift-browser-");
    const [train, rest] = split(bank(3000, 4), 2);
    const model = join(dir, "model");
    const t = await runCli([
      "train",
      ...["--data", writeCsv(dir, "train.csv", train), "--target", "exited", "--model", "logreg", "--out", model],
    ]);
    expect(t.status, t.stderr).toBe(0);
    const moved = writeCsv(
      dir,
      "shifted.csv",
      shifted(rest, "age", sdOf(train, "age"), "country", { France: "Spain", Spain: "France" }),
    );
    const r = await runCli(["drift", "--model", model, "--data", moved, "--out", report, "--fail-on-drift"]);
    expect(r.status, r.stderr).toBe(3);
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the verdict, the score, the table and a chart per drifted column, without errors or requests", async () => {
    const { page, errors, requests, url } = await openReport(browser, report);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => u !== url)).toEqual([]);
    expect(await page.locator("h2").allTextContents()).toEqual([
      "Summary",
      "Score distribution",
      "Columns",
      "Drifted columns",
    ]);
    expect(await page.locator(".callout").textContent()).toContain("Drift: 2 of 6 input columns drifted");
    // Table rows sorted by PSI: the two shifted columns first.
    const firstCells = await page.locator("#columns tbody tr td:first-child").allTextContents();
    expect(firstCells).toHaveLength(6);
    expect(firstCells.slice(0, 2).sort()).toEqual(["age", "country"]);
    const figures = page.locator("figure.chart");
    expect(await figures.locator("h3").allTextContents()).toEqual([
      "Churn probability, validation split at training vs current rows",
      "age",
      "country",
    ]);
    const boxes = await figures.evaluateAll((els) =>
      els.map((e) => {
        const s = e.querySelector("svg")!.getBoundingClientRect();
        return { w: s.width, h: s.height };
      }),
    );
    for (const b of boxes) {
      expect(b.w).toBeGreaterThan(200);
      expect(b.h).toBeGreaterThan(100);
    }
    const country = figures.filter({ has: page.locator("h3", { hasText: "country" }) });
    const text = (await country.locator("svg").textContent()) ?? "";
    for (const label of ["France", "Germany", "Spain", "training", "current", "Share of rows"])
      expect(text).toContain(label);
    await page.screenshot({ path: join(OUT, "drift.png"), fullPage: true });
    await page.close();
  });
});
