/**
 * The model report: written into every model directory, self-contained, with the sections a
 * retention team reads; and in a real browser (Debian's chromium via playwright-core) it loads
 * with no console errors and no requests outside the file, and every chart has a size.
 * A full-page screenshot goes to test-output/report/ for a person to look at.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChurnKit } from "../../src/churnkit.js";
import { runPipeline } from "../../src/pipeline.js";
import { train } from "../../src/api.js";
import { ROOT, TELCO, tmp } from "../helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const OUT = join(ROOT, "test-output", "report");

describe("model report", () => {
  let dir: string;
  let html: string;

  beforeAll(async () => {
    dir = join(tmp(), "auto");
    // auto, so the leaderboard section is there too (small search to keep the test quick).
    await runPipeline(
      new ChurnKit({
        out: dir,
        model: { family: "auto" },
        split: { folds: 3 },
        search: { families: ["logreg", "gbdt"], candidates: 1 },
        evaluation: { permutation_repeats: 2 },
      }),
    );
    html = readFileSync(join(dir, "report.html"), "utf8");
  });

  it("is written by run with every section, as one self-contained file under 5 MB", () => {
    for (const h of [
      "Summary",
      "Data",
      "Leaderboard",
      "ROC curve",
      "Precision-Recall curve",
      "Calibration",
      "Lift and cumulative gains",
      "Confusion matrix",
      "Feature importance",
      "SHAP summary",
      "Highest-risk customers",
    ]) {
      expect(html).toMatch(new RegExp(`<h2[^>]*>${h}</h2>`));
    }
    expect(statSync(join(dir, "report.html")).size).toBeLessThan(5 * 1024 * 1024);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:/i);
    expect(html).toMatch(/At threshold 0\.\d{4}, chosen to maximise F1 on the validation split/);
  });

  it("is written by train too, explaining validation rows", async () => {
    const out = join(tmp(), "tree");
    await train({
      data: TELCO,
      target: "Churn",
      model: "tree",
      out,
      config: { evaluation: { permutation_repeats: 1 } },
    });
    const t = readFileSync(join(out, "report.html"), "utf8");
    expect(t).toMatch(/Exact TreeSHAP contributions for 300 customers of the validation split/);
    expect(t).toMatch(/Share of total split gain/);
  });

  describe.skipIf(!existsSync(CHROMIUM))("in chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      mkdirSync(OUT, { recursive: true });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--no-first-run",
        ],
      });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("renders without errors or requests, and every chart has a size", async () => {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("request", (r) => requests.push(r.url()));
      const url = pathToFileURL(join(dir, "report.html")).href;
      await page.goto(url, { waitUntil: "load" });
      expect(errors).toEqual([]);
      expect(requests.filter((u) => u !== url)).toEqual([]);
      const sizes = await page.$$eval("svg", (els) =>
        els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]),
      );
      expect(sizes.length).toBeGreaterThanOrEqual(7);
      for (const [w, h] of sizes) expect(w! * h!).toBeGreaterThan(0);
      await page.screenshot({ path: join(OUT, "model-report.png"), fullPage: true });
      await page.close();
    });
  });
});
