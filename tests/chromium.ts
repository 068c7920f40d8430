/**
 * Test helper: Debian's chromium for the browser tests, via playwright-core. Without it a browser
 * test is skipped with a warning on a developer's machine, but fails under CI (CI=true), where
 * .ci/run installs it: a browser test must not pass by not running.
 */
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Whether the browser tests of `what` can run; throws under CI when chromium is absent. */
export function haveChromium(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing under CI: the ${what} browser test cannot run`);
  console.warn(`skipping the ${what} browser test: ${CHROMIUM} is not installed (apt-get install chromium)`);
  return false;
}

/** Launch headless chromium with no network side traffic (no updates, no first-run requests). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** A local HTML file opened in a new page, with what went wrong while it loaded. */
export interface OpenedReport {
  /** The page, loaded. */
  page: Page;
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Every request the page made, its own file:// URL included. */
  requests: string[];
  /** The file's URL. */
  url: string;
}

/** Open `file` in a new page of `browser` (width × 900), collecting errors and requests until it has loaded. */
export async function openReport(browser: Browser, file: string, width = 1280): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  const url = pathToFileURL(file).href;
  await page.goto(url, { waitUntil: "load" });
  return { page, errors, requests, url };
}
