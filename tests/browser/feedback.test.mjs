// The feedback journey in a real browser: from the phase banner's link, a form
// sent without an answer shows the GOV.UK error summary, then a sent form
// thanks the person. With JavaScript on (audited with axe at each step) and off
// (axe itself needs JavaScript, so that pass checks the journey only).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { axeViolations, baseUrl, launchBrowser, watch } from "./support.mjs";

const base = baseUrl();

let session;
before(async () => {
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`feedback from the phase banner, JavaScript ${javaScriptEnabled ? "on" : "off"}`, async () => {
    const context = await session.browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/`);
      await page.locator(".govuk-phase-banner a", { hasText: "feedback" }).click();
      await page.waitForURL(/\/feedback/u);
      assert.equal(await page.locator("h1").innerText(), "Give feedback on Bespoke");
      if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);

      // Sent without an answer: the error summary links to the question, and what was typed stays.
      const problems = watch(page);
      await page.fill("#comment", "Easier to find opening times, please");
      await page.getByRole("button", { name: "Send feedback" }).click();
      await page.locator(".govuk-error-summary").waitFor();
      assert.match(await page.title(), /^Error: /u);
      assert.equal(await page.locator(".govuk-error-summary a").getAttribute("href"), "#satisfaction");
      assert.equal(await page.inputValue("#comment"), "Easier to find opening times, please");
      if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);
      // The form comes back with status 422, which Chromium reports on the console; nothing else may.
      assert.deepEqual(problems.console.filter((m) => !m.includes("status of 422")), []);
      assert.deepEqual(problems.exceptions, []);

      await page.getByLabel("Satisfied", { exact: true }).check();
      await page.getByRole("button", { name: "Send feedback" }).click();
      await page.waitForURL(/\/feedback\/thanks$/u);
      assert.equal(await page.locator("h1").innerText(), "Thank you for your feedback");
      if (javaScriptEnabled) assert.deepEqual(await axeViolations(page), []);
    } finally {
      await context.close();
    }
  });
}
