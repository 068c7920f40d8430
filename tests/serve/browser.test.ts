/** The scoring page in a real browser (Debian's chromium via playwright-core). */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer } from "../../src/serve/server.js";
import { haveChromium } from "../chromium.js";
import { ROOT, telcoLines, tmp } from "../helpers.js";
import { trainedModel, type Fixture } from "./fixture.js";

const CHROMIUM = "/usr/bin/chromium";
const OUT = join(ROOT, "test-output", "serve");
// Skipped with a warning without chromium, but a failure under CI (tests/chromium.ts).
const chromiumHere = haveChromium("scoring page");

let fx: Fixture;
let app: FastifyInstance;
let browser: Browser;
let base: string;

describe.skipIf(!chromiumHere)("scoring page (chromium)", () => {
  beforeAll(async () => {
    fx = await trainedModel();
    app = createServer(fx.model, { name: "telco" });
    await app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
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
    mkdirSync(OUT, { recursive: true });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it("builds the form from the model, scores a customer and shows the probability, decision and reasons", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    const outside: string[] = [];
    page.on("request", (r) => void (r.url().startsWith(base) || r.url().startsWith("blob:") || outside.push(r.url())));
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(base + "/");
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.locator("#fields .field").count()).toBe(fx.model.artifact.inputs.length);
    const contract = page.locator('select[name="Contract"]');
    expect((await contract.locator("option").allTextContents()).sort()).toEqual([
      "Month-to-month",
      "One year",
      "Two year",
    ]);
    const tenure = page.locator('input[name="tenure"]');
    expect(await tenure.getAttribute("min")).toBe("0");
    expect(await tenure.getAttribute("max")).toBe("72");
    expect(await page.locator('select[name="Partner"] option').allTextContents()).toEqual(["yes", "no"]);

    await contract.selectOption("Month-to-month");
    await tenure.fill("2");
    await page.locator('input[name="MonthlyCharges"]').fill("95.5");
    await page.locator('select[name="InternetService"]').selectOption("Fiber optic");
    await page.click("#score-button");
    await page.waitForSelector("#probability");
    const shown = await page.locator("#probability").textContent();
    expect(shown).toMatch(/^\d{1,3}\.\d%$/);

    // The same row through the API gives the same probability.
    const row = await page.evaluate(() => {
      const o: Record<string, unknown> = {};
      document
        .querySelectorAll<HTMLInputElement | HTMLSelectElement>("#fields input, #fields select")
        .forEach((c) => (o[c.name] = c.value === "" ? null : c.dataset.type === "numeric" ? Number(c.value) : c.value));
      return o;
    });
    const [expected] = await fx.model.predict([row]);
    expect(shown).toBe((100 * expected!.churn_probability).toFixed(1) + "%");
    expect(await page.locator("#decision").textContent()).toBe(
      expected!.churn_prediction ? "likely to churn" : "likely to stay",
    );
    expect(await page.locator(".reasons li").count()).toBe(5);
    await page.screenshot({ path: join(OUT, "score-form.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it("uploads a CSV and downloads the scored file", async () => {
    const { header, lines } = telcoLines();
    const file = join(tmp(), "customers.csv");
    writeFileSync(file, [header, ...lines.slice(0, 40)].join("\n") + "\n");
    const page = await browser.newPage({ acceptDownloads: true, viewport: { width: 1280, height: 1000 } });
    await page.goto(base + "/");
    await page.waitForSelector("body[data-ready=true]");
    await page.setInputFiles("#csv-file", file);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv-button")]);
    expect(download.suggestedFilename()).toBe("telco-scores.csv");
    const saved = join(OUT, "scores.csv");
    await download.saveAs(saved);
    const out = readFileSync(saved, "utf8").trimEnd().split("\n");
    expect(out[0]).toBe("customerID,churn_probability,churn_prediction");
    expect(out).toHaveLength(41);
    // The page named the columns the file has, after the id column.
    expect(["customerID", ...(await page.locator("#csv-columns code").allTextContents())].join(",")).toBe(out[0]);
    expect(out[1]!.split(",")[0]).toBe(lines[0]!.split(",")[0]);
    await page.waitForSelector("#csv-status.ok");
    expect(await page.locator("#csv-status").textContent()).toMatch(/Scored 40 rows/);
    await page.screenshot({ path: join(OUT, "csv-upload.png"), fullPage: true });
    await page.close();
  });

  it("asks for the token when the server needs one", async () => {
    const secured = createServer(fx.model, { token: "s3cret" });
    await secured.listen({ host: "127.0.0.1", port: 0 });
    const url = `http://127.0.0.1:${(secured.server.address() as { port: number }).port}/`;
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForSelector("#auth:not([hidden])");
    await page.fill("#token", "s3cret");
    await page.click('#auth-form button[type="submit"]');
    await page.waitForSelector("body[data-ready=true]");
    expect(await page.locator("#auth").isHidden()).toBe(true);
    await page.close();
    await secured.close();
  });
});
