// Provider staff keep their organisation's entries in the directory: from the
// account page to the organisation's services, add a service with opening
// hours, find it in search at once, rename it, and stop running it, which
// takes it out of search. With JavaScript on (audited with axe) and off.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { assertClean, axeViolations, baseUrl, demoPassword, launchBrowser, mode, runId, watch } from "./support.mjs";

const base = baseUrl();
const run = runId();

let session;
before(async () => {
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
});

// The names search finds: the first page of /services?q=.
async function searchNames(page, words) {
  await page.goto(`${base}/services?q=${encodeURIComponent(words)}`);
  return page.locator("main h2 a, main h3 a").allInnerTexts();
}

for (const javaScriptEnabled of [true, false]) {
  test(`provider staff add, rename and retire a service, ${mode(javaScriptEnabled)}`, async () => {
    const context = await session.browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const problems = watch(page);
    const name = `Tea and talk ${run}${javaScriptEnabled ? "j" : "n"}`;
    try {
      await page.goto(`${base}/sign-in`);
      await page.fill("#email", "provider1@demo.invalid");
      await page.fill("#password", demoPassword);
      await Promise.all([page.waitForURL(`${base}/account`), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
      await page.getByRole("link", { name: "Manage your organisation's services" }).click();
      await page.waitForURL(/\/organisations\/[0-9a-f-]{36}\/manage$/u);
      assert.equal((await page.locator("h1").innerText()).trim(), "Services and locations");
      if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);

      // A new service: an empty name is refused with the summary linking to the field.
      await page.getByRole("button", { name: "Add a service" }).click();
      await page.fill("#description", "A weekly drop-in for a cup of tea and a chat.");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.locator(".govuk-error-summary").waitFor();
      assert.equal(await page.locator('.govuk-error-summary a[href="#name"]').count(), 1);
      assert.equal(await page.inputValue("#description"), "A weekly drop-in for a cup of tea and a chat.");
      if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);

      await page.fill("#name", name);
      await page.getByLabel("Running", { exact: true }).check();
      await page.fill("#monday-opens", "10:00");
      await page.fill("#monday-closes", "12:00");
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.waitForURL(/\/manage$/u);
      const manage = page.url();
      assert.ok((await page.locator("main").innerText()).includes(name), "the new service is listed");

      // Search finds it at once, with its hours on its page.
      assert.ok((await searchNames(page, name)).includes(name), "search finds the new service");
      await page.getByRole("link", { name }).first().click();
      assert.match(await page.locator("main").innerText(), /Monday/u);

      // Renamed: the new name is found, the old one no longer.
      await page.goto(manage);
      await page.locator("tr", { hasText: name }).getByRole("link", { name: /Edit/u }).click();
      if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);
      await page.fill("#name", `${name} club`);
      await page.getByRole("button", { name: "Save", exact: true }).click();
      await page.waitForURL(/\/manage$/u);
      assert.ok((await searchNames(page, `${name} club`)).includes(`${name} club`), "search finds the new name");

      // Retired: its page stays, search no longer finds it.
      await page.goto(manage);
      await page.locator("tr", { hasText: `${name} club` }).getByRole("link", { name: /Edit/u }).click();
      await page.getByRole("button", { name: "Mark as not running" }).click();
      await page.waitForURL(/\/manage$/u);
      assert.ok(!(await searchNames(page, `${name} club`)).includes(`${name} club`), "search no longer finds it");

      // The form sent empty came back with 422, which Chromium reports; nothing else may fail.
      assertClean(problems, [422]);
    } finally {
      await context.close();
    }
  });
}
