// The home page in a real browser (Debian's Chromium through playwright-core),
// audited with axe. Run from the repository root against a running server with a
// demo town:
//
//   BESPOKE_URL=http://127.0.0.1:8080 node --test tests/browser/
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { axeViolations, baseUrl, launchBrowser, watch } from "./support.mjs";

const base = baseUrl();
const NUMBER = /^\d{1,3}(,\d{3})*$/u;
const KINDS = [
  "Council",
  "NHS",
  "Charity",
  "Community-led organisation",
  "Social enterprise",
  "Volunteer group",
  "Private company",
];

let session;
before(async () => {
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
});

async function figures(page) {
  const read = async (name) => (await page.locator(`[data-figure="${name}"]`).innerText()).trim();
  return {
    residents: await read("residents"),
    households: await read("households"),
    organisations: await read("organisations"),
    services: await read("services"),
    volunteers: await read("volunteers"),
    neighbourhoods: await read("neighbourhoods"),
  };
}

async function assertFigures(page) {
  const shown = await figures(page);
  for (const [name, value] of Object.entries(shown)) {
    assert.match(value, NUMBER, `${name} is a number with thousands separators`);
  }
  assert.ok(Number(shown.residents.replaceAll(",", "")) > 0, "the town has residents");

  const kinds = await page.locator("#organisations-by-kind tbody th").allInnerTexts();
  assert.deepEqual(kinds.map((k) => k.trim()), KINDS);
  for (const count of await page.locator("#organisations-by-kind tbody td").allInnerTexts()) {
    assert.match(count.trim(), NUMBER);
  }
  assert.match(await page.locator('[data-figure="locally-owned"]').innerText(), /organisations are locally owned/u);

  assert.equal(await page.locator("#deciles tbody tr").count(), 10, "one table row per decile");
  const chart = page.locator("figure.app-chart svg");
  assert.equal(await chart.getAttribute("role"), "img");
  assert.equal(await chart.locator("rect.app-chart__bar").count(), 10, "one bar per decile");
  assert.match(await chart.locator("title").textContent(), /deprivation decile/u);
}

test("the home page shows the demo town, loads cleanly and passes axe", { timeout: 120_000 }, async () => {
  const context = await session.browser.newContext();
  const page = await context.newPage();
  const problems = watch(page);
  const response = await page.goto(`${base}/`, { waitUntil: "load" });
  assert.equal(response.status(), 200);
  await page.waitForLoadState("networkidle");

  assert.equal(await page.title(), "Local services you shape for yourself – Bespoke");
  assert.equal((await page.locator("h1").innerText()).trim(), "Local services you shape for yourself");
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  await assertFigures(page);

  // Our module ran (allowed by script-src 'self') and GOV.UK Frontend's CSS applied.
  const bodyClasses = await page.locator("body").getAttribute("class");
  assert.match(bodyClasses, /\bjs-enabled\b/u);
  assert.match(bodyClasses, /\bgovuk-frontend-supported\b/u);
  assert.equal(await page.locator(".govuk-skip-link").evaluate((e) => getComputedStyle(e).position), "absolute");
  const fontLoaded = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].some((f) => f.family.includes("GDS Transport") && f.status === "loaded");
  });
  assert.equal(fontLoaded, true, "the GOV.UK font loads from /assets/fonts/");

  assert.deepEqual(problems.console, [], "no console errors");
  assert.deepEqual(problems.exceptions, [], "no uncaught exceptions");
  assert.deepEqual(problems.failed, [], "no failed requests");
  assert.deepEqual(problems.bad, [], "no responses of 400 or more");

  assert.deepEqual(await axeViolations(page), [], "no axe violations");
  await context.close();
});

test("the home page shows the same figures without JavaScript", { timeout: 60_000 }, async () => {
  const context = await session.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const problems = watch(page);
  const response = await page.goto(`${base}/`, { waitUntil: "load" });
  assert.equal(response.status(), 200);
  await assertFigures(page);
  assert.doesNotMatch((await page.locator("body").getAttribute("class")) ?? "", /js-enabled/u);
  assert.deepEqual(problems.failed, []);
  assert.deepEqual(problems.bad, []);
  await context.close();
});

test("an unknown page gets the GOV.UK error page", { timeout: 60_000 }, async () => {
  const context = await session.browser.newContext();
  const page = await context.newPage();
  const problems = watch(page);
  const response = await page.goto(`${base}/no-such-page-${Date.now()}`, { waitUntil: "load" });
  assert.equal(response.status(), 404);
  await page.waitForLoadState("networkidle");
  assert.equal((await page.locator("h1").innerText()).trim(), "Page not found");
  assert.equal(await page.title(), "Page not found – Bespoke");
  assert.equal(await page.locator(".govuk-skip-link").count(), 1);
  assert.equal(await page.locator(".govuk-phase-banner").count(), 1);
  assert.equal(await page.locator('main#main-content a[href="/"]').count(), 1, "a way back to the home page");
  // The page's own 404 is expected (Chromium logs it as a console error); nothing else may fail.
  assert.deepEqual(problems.bad.filter((line) => !line.includes("/no-such-page-")), []);
  assert.deepEqual(problems.failed, []);
  assert.deepEqual(problems.exceptions, []);
  assert.deepEqual(await axeViolations(page), [], "no axe violations");
  await context.close();
});
