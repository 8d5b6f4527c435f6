// Shared helpers for the browser tests (node --test tests/browser/).
// The npm packages live in web/node_modules, so they are resolved from web/package.json.
import { createRequire } from "node:module";

const require = createRequire(new URL("../../web/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const { AxeBuilder } = require("@axe-core/playwright");

// Where the server under test listens, e.g. http://127.0.0.1:8080 (no trailing slash needed).
export function baseUrl() {
  const url = process.env.BESPOKE_URL;
  if (!url) {
    throw new Error("set BESPOKE_URL to the running server, e.g. BESPOKE_URL=http://127.0.0.1:8080 node --test tests/browser/");
  }
  return url.replace(/\/+$/u, "");
}

// Debian's Chromium: Playwright's own browsers cannot be downloaded here.
export const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

// Playwright's default launch gives the browser a fresh profile in a temporary
// folder and removes it on close; each test opens its own context within it.
export async function launchBrowser() {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

// Records what went wrong while a page loaded: console errors, uncaught
// exceptions, requests that failed and responses of 400 or more.
export function watch(page) {
  const problems = { console: [], exceptions: [], failed: [], bad: [] };
  page.on("console", (message) => {
    if (message.type() === "error") problems.console.push(message.text());
  });
  page.on("pageerror", (error) => problems.exceptions.push(String(error)));
  page.on("requestfailed", (request) =>
    problems.failed.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.bad.push(`${response.status()} ${response.url()}`);
  });
  return problems;
}

export const wcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

// The axe violations as readable lines ([] when there are none).
export async function axeViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(" ")).join("\n    ")}`,
  );
}
