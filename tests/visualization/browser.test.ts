/**
 * The chart gallery (every chart kind on one page, tests/visualization/gallery.ts) in a real
 * browser (Debian's chromium via playwright-core): written here, then it must load with no errors
 * and no requests outside the file, show each chart with a size, its heading and its data labels,
 * and lay the charts out without overlap. The screenshot goes to test-output/visualization/.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { haveChromium, launchChromium, openReport } from "../chromium.js";
import { ROOT } from "../helpers.js";
import { writeGallery } from "./gallery.js";

const OUT = join(ROOT, "test-output", "visualization");
const GALLERY = join(OUT, "gallery.html");

describe.skipIf(!haveChromium("chart gallery"))("chart gallery in chromium", () => {
  let browser: Browser;
  let headings: string[];

  beforeAll(async () => {
    headings = await writeGallery(GALLERY);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows every chart kind with its heading, size and labels, without errors, requests or overlap", async () => {
    expect(existsSync(GALLERY)).toBe(true);
    expect(headings).toEqual([
      "ROC",
      "Precision–recall",
      "Calibration",
      "Lift",
      "Confusion matrix",
      "Importance",
      "Categories",
      "Survival",
      "Survival by risk group",
      "Calibration at horizons",
    ]);
    const { page, errors, requests, url } = await openReport(browser, GALLERY);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => u !== url)).toEqual([]);

    const figures = page.locator("figure.chart");
    expect(await figures.count()).toBe(headings.length);
    expect(await figures.locator("h3").allTextContents()).toEqual(headings);
    const boxes = await figures.evaluateAll((els) =>
      els.map((e) => {
        const svgs = e.querySelectorAll("svg");
        const f = e.getBoundingClientRect();
        const s = svgs[0]?.getBoundingClientRect();
        return { svgs: svgs.length, x: f.x, y: f.y, w: f.width, h: f.height, sw: s?.width ?? 0, sh: s?.height ?? 0 };
      }),
    );
    for (const b of boxes) {
      expect(b.svgs).toBe(1);
      expect(b.sw).toBeGreaterThan(100);
      expect(b.sh).toBeGreaterThan(100);
    }
    // No two charts overlap on the page.
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
        expect(overlap, `${headings[i]} overlaps ${headings[j]}`).toBe(false);
      }
    // The data labels are drawn as text the reader sees.
    const text = async (n: number) => (await figures.nth(n).locator("svg").textContent()) ?? "";
    expect(await text(0)).toContain("gbdt (AUC 0.842)");
    expect(await text(0)).toContain("logreg (AUC 0.838)");
    expect(await text(0)).toContain("False positive rate");
    expect(await text(4)).toContain("280 (19.9%)");
    expect(await text(4)).toContain("false negative");
    expect(await text(6)).toContain("Electronic check");
    expect(await text(7)).toContain("model (mean predicted)");
    expect(await text(8)).toContain("high risk (470)");
    expect(await text(9)).toContain("within 12 months");
    await page.screenshot({ path: join(OUT, "gallery.png"), fullPage: true });
    await page.close();
  });
});
