// A resident's say over their record, in a real browser against a server run
// with --demo: resident1 shares "My needs and circumstances" with provider1's
// organisation from its directory page; provider1, in a browser of their own,
// finds resident1 under /people and opens the record; resident1 sees that read
// in "Who has looked at your information", stops sharing, and the same record
// address is then "Page not found" for provider1. And resident1 downloads
// everything held about them, as JSON and as a page. Pages are audited with axe
// (WCAG 2.2 AA) when JavaScript is on; both journeys also run with it off.
// Each run's consent has its own purpose, so the tests can run again on the same server.
//
//   BESPOKE_URL=http://127.0.0.1:8080 node --test tests/browser/privacy.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

import {
  assertAccessible,
  assertClean,
  auditOncePerPage,
  baseUrl,
  escapeRegExp as escape,
  heading,
  launchBrowser,
  mode,
  runId,
  signedIn,
  summaryValue,
} from "./support.mjs";

const base = baseUrl();
const resident = "resident1@demo.invalid";
const provider = "provider1@demo.invalid";
const run = runId();
const audit = auditOncePerPage();

let session;
before(async () => {
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
});

// The rows of the sharing page's table that are live shares with `grantee`.
const liveShares = (page, grantee) =>
  page
    .locator("table tbody tr")
    .filter({ has: page.locator("td:first-child", { hasText: new RegExp(`^${escape(grantee)}$`, "u") }) })
    .filter({ has: page.getByRole("button", { name: /^Stop sharing/u }) });

for (const javaScriptEnabled of [true, false]) {
  test(`sharing with an organisation, its view audited, then withdrawn, ${mode(javaScriptEnabled)}`, async () => {
    const purpose = `to offer me a place at the lunch club (browser test ${run} ${javaScriptEnabled ? "on" : "off"})`;
    const until = `${new Date().getUTCFullYear() + 1}-03-31`;
    const axe = [];
    const [them, me] = await Promise.all([
      signedIn(session.browser, provider, javaScriptEnabled),
      signedIn(session.browser, resident, javaScriptEnabled),
    ]);
    try {
      // provider1's organisation, from the role line of their account page.
      const orgLink = them.page.locator('dd a[href^="/organisations/"]');
      assert.equal(await orgLink.count(), 1, "provider1 is staff of one organisation");
      const organisationPath = await orgLink.getAttribute("href");
      assert.match(organisationPath, /^\/organisations\/[0-9a-f-]{36}$/u);
      assert.match(await them.page.locator("dd").filter({ has: them.page.locator('a[href^="/organisations/"]') }).innerText(), /Provider staff \(admin\) for this organisation/u);

      // resident1's own record: the name the provider will see.
      await me.page.goto(`${base}/my-information`);
      assert.equal(await heading(me.page), "Your information");
      const residentName = await summaryValue(me.page, "Name");

      // From the organisation's page to the sharing form, with the organisation chosen.
      await me.page.goto(`${base}${organisationPath}`);
      const organisationName = await heading(me.page);
      assert.ok(organisationName.length > 0);
      await audit(me.page, javaScriptEnabled, "an organisation page, signed in as a resident", axe);
      // A leftover share with this organisation (from a run that failed half way) would
      // keep the record visible after this run's share is withdrawn: stop it first.
      await me.page.goto(`${base}/my-information/sharing`);
      for (let left = await liveShares(me.page, organisationName).count(); left > 0; left -= 1) {
        await Promise.all([
          me.page.waitForResponse((r) => r.url() === `${base}/my-information/sharing` && r.request().method() === "GET"),
          liveShares(me.page, organisationName).first().getByRole("button").click(),
        ]);
        await me.page.waitForLoadState("load");
      }
      assert.equal(await liveShares(me.page, organisationName).count(), 0);
      await me.page.goto(`${base}${organisationPath}`);
      const share = me.page.getByRole("link", { name: `Share my information with ${organisationName}` });
      await Promise.all([me.page.waitForURL(/\/my-information\/sharing\?organisation=/u), share.click()]);
      assert.equal(new URL(me.page.url()).searchParams.get("organisation"), organisationPath.split("/").pop());
      assert.equal(await heading(me.page), "Who you share your information with");
      const organisationRadio = me.page.getByLabel(organisationName, { exact: true });
      assert.ok(await organisationRadio.isChecked(), "the organisation is chosen");

      // Before the share, the provider does not see resident1.
      await them.page.goto(`${base}/people`);
      assert.equal(await heading(them.page), "People whose records you may see");
      assert.equal(await them.page.getByRole("link", { name: residentName, exact: true }).count(), 0,
        "resident1 is not listed before sharing");

      await me.page.getByLabel("My needs and circumstances").check();
      await me.page.fill("#purpose", purpose);
      await me.page.fill("#until", until);
      await Promise.all([
        me.page.waitForResponse((r) => r.url() === `${base}/my-information/sharing` && r.request().method() === "GET"),
        me.page.getByRole("button", { name: "Share", exact: true }).click(),
      ]);
      await me.page.waitForLoadState("load");
      assert.equal(me.page.url(), `${base}/my-information/sharing`);
      const shared = me.page.locator("table tbody tr").filter({ hasText: purpose });
      assert.equal(await shared.count(), 1, "the new share is listed");
      assert.equal((await shared.locator("td").first().innerText()).trim(), organisationName);
      assert.equal((await shared.locator("td").nth(1).innerText()).trim(),
        `My needs and circumstances: ${purpose} (until ${until})`);
      assert.equal(await shared.getByRole("button", { name: `Stop sharing My needs and circumstances with ${organisationName}` }).count(), 1);
      await audit(me.page, javaScriptEnabled, "the sharing page (its form and a share)", axe);

      // The provider now finds resident1 under /people, with the purpose as the reason.
      await them.page.goto(`${base}/people`);
      const person = them.page.locator("table tbody tr").filter({
        has: them.page.getByRole("link", { name: residentName, exact: true }),
      });
      assert.equal(await person.count(), 1, "resident1 is listed once shared");
      assert.equal((await person.locator("td").nth(1).innerText()).trim(), purpose);
      await audit(them.page, javaScriptEnabled, "the people list", axe);
      await Promise.all([
        them.page.waitForURL(/\/people\/[0-9a-f-]{36}$/u),
        person.getByRole("link", { name: residentName, exact: true }).click(),
      ]);
      const recordUrl = them.page.url();
      assert.equal(await heading(them.page), residentName);
      assert.equal(await summaryValue(them.page, "Name"), residentName);
      assert.match(await them.page.locator("main").innerText(),
        new RegExp(`You can see this because: with consent: ${escape(purpose)}\\. This view has been recorded, and ${escape(residentName.split(" ")[0])} can see that you looked\\.`, "u"));
      assert.equal(await them.page.getByRole("heading", { name: "Needs", exact: true }).count(), 1);
      // The provider's view is of the record only, not the resident's own controls.
      assert.equal(await them.page.getByRole("link", { name: "Who you share your information with" }).count(), 0);
      await audit(them.page, javaScriptEnabled, "a record seen with consent", axe);

      // resident1 sees that read, by whom and why.
      await me.page.goto(`${base}/my-information`);
      await Promise.all([
        me.page.waitForURL(`${base}/my-information/audit`),
        me.page.getByRole("link", { name: "Who has looked at your information" }).click(),
      ]);
      assert.equal(await heading(me.page), "Who has looked at your information");
      const looked = me.page.locator("table tbody tr").filter({ hasText: `with consent: ${purpose}` });
      assert.equal(await looked.count(), 1, "the provider's read is listed once");
      const cells = (await looked.locator("td").allInnerTexts()).map((c) => c.trim());
      assert.match(cells[0], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/u);
      assert.deepEqual(cells.slice(1), [
        `${them.name} (you shared it with them)`,
        "Looked at: My needs and circumstances",
        `with consent: ${purpose}`,
      ]);
      // So is the share itself, with its purpose.
      const granted = me.page.locator("table tbody tr").filter({ hasText: "Shared your information" })
        .filter({ hasText: purpose });
      assert.equal(await granted.count(), 1, "the share is listed once");
      assert.deepEqual((await granted.locator("td").allInnerTexts()).slice(1).map((c) => c.trim()),
        ["You", "Shared your information", purpose]);
      await audit(me.page, javaScriptEnabled, "the audit trail", axe);

      // resident1 stops sharing; the row says so.
      await me.page.goto(`${base}/my-information/sharing`);
      await Promise.all([
        me.page.waitForResponse((r) => r.url() === `${base}/my-information/sharing` && r.request().method() === "GET"),
        shared.getByRole("button", { name: /^Stop sharing/u }).click(),
      ]);
      await me.page.waitForLoadState("load");
      assert.match((await shared.locator("td").nth(2).innerText()).trim(), /^Stopped \d{4}-\d{2}-\d{2}$/u);
      assert.equal(await shared.getByRole("button").count(), 0);
      assert.equal(await liveShares(me.page, organisationName).count(), 0);

      // The provider's same address is now "Page not found", and /people no longer lists resident1.
      const gone = await them.page.goto(recordUrl);
      assert.equal(gone.status(), 404);
      assert.equal(await heading(them.page), "Page not found");
      assert.doesNotMatch(await them.page.locator("main").innerText(), new RegExp(escape(residentName), "u"));
      await them.page.goto(`${base}/people`);
      assert.equal(await them.page.getByRole("link", { name: residentName, exact: true }).count(), 0,
        "resident1 is no longer listed");

      await me.page.goto(`${base}/my-information/audit`);
      // The withdrawal is the newest entry on resident1's audit trail (newest first).
      const newest = (await me.page.locator("table tbody tr").first().locator("td").allInnerTexts()).map((c) => c.trim());
      assert.deepEqual(newest.slice(1), ["You", "Stopped sharing your information", "withdrawn by the resident"]);

      assertAccessible(axe);
      assertClean(me.problems);
      assertClean(them.problems, [404]);
    } finally {
      await me.context.close();
      await them.context.close();
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`everything held about resident1, as a page and as JSON, ${mode(javaScriptEnabled)}`, async () => {
    const axe = [];
    const me = await signedIn(session.browser, resident, javaScriptEnabled);
    try {
      await me.page.goto(`${base}/my-information`);
      await Promise.all([
        me.page.waitForURL(`${base}/my-information/all`),
        me.page.getByRole("link", { name: "Everything Bespoke holds about you" }).click(),
      ]);
      assert.equal(await heading(me.page), "Everything Bespoke holds about you");
      const accountTable = me.page.locator("table").filter({
        has: me.page.locator("caption", { hasText: /^Your account$/u }),
      });
      assert.equal(await accountTable.count(), 1, "a table for the account");
      const columns = (await accountTable.locator("thead th").allInnerTexts()).map((c) => c.trim());
      const emailColumn = columns.indexOf("email");
      assert.ok(emailColumn >= 0, `an email column in ${columns}`);
      const pageRows = accountTable.locator("tbody tr");
      assert.equal(await pageRows.count(), 1);
      assert.equal((await pageRows.locator("td").nth(emailColumn).innerText()).trim(), resident);
      await audit(me.page, javaScriptEnabled, "everything held about you", axe);

      const [download] = await Promise.all([
        me.page.waitForEvent("download"),
        me.page.getByRole("link", { name: "Download it as JSON" }).click(),
      ]);
      assert.equal(download.suggestedFilename(), "my-bespoke-data.json");
      const data = JSON.parse(await readFile(await download.path(), "utf8"));
      assert.match(data.exported_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/u);
      const account = data.tables.find((t) => t.table === "account");
      assert.ok(account, `an "account" table among ${data.tables.map((t) => t.table)}`);
      assert.equal(account.description, "Your account");
      assert.equal(account.rows.length, 1);
      assert.equal(account.rows[0].email, resident);
      assert.equal(account.rows[0].display_name, me.name);
      // The page shows the same row as the file.
      const pageCells = (await pageRows.locator("td").allInnerTexts()).map((c) => c.trim());
      assert.deepEqual(pageCells, columns.map((c) => account.rows[0][c] ?? ""));
      // Every table on the page is in the file, with as many rows (the audit trail
      // may have grown by the download itself, which is recorded before it is read).
      const tables = me.page.locator("table");
      for (let i = 0; i < (await tables.count()); i += 1) {
        const caption = (await tables.nth(i).locator("caption").innerText()).trim();
        const table = data.tables.find((t) => t.description === caption);
        assert.ok(table, `the file has the table "${caption}"`);
        const rows = await tables.nth(i).locator("tbody tr").count();
        if (table.table === "audit_event") assert.ok(table.rows.length >= rows, `rows of "${caption}"`);
        else assert.equal(table.rows.length, rows, `rows of "${caption}"`);
      }

      // The page and the download are the two newest entries on the audit trail.
      await me.page.goto(`${base}/my-information/audit`);
      const rows = me.page.locator("table tbody tr");
      for (const i of [0, 1]) {
        const cells = (await rows.nth(i).locator("td").allInnerTexts()).map((c) => c.trim());
        assert.deepEqual(cells.slice(1), ["You", "Downloaded everything held about you", "subject access request"],
          `audit entry ${i + 1}`);
      }
      assertAccessible(axe);
      assertClean(me.problems);
    } finally {
      await me.context.close();
    }
  });
}
