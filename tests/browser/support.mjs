// Shared helpers for the browser tests (node --test tests/browser/).
// The npm packages live in web/node_modules, so they are resolved from web/package.json.
import assert from "node:assert/strict";
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

// ---- Shared by the journeys of accounts, privacy and provider staff ----

export const demoPassword = "bespoke-demo";

// Unique per run, so journeys can register and name things again on the same server.
export const runId = () => `${Date.now().toString(36)}${process.pid.toString(36)}`;

export const mode = (javaScriptEnabled) => `JavaScript ${javaScriptEnabled ? "on" : "off"}`;

// axe needs JavaScript and takes a second or more a page: each kind of page
// (named by `where`) is audited once a run, the first time a journey with
// JavaScript on reaches it. Violations are collected, so the journey goes on
// to its end, and the test fails on them there (assertAccessible).
export function auditOncePerPage() {
  const audited = new Set();
  return async function audit(page, javaScriptEnabled, where, found) {
    if (!javaScriptEnabled || audited.has(where)) return;
    audited.add(where);
    for (const violation of await axeViolations(page)) found.push(`${where}: ${violation}`);
  };
}
export const assertAccessible = (found) => assert.deepEqual(found, [], "no axe violations");

// Nothing failed to load and nothing threw; `allowed` lists statuses the
// journey expects. A request aborted because the journey moved on (a favicon
// still loading) is not a failure.
export function assertClean(problems, allowed = []) {
  const expected = (line) => allowed.some((status) => line.startsWith(`${status} `));
  assert.deepEqual(problems.failed.filter((line) => !line.endsWith("net::ERR_ABORTED")), [], "no failed requests");
  assert.deepEqual(problems.bad.filter((line) => !expected(line)), [], "no unexpected responses of 400 or more");
  assert.deepEqual(problems.exceptions, [], "no uncaught exceptions");
  assert.deepEqual(
    problems.console.filter((m) => !allowed.some((status) => m.includes(`status of ${status}`))),
    [],
    "no console errors",
  );
}

export const heading = async (page) => (await page.locator("h1").innerText()).trim();
export const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");

// The value of a GOV.UK summary list row, by its key.
export async function summaryValue(page, key) {
  const row = page.locator(".govuk-summary-list__row").filter({
    has: page.locator(".govuk-summary-list__key", { hasText: new RegExp(`^${key}$`, "u") }),
  });
  assert.equal(await row.count(), 1, `one summary row "${key}"`);
  return (await row.locator(".govuk-summary-list__value").innerText()).trim();
}

// A new browser context signed in as `email` (a demo account), on their account page.
export async function signedIn(browser, email, javaScriptEnabled) {
  const base = baseUrl();
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${base}/sign-in`);
  await page.fill("#email", email);
  await page.fill("#password", demoPassword);
  await Promise.all([page.waitForURL(`${base}/account`), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
  assert.equal(await summaryValue(page, "Email address"), email);
  return { context, page, problems, name: await summaryValue(page, "Name") };
}

// Submits the form of `button` and waits for the page the server sends back
// (the address `path` it redirects to after a 303, or the form again with its problems).
export async function submit(page, button, path) {
  const base = baseUrl();
  const answered = (r) => r.url() === `${base}${path}` && (r.request().method() === "GET" || r.status() !== 303);
  const [response] = await Promise.all([page.waitForResponse(answered), button.click()]);
  await page.waitForLoadState("load");
  return response;
}

// Follows the link named `name` (exactly) to `path`.
export async function follow(page, name, path) {
  const link = page.getByRole("link", { name, exact: true });
  assert.equal(await link.getAttribute("href"), path, `"${name}" goes to ${path}`);
  await Promise.all([page.waitForURL(`${baseUrl()}${path}`), link.click()]);
}

// The fieldset whose legend is exactly `legend`.
export const fieldsetOf = (page, legend) =>
  page.locator("fieldset").filter({
    has: page.locator("legend", { hasText: new RegExp(`^\\s*${escapeRegExp(legend)}\\s*$`, "u") }),
  });

// Today's date as the pages write it in ISO form, YYYY-MM-DD (UTC).
export const today = () => new Date().toISOString().slice(0, 10);
