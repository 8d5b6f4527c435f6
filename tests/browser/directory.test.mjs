// The directory's main journey in a real browser, with JavaScript on and off:
// search by need and postcode, see results with distances, open a service and
// read its opening times and when it was last checked; a wrong postcode gets
// the GOV.UK error summary. Every page passes axe (WCAG 2.2 AA).
//
//   BESPOKE_URL=http://127.0.0.1:8080 node --test tests/browser/directory.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { axeViolations, baseUrl, launchBrowser, watch } from "./support.mjs";

const base = baseUrl();

let session;
let postcode;
before(async () => {
  session = await launchBrowser();
  // A postcode of the demo town with a food service at it (from the JSON API).
  const response = await fetch(`${base}/api/v1/services?need=food&per_page=20`);
  assert.equal(response.status, 200);
  const { results } = await response.json();
  postcode = results.map((r) => r.site?.postal_code).find(Boolean);
  assert.ok(postcode, "the demo town has a food service at a postcode");
});
after(async () => {
  await session?.close();
});

function assertClean(problems, { allowStatus } = {}) {
  assert.deepEqual(problems.failed, [], "no failed requests");
  assert.deepEqual(
    problems.bad.filter((line) => !allowStatus || !line.startsWith(`${allowStatus} `)),
    [],
    "no responses of 400 or more",
  );
  assert.deepEqual(problems.exceptions, [], "no uncaught exceptions");
}

async function journey(javaScriptEnabled) {
  const context = await session.browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const problems = watch(page);

  // From the home page's start button, as a newcomer would.
  const home = await page.goto(`${base}/`, { waitUntil: "load" });
  assert.equal(home.status(), 200);
  await Promise.all([
    page.waitForURL(`${base}/services`),
    page.getByRole("button", { name: "Find help near you" }).click(),
  ]);
  assert.equal((await page.locator("h1").innerText()).trim(), "Find help near you");
  assert.equal(await page.title(), "Find help near you – Bespoke");
  if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], "no axe violations on the search page");

  await page.getByLabel("Type of help").selectOption("food");
  await page.getByLabel("Postcode").fill(postcode.toLowerCase());
  await page.getByLabel("How far can you travel?").selectOption("20");
  await Promise.all([page.waitForURL(/\/services\?/u), page.getByRole("button", { name: "Search" }).click()]);

  const url = new URL(page.url());
  assert.equal(url.searchParams.get("need"), "food");
  assert.equal(url.searchParams.get("postcode"), postcode.toLowerCase());
  assert.match(await page.locator("#results").innerText(), /^(\d[\d,]*) services? found$/u);
  const cards = page.locator(".govuk-summary-card");
  assert.ok((await cards.count()) > 0, "some results");
  const first = cards.first();
  assert.match(await first.locator("[data-distance]").innerText(), /\d+\.\d km away|Less than 0\.1 km away/u);
  assert.match(await first.innerText(), /Open now|Closed now/u);
  assert.match(await first.innerText(), /Free|Paid|Cost not published/u);
  if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], "no axe violations on the results");

  const link = first.locator(".govuk-summary-card__title a");
  const name = (await link.innerText()).trim();
  await Promise.all([page.waitForURL(/\/services\/[0-9a-f-]{36}$/u), link.click()]);
  assert.equal((await page.locator("h1").innerText()).trim(), name);
  assert.equal(await page.title(), `${name} – Bespoke`);
  assert.equal(await page.locator("#opening-times").count(), 1);
  const rows = page.locator("table.govuk-table tbody tr");
  if ((await rows.count()) > 0) {
    assert.equal(await rows.count(), 7, "a row for each day");
    assert.equal((await rows.first().locator("th").innerText()).trim(), "Monday");
  }
  assert.match(await page.locator("#last-checked").innerText(), /^Last checked \d{1,2} [A-Z][a-z]+ \d{4}$/u);
  assert.equal(await page.getByRole("link", { name: "View as open data (HSDS JSON)" }).count(), 1);
  if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], "no axe violations on the service page");

  // The organisation that runs it lists it.
  const serviceUrl = page.url();
  await Promise.all([page.waitForURL(/\/organisations\//u), page.locator(".govuk-caption-l a").click()]);
  assert.equal(await page.locator(`a[href="${new URL(serviceUrl).pathname}"]`).count(), 1);
  if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], "no axe violations on the organisation page");

  assertClean(problems);
  await context.close();
}

test("search by need and postcode, then open a service (JavaScript on)", { timeout: 180_000 }, async () => {
  await journey(true);
});

test("search by need and postcode, then open a service (JavaScript off)", { timeout: 180_000 }, async () => {
  await journey(false);
});

for (const javaScriptEnabled of [true, false]) {
  test(`a wrong postcode gets an error summary linking to the field (JavaScript ${javaScriptEnabled ? "on" : "off"})`,
    { timeout: 120_000 }, async () => {
      const context = await session.browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      const problems = watch(page);
      await page.goto(`${base}/services`, { waitUntil: "load" });
      await page.getByLabel("Postcode").fill("NOT A POSTCODE");
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().includes("/services?")),
        page.getByRole("button", { name: "Search" }).click(),
      ]);
      assert.equal(response.status(), 400);
      await page.waitForLoadState("load");
      assert.match(await page.title(), /^Error: Find help near you/u);
      const summary = page.locator(".govuk-error-summary");
      assert.equal(await summary.count(), 1);
      const link = summary.locator('a[href="#postcode"]');
      assert.equal(await link.count(), 1);
      assert.equal(await page.getByLabel("Postcode").inputValue(), "NOT A POSTCODE", "what was typed is kept");
      await link.click();
      if (javaScriptEnabled) {
        // GOV.UK Frontend's error summary moves focus to the field.
        assert.equal(await page.evaluate(() => document.activeElement?.id), "postcode", "the link focuses the field");
      } else {
        assert.equal(new URL(page.url()).hash, "#postcode", "the link leads to the field");
      }
      if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), [], "no axe violations on the error page");
      assertClean(problems, { allowStatus: 400 });
      await context.close();
    });
}
