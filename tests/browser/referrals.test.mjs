// Referrals from a support plan, in a real browser against a server run with
// --demo. resident1 saves the options Bespoke proposes (or, when no line is a
// directory service, the first option for a need) and, on "Your plan", refers
// themselves to the service on a line, with a note: refused first without the
// consent tick, then sent, the line "waiting for an answer". The demo
// provider1 is staff of some organisation, probably not the one referred to:
// the demo admin gives them the provider_editor role for the service's
// organisation (found from the service page), which ends their sessions, so
// they sign in then. provider1 opens the organisation's "Referrals", sees
// resident1's name and note, accepts, and records that they started;
// resident1's line says so. resident1 withdraws it (the provider sees no name
// any more) and refers again; a decline without a reason is refused with a
// GOV.UK error summary, then declined with one, which the line shows. provider1
// publishes the service's spare places (more spare than the most is refused
// first). The role given is taken away at the end. Pages are audited with axe
// (WCAG 2.2 AA) when JavaScript is on; the journey also runs with it off.
// A referral left live by a run that failed half way is withdrawn first, an
// editor role left on provider1 is removed first, and each run's notes and
// reasons are its own, so the test can run again on the same server.
//
//   BESPOKE_URL=http://127.0.0.1:8080 node --test tests/browser/referrals.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import {
  assertAccessible,
  assertClean,
  auditOncePerPage,
  baseUrl,
  escapeRegExp as escape,
  follow,
  heading,
  launchBrowser,
  mode,
  runId,
  signedIn,
  submit,
  summaryValue,
  today,
} from "./support.mjs";

const base = baseUrl();
const resident = "resident1@demo.invalid";
const provider = "provider1@demo.invalid";
const admin = "admin1@demo.invalid"; // src/app/demo_accounts.cpp
const run = runId();
const audit = auditOncePerPage();

let session;
before(async () => {
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
});



// The text of an element, with its white space made single spaces.
const textOf = async (locator) => (await locator.innerText()).replace(/\s+/gu, " ").trim();

// The lines of "Your plan" whose support is a directory service still offered.
const serviceLines = (page) =>
  page.locator("#support tbody tr")
    .filter({ has: page.locator('a[href^="/services/"]') })
    .filter({ hasNotText: "No longer offered" });

// The line of "Your plan" for the service at `href` (the first, should it be on two).
const lineOf = (page, href) =>
  page.locator("#support tbody tr").filter({ has: page.locator(`a[href="${href}"]`) }).first();

// The id of the live referral a line can withdraw, from its form's address.
async function liveReferral(line) {
  const action = await line.locator('form[action$="/withdraw"]').getAttribute("action");
  const found = action?.match(/\/referrals\/([0-9a-f-]{36})\/withdraw$/u);
  assert.ok(found, `the withdraw form names the referral: ${action}`);
  return found[1];
}

// The roles an admin's account page lists: [{ role, organisation, item }].
async function rolesHeld(page) {
  const items = page.locator("ul.govuk-list > li").filter({ has: page.locator('form[action$="/roles/revoke"]') });
  const out = [];
  for (let i = 0; i < await items.count(); i += 1) {
    const item = items.nth(i);
    out.push({
      role: await item.locator('input[name="role"]').inputValue(),
      organisation: await item.locator('input[name="organisation"]').inputValue(),
      item,
    });
  }
  return out;
}

// Takes every provider_editor role off the account whose admin page `page`
// shows (provider1's demo role is provider_admin: an editor role is a test's).
async function removeEditorRoles(page, path) {
  for (;;) {
    const editor = (await rolesHeld(page)).find((r) => r.role === "provider_editor");
    if (!editor) return;
    await submit(page, editor.item.getByRole("button"), path);
    assert.equal(await page.locator(".govuk-error-summary").count(), 0, "the role is removed");
  }
}

for (const javaScriptEnabled of [true, false]) {
  test(`a provider accepts a referral from a support plan, and declines one with a reason, ${mode(javaScriptEnabled)}`, async () => {
    const tag = `${run}-${javaScriptEnabled ? "on" : "off"}`;
    const note = `I would rather come with my daughter the first time (${tag}).`;
    const secondNote = `Mornings suit me better now (${tag}).`;
    const reason = `The group is full until the spring (${tag}).`;
    const axe = [];
    const deferred = []; // problems found on the way, asserted at the end so the journey goes on
    const me = await signedIn(session.browser, resident, javaScriptEnabled);
    let boss;
    let them;
    let adminPath;
    let roleGiven = false;
    try {
      // resident1's plan, from "Your information".
      await me.page.goto(`${base}/my-information`);
      assert.equal(await heading(me.page), "Your information");
      const reference = await summaryValue(me.page, "Bespoke reference");
      assert.match(reference, /^[0-9a-f-]{36}$/u);
      const name = await summaryValue(me.page, "Name");
      const plan = `/plan/${reference}`;
      await follow(me.page, "Your support plan", plan);
      assert.equal(await heading(me.page), "Your support plan");

      // Options: Bespoke's proposal, saved; if it has no directory service, the first option for a need.
      await follow(me.page, "Options: compare and choose", `${plan}/options`);
      assert.equal(await heading(me.page), "Your options");
      const save = () => me.page.getByRole("button", { name: "Save these choices", exact: true });
      await submit(me.page, save(), `${plan}/my-plan`);
      assert.equal(await heading(me.page), "Your plan");
      if (await serviceLines(me.page).count() === 0) {
        await me.page.goto(`${base}${plan}/options`);
        const need = me.page.locator("main fieldset").filter({ has: me.page.getByLabel("None of these for now", { exact: true }) }).first();
        await need.locator("input[type=radio]").first().check();
        await submit(me.page, save(), `${plan}/my-plan`);
        assert.equal(await heading(me.page), "Your plan");
      }
      assert.ok(await serviceLines(me.page).count() >= 1, "a line of the plan is a service in the directory");

      // The first such line: its service, title and need.
      const link = serviceLines(me.page).first().locator('a[href^="/services/"]');
      const serviceHref = await link.getAttribute("href");
      const serviceId = serviceHref.replace(/^\/services\//u, "");
      const title = (await link.innerText()).trim();
      const line = lineOf(me.page, serviceHref);
      const need = (await line.locator("td").first().innerText()).split("\n")[0].trim();
      const withdraw = line.getByRole("button", { name: `Withdraw the referral to ${title}`, exact: true });
      const status = line.locator("p.govuk-body-s");

      // A referral left waiting or accepted by an earlier run is withdrawn first.
      if (await withdraw.count() > 0) {
        await submit(me.page, withdraw, `${plan}/my-plan`);
        assert.equal(await textOf(status), "Referral withdrawn");
      }
      assert.equal(await withdraw.count(), 0);

      // "Refer to …": without the consent tick, refused (422), the summary links to the box.
      const refer = line.locator("details").filter({ hasText: `Refer to ${title}` });
      assert.equal(await refer.count(), 1, `the line offers "Refer to ${title}"`);
      assert.equal(await refer.getAttribute("open"), null, "the referral form starts folded away");
      await refer.getByText(`Refer to ${title}`, { exact: true }).click();
      await refer.getByLabel("What should they know? (optional)", { exact: true }).fill(note);
      const consent = `I agree that ${title} may see my name, this need and the note`;
      assert.equal(await refer.getByLabel(consent, { exact: true }).count(), 1, "the consent names the service");
      await audit(me.page, javaScriptEnabled, "Your plan, a line to refer", axe);
      const referLine = await line.locator('input[name="line"]').inputValue();
      const refused = await submit(me.page, refer.getByRole("button", { name: "Send the referral", exact: true }),
        `${plan}/referrals`);
      assert.equal(refused.status(), 422);
      assert.equal(await me.page.title(), "Error: Your plan – Bespoke");
      const referError = me.page.locator(".govuk-error-summary__list a");
      assert.equal(await referError.count(), 1);
      assert.equal((await referError.innerText()).trim(),
        `Tick to agree that ${title} may see your name, this need and your note`);
      assert.equal(await referError.getAttribute("href"), `#refer-${referLine}`);
      assert.equal(await line.locator("p.govuk-body-s", { hasText: /^Referred on/u }).count(), 0, "nothing was sent");
      // What GOV.UK's pattern expects of a refused form (checked at the end):
      // the message by the box, the box described by it, and the note kept.
      if (await me.page.locator(`#refer-${referLine}-error`).count() === 0)
        deferred.push(`Your plan, consent refused: no error message by the box #refer-${referLine}`);
      if (!/(^| )refer-\d+-error( |$)/u.test(await me.page.locator(`#refer-${referLine}`).getAttribute("aria-describedby") ?? ""))
        deferred.push(`Your plan, consent refused: #refer-${referLine} has no aria-describedby to its error`);
      if (await me.page.inputValue(`#note-${referLine}`) !== note)
        deferred.push(`Your plan, consent refused: the note typed was lost`);
      await audit(me.page, javaScriptEnabled, "Your plan, a referral refused", axe);
      // The summary's link takes the person to the box, which must then be in view.
      if (javaScriptEnabled) {
        // GOV.UK Frontend moves focus to the summary, and its link to the box.
        await me.page.waitForFunction(() => document.activeElement?.classList.contains("govuk-error-summary"));
        await referError.click();
        const focused = await me.page.waitForFunction((id) => document.activeElement?.id === id, `refer-${referLine}`,
          { timeout: 2000 }).then(() => true, () => false);
        if (!focused)
          deferred.push(`Your plan, consent refused: the summary's link does not focus #refer-${referLine}, hidden in the closed "Refer to ${title}" details`);
      } else {
        await referError.click();
        await me.page.waitForURL(`${base}${plan}/referrals#refer-${referLine}`);
      }
      if (!await me.page.locator(`#refer-${referLine}`).isVisible())
        deferred.push(`Your plan, consent refused: the box #refer-${referLine} is hidden in the closed "Refer to ${title}" details`);

      // With the tick: sent; the line is waiting, and can be withdrawn.
      if (await refer.getAttribute("open") === null) await refer.getByText(`Refer to ${title}`, { exact: true }).click();
      await refer.getByLabel("What should they know? (optional)", { exact: true }).fill(note);
      await refer.getByLabel(consent, { exact: true }).check();
      await submit(me.page, refer.getByRole("button", { name: "Send the referral", exact: true }), `${plan}/my-plan`);
      assert.equal(me.page.url(), `${base}${plan}/my-plan`);
      assert.equal(await me.page.locator(".govuk-error-summary").count(), 0);
      assert.equal(await textOf(status), `Referred on ${today()}: waiting for an answer`);
      assert.equal(await withdraw.count(), 1, "the referral can be withdrawn");
      assert.equal(await refer.count(), 0, "no second referral while one is waiting");
      const first = await liveReferral(line);
      await audit(me.page, javaScriptEnabled, "Your plan, a referral waiting", axe);

      // The service's organisation, from the service page the line links to.
      await Promise.all([me.page.waitForURL(`${base}${serviceHref}`), line.getByRole("link", { name: title, exact: true }).click()]);
      const runBy = me.page.locator(".govuk-summary-list__row")
        .filter({ has: me.page.locator("dt", { hasText: /^Who runs it$/u }) })
        .locator('dd a[href^="/organisations/"]');
      const organisation = (await runBy.getAttribute("href")).replace(/^\/organisations\//u, "");
      const organisationName = (await runBy.innerText()).trim();
      assert.match(organisation, /^[^/?#]+$/u);
      const referrals = `/organisations/${organisation}/referrals`;

      // The demo admin makes provider1 staff of that organisation (unless they are its admin already).
      boss = await signedIn(session.browser, admin, javaScriptEnabled);
      await boss.page.goto(`${base}/admin/accounts?q=${encodeURIComponent(provider)}`);
      assert.equal(await heading(boss.page), "Accounts");
      const account = boss.page.getByRole("link", { name: provider, exact: true });
      adminPath = await account.getAttribute("href");
      assert.match(adminPath, /^\/admin\/accounts\/[^/]+$/u);
      await Promise.all([boss.page.waitForURL(`${base}${adminPath}`), account.click()]);
      assert.equal(await heading(boss.page), provider);
      await removeEditorRoles(boss.page, adminPath); // left by a run that failed half way
      const alreadyStaff = (await rolesHeld(boss.page)).some((r) => r.role === "provider_admin" && r.organisation === organisation);
      if (!alreadyStaff) {
        await boss.page.getByLabel("Give a role", { exact: true }).selectOption("provider_editor");
        await boss.page.getByLabel("Organisation id (provider staff only)", { exact: true }).fill(organisation);
        await submit(boss.page, boss.page.getByRole("button", { name: "Give role", exact: true }), adminPath);
        assert.equal(await boss.page.locator(".govuk-error-summary, .govuk-error-message").count(), 0);
        roleGiven = true;
        assert.ok((await rolesHeld(boss.page)).some((r) => r.role === "provider_editor" && r.organisation === organisation),
          "provider1 is an editor for the organisation");
      }

      // provider1 signs in (the new role ended any session), and finds the referrals from the organisation's page.
      them = await signedIn(session.browser, provider, javaScriptEnabled);
      await them.page.goto(`${base}/organisations/${organisation}/manage`);
      await follow(them.page, "Referrals to your services, and your spare places", referrals);
      assert.equal(await heading(them.page), "Referrals");
      assert.equal(await them.page.title(), `Referrals to ${organisationName} – Bespoke`);
      const card = (id) => them.page.locator(`#referral-${id}`);
      const cardTitle = (id) => card(id).locator(".govuk-summary-card__title");
      const cardText = (id) => card(id).locator(".govuk-summary-card__content");
      assert.equal(await card(first).count(), 1, "the referral is listed");
      assert.equal(await textOf(cardTitle(first)), `${name}: ${title}`);
      assert.match(await textOf(cardText(first)),
        new RegExp(`^For: ${escape(need)}\\. Sent ${today()}\\. Waiting for your answer “${escape(note)}”`, "u"));
      await audit(them.page, javaScriptEnabled, "Referrals, one waiting", axe);

      // Accepted; then "Did they start?": yes.
      await submit(them.page, card(first).getByRole("button", { name: `Accept the referral for ${name}`, exact: true }), referrals);
      assert.equal(them.page.url(), `${base}${referrals}`);
      assert.equal(await card(first).locator("strong").innerText(), "Accepted");
      assert.equal(await card(first).getByRole("button", { name: /^(Accept|Decline)/u }).count(), 0);
      const started = card(first).locator("fieldset").filter({ has: them.page.locator("legend", { hasText: "Did they start?" }) });
      assert.equal(await started.count(), 1, "the provider is asked whether they started");
      await audit(them.page, javaScriptEnabled, "Referrals, one accepted", axe);
      await started.getByLabel("Yes, they started", { exact: true }).check();
      await submit(them.page, card(first).getByRole("button", { name: "Record it", exact: true }), referrals);
      assert.equal(await card(first).locator("strong").innerText(), "Accepted: started");
      assert.equal(await card(first).locator("form").count(), 0, "nothing left to answer");

      // resident1 sees it on their plan.
      await me.page.goto(`${base}${plan}/my-plan`);
      assert.equal(await textOf(status), "Referral accepted: started");
      assert.equal(await withdraw.count(), 1);
      await audit(me.page, javaScriptEnabled, "Your plan, a referral accepted", axe);

      // resident1 withdraws it; the provider no longer sees who it was, nor the note.
      await submit(me.page, withdraw, `${plan}/my-plan`);
      assert.equal(await textOf(status), "Referral withdrawn");
      assert.equal(await refer.count(), 1, "the service can be referred to again");
      await them.page.goto(`${base}${referrals}`);
      assert.equal(await textOf(cardTitle(first)), `Withdrawn: ${title}`);
      assert.equal(await card(first).locator("strong").innerText(), "Withdrawn by the person");
      assert.doesNotMatch(await textOf(card(first)), new RegExp(`${escape(name)}|${escape(note)}`, "u"));

      // Referred again, with another note.
      await refer.getByText(`Refer to ${title}`, { exact: true }).click();
      await refer.getByLabel("What should they know? (optional)", { exact: true }).fill(secondNote);
      await refer.getByLabel(consent, { exact: true }).check();
      await submit(me.page, refer.getByRole("button", { name: "Send the referral", exact: true }), `${plan}/my-plan`);
      assert.equal(await textOf(status), `Referred on ${today()}: waiting for an answer`);
      const second = await liveReferral(line);
      assert.notEqual(second, first);

      // Declined without a reason: refused (422), the summary links to the reason.
      await them.page.goto(`${base}${referrals}`);
      assert.match(await textOf(cardText(second)), new RegExp(`Waiting for your answer “${escape(secondNote)}”`, "u"));
      const decline = () => card(second).getByRole("button", { name: `Decline the referral for ${name}`, exact: true });
      const declinePath = `${referrals}/${second}/decline`;
      const noReason = await submit(them.page, decline(), declinePath);
      assert.equal(noReason.status(), 422);
      assert.equal(await them.page.title(), `Error: Referrals to ${organisationName} – Bespoke`);
      const declineError = them.page.locator(".govuk-error-summary__list a");
      assert.equal(await declineError.count(), 1);
      assert.equal((await declineError.innerText()).trim(),
        "Say why you cannot take this referral, in up to 500 characters, so the person can choose again");
      assert.equal(await declineError.getAttribute("href"), `#reason-${second}`);
      assert.equal(await card(second).locator("strong").innerText(), "Waiting for your answer", "nothing was declined");
      if (await them.page.locator(`#reason-${second}-error`).count() === 0)
        deferred.push(`Referrals, decline refused: no error message by the field #reason-${second}`);
      if (!/(^| )reason-\S+-error( |$)/u.test(await them.page.locator(`#reason-${second}`).getAttribute("aria-describedby") ?? ""))
        deferred.push(`Referrals, decline refused: #reason-${second} has no aria-describedby to its error`);
      if (javaScriptEnabled) {
        // GOV.UK Frontend moves focus to the summary, and its link to the field.
        await them.page.waitForFunction(() => document.activeElement?.classList.contains("govuk-error-summary"));
        await declineError.click();
        await them.page.waitForFunction((id) => document.activeElement?.id === id, `reason-${second}`);
      } else {
        await declineError.click();
        await them.page.waitForURL(`${base}${declinePath}#reason-${second}`);
      }
      await audit(them.page, javaScriptEnabled, "Referrals, a decline refused", axe);

      // With a reason: declined; resident1's line says why, and they may refer again.
      await card(second).getByLabel("Why you cannot take it", { exact: true }).fill(reason);
      await submit(them.page, decline(), referrals);
      assert.equal(them.page.url(), `${base}${referrals}`);
      assert.equal(await them.page.locator(".govuk-error-summary").count(), 0);
      assert.equal(await card(second).locator("strong").innerText(), `Declined: ${reason}`);
      assert.equal(await card(second).locator("form").count(), 0);
      await me.page.goto(`${base}${plan}/my-plan`);
      assert.equal(await textOf(status), `Referral declined: ${reason}`);
      assert.equal(await withdraw.count(), 0);
      assert.equal(await refer.count(), 1, "the person can refer again, or choose another option");

      // Spare places: more spare than the most is refused; then published.
      const spare = them.page.locator(`#available-${serviceId}`);
      const most = them.page.locator(`#maximum-${serviceId}`);
      const publish = them.page.getByRole("button", { name: `Publish for ${title}`, exact: true });
      assert.equal(await spare.count(), 1, "the service has its spare places");
      await spare.fill("12");
      await most.fill("10");
      const tooMany = await submit(them.page, publish, `/organisations/${organisation}/capacity`);
      assert.equal(tooMany.status(), 422);
      const capacityError = them.page.locator(".govuk-error-summary__list a");
      assert.equal(await capacityError.count(), 1);
      assert.equal(await capacityError.getAttribute("href"), `#available-${serviceId}`);
      assert.equal((await capacityError.innerText()).trim(),
        "Enter the spare places and the most you have, as whole numbers, with no more spare than the most");
      assert.match(await them.page.locator(`#available-${serviceId}-error`).innerText(), /Enter the spare places/u);
      await audit(them.page, javaScriptEnabled, "Referrals, spare places refused", axe);
      await spare.fill("3");
      await most.fill("10");
      await submit(them.page, publish, referrals);
      assert.equal(them.page.url(), `${base}${referrals}`);
      assert.equal(await them.page.locator(".govuk-error-summary").count(), 0);
      assert.equal(await spare.inputValue(), "3");
      assert.equal(await most.inputValue(), "10");
      const serviceRow = them.page.locator("table tbody tr").filter({ has: spare });
      assert.doesNotMatch(await textOf(serviceRow), /Not published/u);

      // The role given for this run is taken away again (ending provider1's session).
      if (roleGiven) {
        await boss.page.goto(`${base}${adminPath}`);
        await removeEditorRoles(boss.page, adminPath);
        roleGiven = false;
      }

      assertAccessible(axe);
      assertClean(me.problems, [422]);
      assertClean(them.problems, [422]);
      assertClean(boss.problems);
      assert.deepEqual(deferred, [], "refused forms follow the GOV.UK pattern");
    } finally {
      // Whatever happened, provider1 does not keep the role this run gave.
      if (roleGiven && boss && adminPath) {
        await boss.page.goto(`${base}${adminPath}`);
        await removeEditorRoles(boss.page, adminPath).catch(() => {});
      }
      await me.context.close();
      await them?.context.close();
      await boss?.context.close();
    }
  });
}
