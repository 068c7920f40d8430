/**
 * Test helper: Debian's chromium for the browser tests, via playwright-core. Without it a browser
 * test is skipped with a warning on a developer's machine, but fails under CI (CI=true), where
 * .ci/run installs it: a browser test must not pass by not running.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

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
