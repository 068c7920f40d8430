/**
 * The EDA report in a real browser (Debian's chromium via playwright-core): it loads with no
 * console errors and no requests outside the file, and every chart has a size. A full-page
 * screenshot is saved to test-output/eda/ for a person to look at.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveChromium, launchChromium, openReport } from "../chromium.js";
import { ROOT, TELCO } from "../helpers.js";
import { exec } from "./exec.js";

const OUT = join(ROOT, "test-output", "eda");
const CLI = join(ROOT, "dist", "cli", "main.js");

describe.skipIf(!haveChromium("EDA report"))("EDA report in chromium", () => {
  let browser: Browser;
  const report = join(OUT, "telco-eda.html");

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    if (!existsSync(CLI)) await exec("npx", ["tsc", "-p", join(ROOT, "tsconfig.json")]);
    const r = await exec(process.execPath, [CLI, "eda", "--data", TELCO, "--target", "Churn", "--out", report]);
    expect(r.status, r.stderr).toBe(0);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("renders without errors or requests, every chart has a size", async () => {
    const { page, errors, requests, url } = await openReport(browser, report);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => u !== url)).toEqual([]);
    const sizes = await page.$$eval("svg", (els) =>
      els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]),
    );
    expect(sizes.length).toBeGreaterThan(15);
    for (const [w, h] of sizes) expect(w! * h!).toBeGreaterThan(0);
    expect(await page.locator("h2").allTextContents()).toEqual(
      expect.arrayContaining(["Summary", "Warnings", "Columns", "Distributions", "Correlations"]),
    );
    await page.screenshot({ path: join(OUT, "telco-eda.png"), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator("#correlations").screenshot({ path: join(OUT, "telco-eda-correlations.png") });
    for (const id of ["summary", "columns", "association-with-the-target"])
      await page.locator(`#${id}`).screenshot({ path: join(OUT, `telco-eda-${id}.png`) });
    for (const n of [1, 16, 17])
      await page
        .locator("figure.chart")
        .nth(n)
        .screenshot({ path: join(OUT, `telco-eda-chart-${n}.png`) });
    await page.close();
  });
});
