/**
 * The scoring page of a survival model in a real browser (Debian's chromium via playwright-core): the form asks for
 * the duration, and a scored customer shows the chance of leaving within each horizon, the revenue at risk and the
 * expected remaining time, the same numbers as the API's.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { train } from "../../src/pipeline/api.js";
import { loadModel, type ChurnModel } from "../../src/artifact/churn-model.js";
import { createServer } from "../../src/serve/server.js";
import { haveChromium } from "../chromium.js";
import { ROOT, TELCO, tmp } from "../helpers.js";
import { survivalColumns } from "../../src/artifact/prediction-row.js";

const OUT = join(ROOT, "test-output", "serve");
// Skipped with a warning without chromium, but a failure under CI (tests/chromium.ts).
const chromiumHere = haveChromium("survival scoring page");

let model: ChurnModel;
let app: FastifyInstance;
let browser: Browser;
let base: string;

describe.skipIf(!chromiumHere)("survival scoring page (chromium)", () => {
  beforeAll(async () => {
    const dir = join(tmp("churnkit-serve-"), "surv");
    await train({
      data: TELCO,
      target: "Churn",
      duration: "tenure",
      model: "cox",
      config: {
        data: { drop: ["TotalCharges"] },
        survival: { value: "MonthlyCharges" },
        evaluation: { permutation_repeats: 0 },
      },
      out: dir,
    });
    model = await loadModel(dir);
    app = createServer(model, { name: "surv" });
    await app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });
    mkdirSync(OUT, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("asks for the duration and shows every horizon, the revenue at risk and the expected remaining time", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(base + "/");
    await page.waitForSelector("body[data-ready=true]");
    const tenure = page.locator('input[name="tenure"]');
    expect(await tenure.count()).toBe(1);
    await tenure.fill("5");
    await page.locator('input[name="MonthlyCharges"]').fill("80");
    await page.locator('select[name="Contract"]').selectOption("Month-to-month");
    await page.click("#score-button");
    await page.waitForSelector("#horizons");
    const row = await page.evaluate(() => {
      const o: Record<string, unknown> = {};
      document
        .querySelectorAll<HTMLInputElement | HTMLSelectElement>("#fields input, #fields select")
        .forEach((c) => (o[c.name] = c.value === "" ? null : c.dataset.type === "numeric" ? Number(c.value) : c.value));
      return o;
    });
    expect(row.tenure).toBe(5);
    const [p] = await model.predict([row]);
    const pct = (x: unknown) => (100 * (x as number)).toFixed(1) + "%";
    expect(await page.locator("#probability").textContent()).toBe(pct(p!.churn_within_3));
    const cells = await page
      .locator("#horizons tr")
      .evaluateAll((trs) => trs.slice(1).map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
    expect(cells.map((c) => c[0])).toEqual(["3", "6", "12"]);
    expect(cells.map((c) => c[1])).toEqual([3, 6, 12].map((h) => pct(p![`churn_within_${h}`])));
    // The revenue at risk grows with the horizon (as the chance of leaving does).
    const revenue = cells.map((c) => Number(c[2]!.replace(/,/g, "")));
    expect(revenue[0]).toBeGreaterThan(0);
    expect(revenue[1]).toBeGreaterThan(revenue[0]!);
    expect(revenue[2]).toBeGreaterThan(revenue[1]!);
    const remaining = await page.locator("#remaining").textContent();
    expect(remaining).toMatch(/^expected remaining tenure: [\d.,]+ \(up to 72\)$/);
    expect(Number(/: ([\d.,]+)/.exec(remaining!)![1]!.replace(/,/g, ""))).toBeCloseTo(
      p!.expected_remaining as number,
      0,
    );
    // "Score a CSV file" names the columns the answer has (after the id column): the survival ones too.
    const listed = await page.locator("#csv-columns code").allTextContents();
    expect(listed).toEqual(["churn_probability", "churn_prediction", ...survivalColumns(model.survivalShape)]);
    expect(listed).toContain("revenue_at_risk_12");
    expect(await page.locator("#batch p").textContent()).toMatch(
      /identifier column\(s\), then churn_probability, churn_prediction, churn_within_3, churn_within_6, churn_within_12, expected_remaining, revenue_at_risk_3, revenue_at_risk_6 and revenue_at_risk_12, rows in the same order/,
    );
    await page.screenshot({ path: join(OUT, "survival-form.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
