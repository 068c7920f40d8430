/**
 * The model report: written into every model directory, self-contained, with the sections a
 * retention team reads. The data behind its charts and tables, read back from the HTML (ROC points,
 * confusion counts, highest-risk rows), equals the run's metrics and the model's predictions. In a
 * real browser (Debian's chromium via playwright-core) it loads with no console errors and no
 * requests outside the file, and every chart has a size. A full-page screenshot goes to
 * test-output/report/ for a person to look at.
 */
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChurnKit } from "../../src/pipeline/churnkit.js";
import { takeRows, type RawTable } from "../../src/data/load.js";
import { stratifiedSplit } from "../../src/data/split.js";
import { encodeTarget, resolveTarget } from "../../src/data/target.js";
import { runPipeline, type RunResult } from "../../src/pipeline/run.js";
import { train } from "../../src/pipeline/api.js";
import { rocAuc } from "../../src/evaluation/metrics.js";
import { haveChromium, launchChromium, openReport } from "../chromium.js";
import { ROOT, TELCO, tmp } from "../helpers.js";
import { axisTitle, lineMarks, marks, plotSize, section, table } from "./html.js";

const OUT = join(ROOT, "test-output", "report");

describe("model report", () => {
  let dir: string;
  let html: string;
  let run: RunResult;
  /** The run's test split (rebuilt as runPipeline does), its labels and the model's probabilities. */
  let test: RawTable;
  let yTest: number[];
  let pTest: Float64Array;

  beforeAll(async () => {
    dir = join(tmp(), "auto");
    // auto, so the leaderboard section is there too (small search to keep the test quick).
    const kit = new ChurnKit({
      out: dir,
      model: { family: "auto" },
      split: { folds: 3 },
      search: { families: ["logreg", "gbdt"], candidates: 1 },
      evaluation: { permutation_repeats: 2 },
    });
    run = await runPipeline(kit);
    html = readFileSync(join(dir, "report.html"), "utf8");
    const raw = await kit.load();
    const { y, rows } = encodeTarget(raw, resolveTarget(raw, kit.config.data.target!, kit.config.data.positive));
    const parts = stratifiedSplit(y, kit.config.split.test_size, kit.config.seed);
    test = takeRows(
      raw,
      parts.second.map((i) => rows[i]!),
    );
    yTest = Array.from(parts.second, (i) => y[i]!);
    pTest = (await run.model.predictProba(test)).probability;
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

  it("is built from the run's test split (the split rebuilt here scores the metrics' AUC)", () => {
    const m = run.metrics.test!;
    expect(test.rows).toBe(m.rows);
    expect(rocAuc(yTest, pTest)).toBe(m.auc);
  });

  it("ROC chart: x is the false-positive rate, y the true-positive rate, of every point of each split", () => {
    const svg = section(html, "roc-curve");
    expect(axisTitle(svg, "X")).toBe("False positive rate");
    expect(axisTitle(svg, "Y")).toBe("True positive rate (recall)");
    const { width, height } = plotSize(svg);
    // The curves are the lines whose aria-label names a series (the diagonal has none).
    const curves = lineMarks(svg).filter((l) => l.fields.series !== undefined);
    const test = run.metrics.test!;
    const validation = run.metrics.validation!;
    expect(curves.map((c) => c.fields.series)).toEqual([
      `test ${test.auc.toFixed(3)}`,
      `validation ${validation.auc.toFixed(3)}`,
    ]);
    for (const [curve, roc] of [
      [curves[0]!, test.roc],
      [curves[1]!, validation.roc],
    ] as const) {
      expect(curve.points).toHaveLength(roc.length);
      curve.points.forEach(([px, py], i) => {
        // Scale domains are [0, 1] on both axes: px = fpr · width, py = (1 − tpr) · height; vega
        // writes path coordinates rounded to 3 decimals, hence half a thousandth of a pixel.
        expect(Math.abs(px - roc[i]!.fpr * width)).toBeLessThanOrEqual(5e-4 + 1e-9);
        expect(Math.abs(py - (1 - roc[i]!.tpr) * height)).toBeLessThanOrEqual(5e-4 + 1e-9);
      });
    }
    // And those points are the test split's rates: at each threshold, the share of negatives
    // (x) and of positives (y) scored at or above it.
    const neg = yTest.filter((v) => v === 0).length;
    const pos = yTest.length - neg;
    expect(test.roc.length).toBeGreaterThan(100);
    for (const pt of test.roc) {
      let fp = 0;
      let tp = 0;
      for (let i = 0; i < yTest.length; i++) if (pTest[i]! >= pt.threshold) yTest[i] ? tp++ : fp++;
      expect(pt.fpr).toBe(fp / neg);
      expect(pt.tpr).toBe(tp / pos);
    }
  });

  it("confusion matrix: each cell holds the test split's count at the threshold, and the metrics follow from them", () => {
    const svg = section(html, "confusion-matrix");
    const m = run.metrics.test!;
    const [yes, other] = ["Churn = Yes", "other"];
    const cells = marks(svg, "rect mark");
    const cell = (predicted: string, actual: string) =>
      Number(cells.find((c) => c.Predicted === predicted && c.Actual === actual)?.Rows);
    const shown = { tp: cell(yes, yes), fn: cell(other, yes), fp: cell(yes, other), tn: cell(other, other) };
    expect(shown).toEqual(m.confusion);
    // Recounted from the model's probabilities on the test split (predicted positive: p >= threshold).
    const recount = { tp: 0, fp: 0, tn: 0, fn: 0 };
    for (let i = 0; i < yTest.length; i++) {
      const flagged = pTest[i]! >= m.threshold;
      recount[yTest[i] ? (flagged ? "tp" : "fn") : flagged ? "fp" : "tn"]++;
    }
    expect(shown).toEqual(recount);
    expect(shown.tp + shown.fp + shown.tn + shown.fn).toBe(m.rows);
    // Each cell's label names its kind and its count with its share of all rows.
    const labels = marks(svg, "text mark");
    for (const [kind, predicted, actual, n] of [
      ["true positive", yes, yes, shown.tp],
      ["false negative", other, yes, shown.fn],
      ["false positive", yes, other, shown.fp],
      ["true negative", other, other, shown.tn],
    ] as const) {
      const at = labels.filter((l) => l.Predicted === predicted && l.Actual === actual);
      expect(at.map((l) => l.kind ?? l.label)).toEqual([
        `${n.toLocaleString("en")} (${((100 * n) / m.rows).toFixed(1)}%)`,
        kind,
      ]);
    }
    const { tp, fp, tn, fn } = shown;
    expect(m.accuracy).toBe((tp + tn) / m.rows);
    expect(m.precision).toBe(tp / (tp + fp));
    expect(m.recall).toBe(tp / (tp + fn));
    expect(m.f1).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 14);
    const f4 = (v: number) => v.toFixed(4);
    expect(section(html, "confusion-matrix")).toContain(
      `At threshold ${f4(m.threshold)}, chosen to maximise F1 on the validation split: accuracy ${f4(m.accuracy)}, precision ${f4(m.precision)}, recall ${f4(m.recall)}, F1 ${f4(m.f1)}.`,
    );
  });

  it("highest-risk customers: the five highest probabilities of the test split, highest first, with their ids", () => {
    const t = table(section(html, "highest-risk-customers"));
    expect(t.columns).toEqual(["Row (0-based)", "Customer", "Churn probability", "Top reasons"]);
    // Rows of the test split by probability, highest first (ties: lower row first).
    const order = Array.from(pTest.keys()).sort((a, b) => pTest[b]! - pTest[a]! || a - b);
    const top = order.slice(0, 5);
    expect(pTest[top[0]!]!).toBeGreaterThan(pTest[order[order.length - 1]!]!);
    expect(t.rows.map((r) => Number(r[0]!.replace(/,/g, "")))).toEqual(top);
    expect(t.rows.map((r) => r[1])).toEqual(top.map((i) => String(test.data.customerID![i])));
    expect(t.rows.map((r) => r[2])).toEqual(top.map((i) => `${(pTest[i]! * 100).toFixed(1)}%`));
    for (const r of t.rows) expect(r[3]!.split("; ")).toHaveLength(3);
  });

  describe.skipIf(!haveChromium("model report"))("in chromium", () => {
    let browser: Browser;
    beforeAll(async () => {
      mkdirSync(OUT, { recursive: true });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("renders without errors or requests, and every chart has a size", async () => {
      const { page, errors, requests, url } = await openReport(browser, join(dir, "report.html"), 1200);
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
