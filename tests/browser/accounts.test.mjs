// Accounts in a real browser, against a server run with --demo (its outbox and
// demo accounts): register, confirm the address from the demo outbox, a wrong
// password, sign in and out; every demo role's account page; a personal API
// token created in the browser, used from node, revoked. Pages are audited with
// axe (WCAG 2.2 AA) when JavaScript is on; the key journeys also run with it off.
// Emails and token names are unique per run, so the tests can run again on the
// same server.
//
//   BESPOKE_URL=http://127.0.0.1:8080 node --test tests/browser/accounts.test.mjs
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
  summaryValue,
  watch,
} from "./support.mjs";

const base = baseUrl();
const run = runId();
const audit = auditOncePerPage();

let session;
before(async () => {
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
});

const accountNav = (page) => page.locator("nav.app-account-nav");

// Sign in from the sign-in page; the server sends the person to /account.
async function signIn(page, email, password) {
  const response = await page.goto(`${base}/sign-in`);
  assert.equal(response.status(), 200);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await Promise.all([
    page.waitForURL(`${base}/account`),
    page.getByRole("button", { name: "Sign in", exact: true }).click(),
  ]);
}

// Sign out with the header's button; the header then offers "Sign in" again.
async function signOutFromHeader(page) {
  await Promise.all([
    page.waitForResponse((r) => r.url() === `${base}/sign-out` && r.request().method() === "POST"),
    accountNav(page).getByRole("button", { name: "Sign out" }).click(),
  ]);
  await page.waitForLoadState("load");
  assert.equal(await heading(page), "You have signed out");
  const nav = accountNav(page);
  assert.equal((await nav.locator("a.app-account-nav__link").innerText()).trim(), "Sign in");
  assert.equal(await nav.getByRole("button", { name: "Sign out" }).count(), 0, "no Sign out button once signed out");
}

for (const javaScriptEnabled of [true, false]) {
  test(`register, confirm from the outbox, a wrong password, sign in and out, ${mode(javaScriptEnabled)}`, async () => {
    const context = await session.browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const problems = watch(page);
    const axe = [];
    const name = `Robin Browser ${run}${javaScriptEnabled ? "a" : "b"}`;
    const email = `robin.${run}.js-${javaScriptEnabled ? "on" : "off"}@example.com`;
    const password = "quiet orchard lantern 7";
    try {
      // Signed out, the header offers "Sign in"; the sign-in page links to registration.
      await page.goto(`${base}/`);
      const signInLink = accountNav(page).locator("a.app-account-nav__link");
      assert.equal((await signInLink.innerText()).trim(), "Sign in");
      await Promise.all([page.waitForURL(`${base}/sign-in`), signInLink.click()]);
      assert.equal(await heading(page), "Sign in to Bespoke");
      await Promise.all([page.waitForURL(`${base}/register`), page.getByRole("link", { name: "Create an account" }).click()]);
      assert.equal(await heading(page), "Create an account");
      assert.equal(await page.title(), "Create an account – Bespoke");
      await audit(page, javaScriptEnabled, "the registration page", axe);

      await page.fill("#name", name);
      await page.fill("#email", email);
      await page.fill("#password", password);
      const [registered] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${base}/register` && r.request().method() === "POST"),
        page.getByRole("button", { name: "Create account" }).click(),
      ]);
      assert.equal(registered.status(), 200);
      await page.waitForLoadState("load");
      assert.equal(await heading(page), "Check your email");
      assert.match(await page.locator("main").innerText(), new RegExp(`We have sent an email to ${escape(email)}\\.`, "u"));
      await audit(page, javaScriptEnabled, "the check-your-email page", axe);

      // The demo outbox shows the mail to this address, with its confirmation link as a path.
      await page.goto(`${base}/demo/outbox`);
      assert.equal(await heading(page), "Demo outbox");
      await audit(page, javaScriptEnabled, "the demo outbox", axe);
      const mail = page.locator(".govuk-summary-card").filter({ hasText: `To ${email},` });
      assert.equal(await mail.count(), 1, "one mail to the new address");
      assert.equal((await mail.locator(".govuk-summary-card__title").innerText()).trim(), "Confirm your email address for Bespoke");
      assert.match(await mail.locator("pre").innerText(), new RegExp(`^Hello ${escape(name)},`, "u"));
      const verify = mail.locator('a[href^="/verify-email?token="]');
      assert.equal(await verify.count(), 1, "the mail links to /verify-email");
      await Promise.all([page.waitForURL(/\/verify-email\?token=/u), verify.click()]);
      assert.equal(await heading(page), "Email address confirmed");

      // A wrong password: status 422, the error summary links to the email field, what was typed stays.
      await Promise.all([page.waitForURL(`${base}/sign-in`), page.locator("main").getByRole("link", { name: "Sign in" }).click()]);
      await page.fill("#email", email);
      await page.fill("#password", "not the right password");
      const [refused] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${base}/sign-in` && r.request().method() === "POST"),
        page.getByRole("button", { name: "Sign in", exact: true }).click(),
      ]);
      assert.equal(refused.status(), 422);
      await page.locator(".govuk-error-summary").waitFor();
      assert.equal(await page.title(), "Error: Sign in – Bespoke");
      const errorLink = page.locator(".govuk-error-summary__list a");
      assert.equal(await errorLink.count(), 1);
      assert.equal((await errorLink.innerText()).trim(), "Enter a correct email address and password");
      assert.equal(await errorLink.getAttribute("href"), "#email");
      assert.equal(await page.inputValue("#email"), email);
      assert.equal(await page.inputValue("#password"), "", "the password is not sent back");
      assert.match(await page.locator("#email-error").innerText(), /Enter a correct email address and password/u);
      assert.equal(await page.getAttribute("#email", "aria-describedby"), "email-error");
      assert.equal((await accountNav(page).locator("a.app-account-nav__link").innerText()).trim(), "Sign in");
      if (javaScriptEnabled) {
        // GOV.UK Frontend moves focus to the summary, and its link to the field.
        await page.waitForFunction(() => document.activeElement?.classList.contains("govuk-error-summary"));
        await errorLink.click();
        await page.waitForFunction(() => document.activeElement?.id === "email");
      } else {
        await errorLink.click();
        await page.waitForURL(`${base}/sign-in#email`);
      }
      await audit(page, javaScriptEnabled, "the sign-in page (with an error)", axe);

      // The right password: the account page names the person, and so does the header.
      await page.fill("#password", password);
      await Promise.all([page.waitForURL(`${base}/account`), page.getByRole("button", { name: "Sign in", exact: true }).click()]);
      assert.equal(await heading(page), "Your account");
      assert.equal(await page.title(), "Your account – Bespoke");
      assert.equal(await summaryValue(page, "Name"), name);
      assert.equal(await summaryValue(page, "Email address"), email);
      assert.equal(await summaryValue(page, "Roles"), "Resident");
      const accountLink = accountNav(page).locator("a.app-account-nav__link");
      assert.equal((await accountLink.innerText()).trim(), name);
      assert.equal(await accountLink.getAttribute("href"), "/account");
      await audit(page, javaScriptEnabled, "the account page", axe);

      await signOutFromHeader(page);
      // The session has ended: the account page sends the visitor to sign in, to come back to it.
      await page.goto(`${base}/account`);
      assert.equal(page.url(), `${base}/sign-in?next=%2Faccount`);
      assert.equal(await heading(page), "Sign in to Bespoke");
      assert.equal(await page.locator('input[name="next"]').getAttribute("value"), "/account");

      assertAccessible(axe);
      assertClean(problems, [422]);
    } finally {
      await context.close();
    }
  });
}

// Every demo account: the role its account page names, and whether it has a record of its own.
const demoAccounts = [
  { email: "resident1@demo.invalid", roles: ["Resident"], resident: true },
  { email: "resident2@demo.invalid", roles: ["Resident"], resident: true },
  { email: "delegate1@demo.invalid", roles: ["Acting for someone"] },
  { email: "coordinator1@demo.invalid", roles: ["Care coordinator"] },
  { email: "provider1@demo.invalid", roles: ["Provider staff (admin) for this organisation"], organisation: true },
  { email: "provider2@demo.invalid", roles: ["Provider staff (editor) for this organisation"], organisation: true },
  { email: "volunteer1@demo.invalid", roles: ["Volunteer"] },
  { email: "commissioner1@demo.invalid", roles: ["Commissioner"] },
  { email: "moderator1@demo.invalid", roles: ["Moderator"] },
  { email: "admin1@demo.invalid", roles: ["System administrator"] },
];

test("each demo role signs in and sees its own account page, JavaScript on", async () => {
  const context = await session.browser.newContext();
  const page = await context.newPage();
  const problems = watch(page);
  const axe = [];
  try {
    for (const account of demoAccounts) {
      await signIn(page, account.email, demoPassword);
      assert.equal(await heading(page), "Your account", account.email);
      assert.equal(await summaryValue(page, "Email address"), account.email);
      const name = await summaryValue(page, "Name");
      assert.ok(name.length > 0, `${account.email} has a name`);
      const roles = await page
        .locator(".govuk-summary-list__row", { has: page.locator("dt", { hasText: "Roles" }) })
        .locator("dd p")
        .allInnerTexts();
      assert.deepEqual(roles.map((r) => r.trim()), account.roles, `the roles of ${account.email}`);
      const orgLinks = page.locator('dd a[href^="/organisations/"]');
      assert.equal(await orgLinks.count(), account.organisation ? 1 : 0, `organisation link for ${account.email}`);
      if (account.organisation) assert.match(await orgLinks.getAttribute("href"), /^\/organisations\/[0-9a-f-]{36}$/u);
      assert.equal((await accountNav(page).locator("a.app-account-nav__link").innerText()).trim(), name,
        `the header names ${account.email}`);
      // The page offers "my information" to residents only.
      assert.equal(
        await page.getByRole("link", { name: "See the information Bespoke holds about you" }).count(),
        account.resident ? 1 : 0,
      );
      await audit(page, true, "the account page", axe);

      const response = await page.goto(`${base}/my-information`);
      if (account.resident) {
        assert.equal(response.status(), 200, `${account.email} may see /my-information`);
        assert.equal(await heading(page), "Your information");
        assert.equal(await summaryValue(page, "Name"), name, "the record is the account holder's");
        assert.equal(await page.getByRole("heading", { name: "Needs", exact: true }).count(), 1);
        assert.equal(await page.getByRole("link", { name: "Who you share your information with" }).count(), 1);
      } else {
        assert.equal(response.status(), 403, `${account.email} may not see /my-information`);
        assert.equal(await heading(page), "You cannot see this page");
        assert.match(await page.locator("main").innerText(), /Error code: 403/u);
      }
      await audit(page, true, account.resident ? "the resident's own record" : "the refusal page (403)", axe);
      // The next account starts afresh (signing out is the first test's; a cookie-less
      // browser is quicker than another page load).
      await context.clearCookies();
    }
    assertAccessible(axe);
    assertClean(problems, [403]);
  } finally {
    await context.close();
  }
});

// A refused or missing record is no reason to look signed out: the header still
// names the account and offers Sign out. (An address that matches no route at
// all is answered before anyone is looked up, with the signed-out header.)
test("error pages keep the signed-in header, JavaScript on", async () => {
  const context = await session.browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, "coordinator1@demo.invalid", demoPassword);
    const name = await summaryValue(page, "Name");
    for (const [path, status] of [
      ["/my-information", 403],
      ["/people/00000000-0000-4000-8000-000000000000", 404],
    ]) {
      const response = await page.goto(`${base}${path}`);
      assert.equal(response.status(), status, path);
      const nav = accountNav(page);
      assert.equal((await nav.locator("a.app-account-nav__link").innerText()).trim(), name, `the header on ${path} (${status}) names the account`);
      assert.equal(await nav.getByRole("button", { name: "Sign out" }).count(), 1, `the header on ${path} offers Sign out`);
    }
  } finally {
    await context.close();
  }
});

for (const javaScriptEnabled of [true, false]) {
  test(`a personal API token: created, used from node, revoked, ${mode(javaScriptEnabled)}`, async () => {
    const context = await session.browser.newContext({ javaScriptEnabled });
    const page = await context.newPage();
    const problems = watch(page);
    const axe = [];
    const email = "volunteer1@demo.invalid";
    const tokenName = `Browser test ${run} ${javaScriptEnabled ? "on" : "off"}`;
    try {
      // Without a token, the API asks for one.
      const anonymous = await fetch(`${base}/api/v1/me`);
      assert.equal(anonymous.status, 401);

      await signIn(page, email, demoPassword);
      await Promise.all([page.waitForURL(`${base}/account/tokens`), page.getByRole("link", { name: "Personal API tokens" }).click()]);
      assert.equal(await heading(page), "Personal API tokens");

      await page.fill("#name", tokenName);
      const scope = page.getByLabel("See who you are and your roles (GET /api/v1/me)");
      assert.ok(await scope.isChecked(), "the /api/v1/me scope is offered, ticked");
      const [created] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${base}/account/tokens` && r.request().method() === "POST"),
        page.getByRole("button", { name: "Create token" }).click(),
      ]);
      assert.equal(created.status(), 201);
      await page.waitForLoadState("load");
      assert.equal((await page.locator(".govuk-panel__title").innerText()).trim(), "Token created");
      const token = (await page.locator("#new-token").innerText()).trim();
      assert.match(token, /^bsp_[A-Za-z0-9_-]{20,}$/u);
      const row = page.locator("tbody tr").filter({ has: page.locator("td", { hasText: new RegExp(`^${escape(tokenName)}$`, "u") }) });
      assert.equal(await row.count(), 1, "the new token is listed");
      assert.match(await row.innerText(), /use_own_account/u);
      await audit(page, javaScriptEnabled, "the tokens page with a new token", axe);

      // The token works from outside the browser, which holds no cookie for node.
      const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(me.status, 200);
      assert.match(me.headers.get("content-type"), /^application\/json/u);
      const body = await me.json();
      assert.equal(body.email, email);
      assert.deepEqual(body.roles, [{ role: "volunteer" }]);
      assert.deepEqual(body.scopes, ["use_own_account"]);
      assert.equal(body.name, (await accountNav(page).locator("a.app-account-nav__link").innerText()).trim());

      // Revoked: the row says so and the API refuses the token.
      await Promise.all([
        page.waitForResponse((r) => r.url() === `${base}/account/tokens` && r.request().method() === "GET"),
        row.getByRole("button", { name: `Revoke ${tokenName}` }).click(),
      ]);
      await page.waitForLoadState("load");
      assert.equal(page.url(), `${base}/account/tokens`);
      assert.equal(await page.locator("#new-token").count(), 0, "the token is not shown again");
      assert.match(await row.innerText(), /Revoked \d{4}-\d{2}-\d{2}/u);
      assert.equal(await row.getByRole("button").count(), 0);
      const refused = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get("www-authenticate") ?? "", /error="invalid_token"/u);
      assert.match(refused.headers.get("content-type"), /^application\/problem\+json/u);

      assertAccessible(axe);
      assertClean(problems);
    } finally {
      await context.close();
    }
  });
}
