// Who acts for a resident and who coordinates their care, in a real browser
// against a server run with --demo. resident2 lets volunteer1 act for them
// (their needs, until a date) from "People who can act for you"; the new role
// ends volunteer1's session, and signed in again they find resident2 under
// /people and open the record; resident2 sees that read in "Who has looked at
// your information", stops it, and the same record address is then "Page not
// found" for volunteer1 (acting for nobody now, they lose the role and are
// signed out, so they sign in again to see it).
// And coordinator1 adds resident2 to their caseload by the Bespoke reference
// resident2 reads on their own page, with a lawful basis (a missing basis is
// refused first), opens the record, and takes resident2 off again; resident2's
// audit trail shows each step. Pages are audited with axe (WCAG 2.2 AA) when
// JavaScript is on; both journeys also run with it off. A delegation, role or caseload
// entry left by a run that failed half way is ended first, and each run's
// caseload note is its own, so the tests can run again on the same server.
//
//   BESPOKE_URL=http://127.0.0.1:8080 node --test tests/browser/care_team.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import {
  assertAccessible,
  assertClean,
  auditOncePerPage,
  baseUrl,
  demoPassword,
  escapeRegExp as escape,
  heading,
  launchBrowser,
  mode,
  runId,
  signedIn,
  submit,
  summaryValue,
} from "./support.mjs";

const base = baseUrl();
const resident = "resident2@demo.invalid";
const helper = "volunteer1@demo.invalid";
const coordinator = "coordinator1@demo.invalid";
const run = runId();
const audit = auditOncePerPage();

let session;
before(async () => {
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
});

const cellsOf = async (row) => (await row.locator("td").allInnerTexts()).map((c) => c.trim());

// The roles an account page names, one a line.
const rolesOf = async (page) =>
  (await page.locator(".govuk-summary-list__row", { has: page.locator("dt", { hasText: "Roles" }) })
    .locator("dd p").allInnerTexts()).map((r) => r.trim());

// The audit trail's newest `count` entries (newest first), without their times.
async function newestEntries(page, count) {
  await page.goto(`${base}/my-information/audit`);
  assert.equal(await heading(page), "Who has looked at your information");
  const rows = page.locator("table tbody tr");
  const out = [];
  for (let i = 0; i < count; i += 1) {
    const cells = await cellsOf(rows.nth(i));
    assert.match(cells[0], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/u);
    out.push(cells.slice(1));
  }
  return out;
}


// The rows of "Who can act for you" that are live delegations to `email`.
const liveDelegations = (page, email) =>
  page
    .locator("table tbody tr")
    .filter({ has: page.locator("td:first-child .govuk-body-s", { hasText: new RegExp(`^${escape(email)}$`, "u") }) })
    .filter({ has: page.getByRole("button", { name: /^Stop .* acting$/u }) });

// Signs `page` in again as volunteer1 (whose session a change of role ended),
// from the sign-in page a request for `path` was sent to, and back to `path`.
async function signInAgain(page, path) {
  await page.goto(`${base}${path}`);
  assert.equal(page.url(), `${base}/sign-in?next=${encodeURIComponent(path)}`, "the change of role ended the session");
  await page.fill("#email", helper);
  await page.fill("#password", demoPassword);
  await Promise.all([page.waitForURL(`${base}${path}`), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
}

// The caseload row of the person named `name`.
const caseloadRow = (page, name) =>
  page.locator("table tbody tr").filter({ has: page.getByRole("link", { name, exact: true }) });

for (const javaScriptEnabled of [true, false]) {
  test(`letting someone act for you, their view audited, then stopped, ${mode(javaScriptEnabled)}`, async () => {
    const until = `${new Date().getUTCFullYear() + 1}-03-31`;
    const axe = [];
    // resident2 first: stopping a delegation left by a run that failed half way
    // ends volunteer1's sessions (they act for nobody then).
    const me = await signedIn(session.browser, resident, javaScriptEnabled);
    let them;
    try {

      // resident2's own record: the name volunteer1 will see, and the way to the helpers page.
      assert.equal(await me.page.getByRole("link", { name: "People who can act for you", exact: true })
        .getAttribute("href"), "/my-information/helpers", "the account page links to the helpers page");
      await me.page.goto(`${base}/my-information`);
      assert.equal(await heading(me.page), "Your information");
      const residentName = await summaryValue(me.page, "Name");
      await Promise.all([
        me.page.waitForURL(`${base}/my-information/helpers`),
        me.page.getByRole("link", { name: "People who can act for you", exact: true }).click(),
      ]);
      assert.equal(await heading(me.page), "People who can act for you");
      // A delegation to volunteer1 left by a run that failed half way would keep the
      // record visible after this run's is stopped, and refuse a second one: stop it first.
      for (let left = await liveDelegations(me.page, helper).count(); left > 0; left -= 1) {
        await submit(me.page, liveDelegations(me.page, helper).first().getByRole("button"), "/my-information/helpers");
      }
      assert.equal(await liveDelegations(me.page, helper).count(), 0);
      them = await signedIn(session.browser, helper, javaScriptEnabled);
      assert.deepEqual(await rolesOf(them.page), ["Volunteer"]);

      // Before, volunteer1 does not see resident2.
      await them.page.goto(`${base}/people`);
      assert.equal(await heading(them.page), "People whose records you may see");
      assert.equal(await them.page.getByRole("link", { name: residentName, exact: true }).count(), 0,
        "resident2 is not listed before the delegation");

      // Someone without an account: status 422, the error summary links to the field, the answers stay.
      const stranger = `nobody.${run}.js-${javaScriptEnabled ? "on" : "off"}@example.com`;
      await me.page.fill("#delegate_email", stranger);
      await me.page.getByLabel("My needs and circumstances", { exact: true }).check();
      await me.page.fill("#until", until);
      const refused = await submit(me.page, me.page.getByRole("button", { name: "Let them act for me", exact: true }),
        "/my-information/helpers");
      assert.equal(refused.status(), 422);
      assert.equal(await me.page.title(), "Error: People who can act for you – Bespoke");
      const errorLink = me.page.locator(".govuk-error-summary__list a");
      assert.equal(await errorLink.count(), 1);
      assert.equal((await errorLink.innerText()).trim(),
        "No Bespoke account has this email address: ask them to register first");
      assert.equal(await errorLink.getAttribute("href"), "#delegate_email");
      assert.match(await me.page.locator("#delegate_email-error").innerText(), /No Bespoke account has this email address/u);
      assert.equal(await me.page.inputValue("#delegate_email"), stranger);
      assert.ok(await me.page.getByLabel("My needs and circumstances", { exact: true }).isChecked(), "the part stays ticked");
      assert.equal(await me.page.inputValue("#until"), until);
      await audit(me.page, javaScriptEnabled, "the helpers page (with an error)", axe);

      // volunteer1's address: the delegation is listed, newest first.
      await me.page.fill("#delegate_email", helper);
      await submit(me.page, me.page.getByRole("button", { name: "Let them act for me", exact: true }),
        "/my-information/helpers");
      assert.equal(me.page.url(), `${base}/my-information/helpers`);
      assert.equal(await me.page.locator(".govuk-error-summary").count(), 0);
      assert.equal(await liveDelegations(me.page, helper).count(), 1, "the new delegation is listed");
      const given = me.page.locator("table tbody tr").first();
      const cells = await cellsOf(given);
      assert.deepEqual(cells[0].split("\n").map((line) => line.trim()), [them.name, helper]);
      assert.equal(cells[1], `My needs and circumstances (until ${until})`);
      assert.match(cells[2], /^You, \d{4}-\d{2}-\d{2}$/u);
      assert.equal(await given.getByRole("button", { name: `Stop ${them.name} acting`, exact: true }).count(), 1);
      await audit(me.page, javaScriptEnabled, "the helpers page (someone acting)", axe);

      // The new role ended volunteer1's session: they sign in again, and land where they were going.
      await signInAgain(them.page, "/people");
      assert.equal(await heading(them.page), "People whose records you may see");
      const person = them.page.locator("table tbody tr").filter({
        has: them.page.getByRole("link", { name: residentName, exact: true }),
      });
      assert.equal(await person.count(), 1, "resident2 is listed once they let volunteer1 act");
      assert.equal((await person.locator("td").nth(1).innerText()).trim(), "You act for them");
      await audit(them.page, javaScriptEnabled, "the people list, acting for someone", axe);
      await Promise.all([
        them.page.waitForURL(/\/people\/[0-9a-f-]{36}$/u),
        person.getByRole("link", { name: residentName, exact: true }).click(),
      ]);
      const recordUrl = them.page.url();
      assert.equal(await heading(them.page), residentName);
      assert.equal(await summaryValue(them.page, "Name"), residentName);
      assert.match(await them.page.locator("main").innerText(),
        new RegExp(`You can see this because: acting for the person, as they granted\\. This view has been recorded, and ${escape(residentName.split(" ")[0])} can see that you looked\\.`, "u"));
      assert.equal(await them.page.getByRole("link", { name: "People who can act for you" }).count(), 0,
        "the resident's own controls are not shown to the person acting");
      await audit(them.page, javaScriptEnabled, "a record seen by someone acting for the person", axe);
      await them.page.goto(`${base}/account`);
      assert.deepEqual(await rolesOf(them.page), ["Acting for someone", "Volunteer"]);

      // resident2 sees the delegation and volunteer1's read, newest first.
      assert.deepEqual(await newestEntries(me.page, 2), [
        [`${them.name} (acting for you)`, "Looked at: My needs and circumstances", "acting for the person, as they granted"],
        ["You", "Let someone act for you", "granted by the resident"],
      ]);
      await audit(me.page, javaScriptEnabled, "the audit trail", axe);

      // resident2 stops it; the row says so.
      await me.page.goto(`${base}/my-information/helpers`);
      await submit(me.page, given.getByRole("button", { name: `Stop ${them.name} acting`, exact: true }),
        "/my-information/helpers");
      assert.deepEqual((await cellsOf(given)).slice(0, 2), cells.slice(0, 2), "the newest row is still this one");
      assert.match((await given.locator("td").nth(3).innerText()).trim(), /^Stopped \d{4}-\d{2}-\d{2}$/u);
      assert.equal(await given.getByRole("button").count(), 0);
      assert.equal(await liveDelegations(me.page, helper).count(), 0);

      // Acting for nobody now, volunteer1 has lost the role, and with it the session.
      // Signed in again, the same address is "Page not found", and /people no longer lists resident2.
      const recordPath = new URL(recordUrl).pathname;
      await signInAgain(them.page, recordPath);
      await them.page.goto(`${base}/account`);
      assert.deepEqual(await rolesOf(them.page), ["Volunteer"]);
      const gone = await them.page.goto(recordUrl);
      assert.equal(gone.status(), 404);
      assert.equal(await heading(them.page), "Page not found");
      assert.doesNotMatch(await them.page.locator("main").innerText(), new RegExp(escape(residentName), "u"));
      await them.page.goto(`${base}/people`);
      assert.equal(await them.page.getByRole("link", { name: residentName, exact: true }).count(), 0,
        "resident2 is no longer listed");

      assert.deepEqual(await newestEntries(me.page, 1), [["You", "Stopped someone acting for you", "withdrawn by the resident"]]);

      assertAccessible(axe);
      assertClean(me.problems, [422]);
      assertClean(them.problems, [404]);
    } finally {
      await me.context.close();
      await them?.context.close();
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`a coordinator's caseload: added with a lawful basis, the record read, then removed, ${mode(javaScriptEnabled)}`, async () => {
    const basis = "Assessing needs under the Care Act 2014, section 9";
    const note = `referral ${run}-${javaScriptEnabled ? "on" : "off"}`;
    const axe = [];
    const [them, me] = await Promise.all([
      signedIn(session.browser, coordinator, javaScriptEnabled),
      signedIn(session.browser, resident, javaScriptEnabled),
    ]);
    try {
      // resident2's reference, from their own page.
      await me.page.goto(`${base}/my-information`);
      const residentName = await summaryValue(me.page, "Name");
      const reference = await summaryValue(me.page, "Bespoke reference");
      assert.match(reference, /^[0-9a-f-]{36}$/u);
      const recordUrl = `${base}/people/${reference}`;

      // From coordinator1's account page to their caseload.
      await Promise.all([
        them.page.waitForURL(`${base}/caseload`),
        them.page.getByRole("link", { name: "Your caseload", exact: true }).click(),
      ]);
      assert.equal(await heading(them.page), "Your caseload");
      // resident2 left on the caseload by a run that failed half way: take them off first.
      if (await caseloadRow(them.page, residentName).count() > 0) {
        await submit(them.page, them.page.getByRole("button", { name: `Remove ${residentName}`, exact: true }), "/caseload");
      }
      assert.equal(await caseloadRow(them.page, residentName).count(), 0);

      // Not on the caseload, the record is "Page not found" to the coordinator.
      const notYet = await them.page.goto(recordUrl);
      assert.equal(notYet.status(), 404);
      assert.equal(await heading(them.page), "Page not found");
      await them.page.goto(`${base}/caseload`);

      // No lawful basis: status 422, the error summary links to the radios, the answers stay.
      await them.page.fill("#reference", reference);
      await them.page.fill("#note", note);
      const addButton = them.page.getByRole("button", { name: "Add to my caseload", exact: true });
      const refused = await submit(them.page, addButton, "/caseload");
      assert.equal(refused.status(), 422);
      assert.equal(await them.page.title(), "Error: Your caseload – Bespoke");
      const errorLink = them.page.locator(".govuk-error-summary__list a");
      assert.equal(await errorLink.count(), 1);
      assert.equal((await errorLink.innerText()).trim(), "Choose the lawful basis for seeing this person's record");
      assert.equal(await errorLink.getAttribute("href"), "#basis");
      assert.match(await them.page.locator("#basis-error").innerText(), /Choose the lawful basis/u);
      assert.equal(await them.page.inputValue("#reference"), reference);
      assert.equal(await them.page.inputValue("#note"), note);
      assert.equal(await caseloadRow(them.page, residentName).count(), 0, "nobody was added");
      if (javaScriptEnabled) {
        // GOV.UK Frontend moves focus to the summary, and its link to the first radio.
        await them.page.waitForFunction(() => document.activeElement?.classList.contains("govuk-error-summary"));
        await errorLink.click();
        await them.page.waitForFunction(() => document.activeElement?.id === "basis");
      } else {
        await errorLink.click();
        await them.page.waitForURL(`${base}/caseload#basis`);
      }
      await audit(them.page, javaScriptEnabled, "the caseload page (with an error)", axe);

      // With the basis: resident2 is on the caseload, with the basis and the note.
      await them.page.getByLabel(basis, { exact: true }).check();
      await submit(them.page, addButton, "/caseload");
      assert.equal(them.page.url(), `${base}/caseload`);
      assert.equal(await them.page.locator(".govuk-error-summary").count(), 0);
      const row = caseloadRow(them.page, residentName);
      assert.equal(await row.count(), 1, "resident2 is on the caseload");
      const cells = await cellsOf(row);
      assert.match(cells[1], /^\d{4}-\d{2}-\d{2}$/u);
      assert.equal(cells[2], `${basis} (${note})`);
      assert.equal(await row.getByRole("link", { name: residentName, exact: true }).getAttribute("href"), `/people/${reference}`);
      assert.equal(await row.getByRole("link", { name: `Who can act for them (${residentName})`, exact: true })
        .getAttribute("href"), `/caseload/${reference}/helpers`);
      assert.equal(await row.getByRole("button", { name: `Remove ${residentName}`, exact: true }).count(), 1);
      await audit(them.page, javaScriptEnabled, "the caseload page (someone on it)", axe);

      // The coordinator opens the record, and is told why they may.
      await Promise.all([
        them.page.waitForURL(recordUrl),
        row.getByRole("link", { name: residentName, exact: true }).click(),
      ]);
      assert.equal(await heading(them.page), residentName);
      assert.equal(await summaryValue(them.page, "Bespoke reference"), reference);
      assert.match(await them.page.locator("main").innerText(),
        new RegExp(`You can see this because: on the caseload: ${escape(`${basis} (${note})`)}\\. This view has been recorded, and ${escape(residentName.split(" ")[0])} can see that you looked\\.`, "u"));
      await audit(them.page, javaScriptEnabled, "a record seen from the caseload", axe);

      // resident2 sees who added them, why, and the read.
      assert.deepEqual(await newestEntries(me.page, 2), [
        [`${them.name} (your care coordinator)`, "Looked at: My needs and circumstances", `on the caseload: ${basis} (${note})`],
        [`${them.name} (your care coordinator)`, "Added you to their caseload", `${basis} (${note})`],
      ]);

      // The coordinator takes resident2 off; the record is "Page not found" again.
      await them.page.goto(`${base}/caseload`);
      await submit(them.page, row.getByRole("button", { name: `Remove ${residentName}`, exact: true }), "/caseload");
      assert.equal(them.page.url(), `${base}/caseload`);
      assert.equal(await caseloadRow(them.page, residentName).count(), 0, "resident2 is off the caseload");
      const gone = await them.page.goto(recordUrl);
      assert.equal(gone.status(), 404);
      assert.equal(await heading(them.page), "Page not found");
      assert.doesNotMatch(await them.page.locator("main").innerText(), new RegExp(escape(residentName), "u"));

      assert.deepEqual(await newestEntries(me.page, 1), [
        [`${them.name} (your care coordinator)`, "Took you off their caseload", "no longer coordinating this care"],
      ]);

      assertAccessible(axe);
      assertClean(me.problems);
      assertClean(them.problems, [404, 422]);
    } finally {
      await me.context.close();
      await them.context.close();
    }
  });
}
