// Co-produced care and support plans, in a real browser against a server run
// with --demo. resident1 goes from "Your information" to "Your support plan",
// writes About me and what matters to them, adds a goal and a daughter who
// helps, saves the options Bespoke proposes, writes the advice and who took
// part on "Your plan", agrees it, and finds each version with what changed.
// And coordinator1 works on the same plan with resident1 beside them: from
// the caseload's "Support plan", records a Care Act assessment (an eligible
// need) and a personal budget, saves the options, writes the advice, records
// resident1's agreement (refused first without the "is with me" tick) and
// signs the plan off for the council. Pages are audited with axe (WCAG 2.2 AA)
// when JavaScript is on; both journeys also run with it off.
// The town keeps what earlier runs left (more versions, an assessment, a
// budget, goals and helpers): nothing here assumes a first version, and each
// run's words are its own, so the tests can run again on the same server.
//
//   BESPOKE_URL=http://127.0.0.1:8080 node --test tests/browser/plan.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import {
  assertAccessible,
  assertClean,
  auditOncePerPage,
  baseUrl,
  escapeRegExp as escape,
  fieldsetOf as group,
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
const coordinator = "coordinator1@demo.invalid";
const run = runId();
const audit = auditOncePerPage();
const need = "Mental health and wellbeing"; // resident1's need in the demo town

let session;
before(async () => {
  session = await launchBrowser();
});
after(async () => {
  await session?.close();
});




// The text of an element, with its white space made single spaces.
const textOf = async (locator) => (await locator.innerText()).replace(/\s+/gu, " ").trim();

// The status of a step in the plan overview's task list.
const stepStatus = async (page, label) =>
  textOf(page.locator(".govuk-task-list__item").filter({
    has: page.getByRole("link", { name: label, exact: true }),
  }).locator(".govuk-task-list__status"));

// "Version N: status." on "Your plan": N and the status.
async function planStatus(page) {
  const text = await textOf(page.locator("#plan-status"));
  const found = text.match(/^Version (\d+): (.+?)\. Every version$/u);
  assert.ok(found, `the plan's status reads "Version N: ...": ${text}`);
  return { version: Number(found[1]), status: found[2] };
}

// A version's card on the versions page: its "when by whom. status." line and its changes.
async function versionCard(page, version) {
  const card = page.locator(`#version-${version}`);
  assert.equal(await card.count(), 1, `version ${version} is listed`);
  assert.equal(await textOf(card.locator(".govuk-summary-card__title")), `Version ${version}`);
  return {
    line: await textOf(card.locator(".govuk-summary-card__content p")),
    changes: (await card.locator("li").allInnerTexts()).map((c) => c.trim()),
  };
}

// resident1's Bespoke reference, name and plan address, read from "Your information".
async function residentOwnRecord(page) {
  await page.goto(`${base}/my-information`);
  assert.equal(await heading(page), "Your information");
  const reference = await summaryValue(page, "Bespoke reference");
  assert.match(reference, /^[0-9a-f-]{36}$/u);
  return { reference, name: await summaryValue(page, "Name"), plan: `/plan/${reference}` };
}

for (const javaScriptEnabled of [true, false]) {
  test(`a resident builds their own plan and agrees it, ${mode(javaScriptEnabled)}`, async () => {
    const tag = `${run}-${javaScriptEnabled ? "on" : "off"}`;
    const hopeWords = "To go to the café with friends again";
    const hope = `${hopeWords} (${tag})`;
    const helperName = "Sam Harris";
    const adviceMeeting = `Try the wellbeing group on Tuesday evenings; Sam comes along at first (${tag}).`;
    const advicePreventing = `Keep a weekly walk with Sam, and call the GP if sleep gets worse (${tag}).`;
    const axe = [];
    const me = await signedIn(session.browser, resident, javaScriptEnabled);
    try {
      // From "Your information" to the plan, by its link.
      const { plan, name } = await residentOwnRecord(me.page);
      await follow(me.page, "Your support plan", plan);
      assert.equal(await heading(me.page), "Your support plan");
      assert.match(await textOf(me.page.locator("main")), /Your plan is yours: you decide what support suits your life\./u);
      assert.deepEqual(
        (await me.page.locator(".govuk-task-list__link").allInnerTexts()).map((t) => t.trim()),
        ["About me", "What matters to me", "Needs and goals", "Options: compare and choose", "My plan: check and agree"],
      );
      await audit(me.page, javaScriptEnabled, "the plan's overview, the person's own", axe);

      // About me: saved, on to what matters.
      await follow(me.page, "About me", `${plan}/about-me`);
      assert.equal(await heading(me.page), "About me");
      await me.page.getByLabel("What should people call you?", { exact: true }).fill("Maggie");
      await me.page.getByLabel("How you communicate, and how people should communicate with you", { exact: true })
        .fill("I like things written down, and time to think before I answer.");
      await me.page.getByLabel("What a good day looks like for you", { exact: true })
        .fill(`A walk to the park, a coffee, and a chat with my daughter (${tag}).`);
      await audit(me.page, javaScriptEnabled, "About me", axe);
      await submit(me.page, me.page.getByRole("button", { name: "Save and continue", exact: true }), `${plan}/what-matters`);

      // What matters: a language, a time, how and how far they travel.
      assert.equal(await heading(me.page), "What matters to you");
      await group(me.page, "Languages you can be supported in").getByLabel("English", { exact: true }).check();
      await group(me.page, "When suits you").getByLabel("Tuesday evenings", { exact: true }).check();
      await group(me.page, "How you get about").getByLabel("Walking", { exact: true }).check();
      await me.page.getByLabel("How long are you happy to travel, each way, in minutes?", { exact: true }).fill("25");
      await audit(me.page, javaScriptEnabled, "What matters", axe);
      await submit(me.page, me.page.getByRole("button", { name: "Save and continue", exact: true }), `${plan}/needs`);

      // Needs and goals: resident1's need, a goal about it, and a daughter who helps with it.
      assert.equal(await heading(me.page), "Your needs and goals");
      assert.match(await textOf(me.page.locator("main")), new RegExp(`Needs ${escape(need)}`, "u"));
      // The goal and the daughter an earlier run added are taken off first, so each is listed once.
      const rowsNamed = (key) => me.page.locator(".govuk-summary-list__row").filter({
        has: me.page.locator("dt", { hasText: key }),
      });
      const earlierGoals = () => rowsNamed(new RegExp(`^${escape(hopeWords)} \\(`, "u"));
      for (let left = await earlierGoals().count(); left > 0; left -= 1) {
        await submit(me.page, earlierGoals().first().getByRole("button", { name: /^Remove the goal: /u }), `${plan}/needs`);
      }
      assert.equal(await earlierGoals().count(), 0);
      const daughter = () => rowsNamed(new RegExp(`^${escape(helperName)} \\(daughter\\)$`, "u"));
      for (let left = await daughter().count(); left > 0; left -= 1) {
        await submit(me.page, daughter().first().getByRole("button", { name: `Remove ${helperName}`, exact: true }), `${plan}/needs`);
      }
      assert.equal(await daughter().count(), 0);

      await me.page.getByLabel("What do you hope for?", { exact: true }).fill(hope);
      await me.page.getByLabel("How will you know it has happened?", { exact: true }).fill("I will have been twice in a month.");
      await group(me.page, "Which need is it about?").getByLabel(need, { exact: true }).check();
      await submit(me.page, me.page.getByRole("button", { name: "Add the goal", exact: true }), `${plan}/needs`);
      assert.equal(await me.page.locator(".govuk-error-summary").count(), 0);
      const goal = rowsNamed(new RegExp(`^${escape(hope)}$`, "u"));
      assert.equal(await goal.count(), 1, "the goal is listed");
      assert.equal(await textOf(goal.locator(".govuk-summary-list__value")), `I will have been twice in a month. ${need}`);

      await me.page.getByLabel("Their name", { exact: true }).fill(helperName);
      await me.page.getByLabel("Who they are to you", { exact: true }).fill("daughter");
      await group(me.page, "What they help with").getByLabel(need, { exact: true }).check();
      await group(me.page, "When they can help").getByLabel("Saturday afternoons", { exact: true }).check();
      await submit(me.page, me.page.getByRole("button", { name: "Add them", exact: true }), `${plan}/needs`);
      assert.equal(await me.page.locator(".govuk-error-summary").count(), 0);
      assert.equal(await daughter().count(), 1, "the daughter is listed");
      assert.equal(await textOf(daughter().locator(".govuk-summary-list__value")), need);
      await audit(me.page, javaScriptEnabled, "Needs and goals", axe);

      // Options: each need has a choice made already (Bespoke's proposal); saved as they are.
      await follow(me.page, "Continue to options", `${plan}/options`);
      assert.equal(await heading(me.page), "Your options");
      const needGroup = group(me.page, need);
      assert.equal(await needGroup.count(), 1, "the need has its options");
      assert.ok(await needGroup.locator("input[type=radio]").count() >= 3, "options, my own idea and none");
      assert.equal(await needGroup.getByLabel("My own idea", { exact: true }).count(), 1);
      assert.equal(await needGroup.getByLabel("None of these for now", { exact: true }).count(), 1);
      assert.equal(await needGroup.locator("input[type=radio]:checked").count(), 1, "one choice is proposed");
      assert.match(await textOf(needGroup), /Tuesday evening, as you asked/u, "the options say how they fit the times given");
      await audit(me.page, javaScriptEnabled, "Options, the person's own", axe);
      // resident1 prefers an idea of their own (new each run, so each run makes a new version).
      await needGroup.getByLabel("My own idea", { exact: true }).check();
      await needGroup.getByLabel("Your own idea (if you chose it)", { exact: true }).fill(`A walk with my neighbour on Tuesdays (${tag})`);
      await submit(me.page, me.page.getByRole("button", { name: "Save these choices", exact: true }), `${plan}/my-plan`);
      assert.match(await textOf(me.page.locator("#support")), new RegExp(`A walk with my neighbour on Tuesdays \\(${escape(tag)}\\)`, "u"));

      // Your plan: the new version is a draft; the advice and who took part make another.
      assert.equal(await heading(me.page), "Your plan");
      const chosen = await planStatus(me.page);
      assert.equal(chosen.status, "Draft: not agreed yet");
      assert.ok(await me.page.locator("#support tbody tr").count() + await me.page.locator("#gaps li").count() >= 1,
        "the plan lists the need, met or not yet");
      await me.page.getByLabel("Advice on meeting or reducing the needs", { exact: true }).fill(adviceMeeting);
      await me.page.getByLabel("Advice on preventing or delaying future needs", { exact: true }).fill(advicePreventing);
      await me.page.getByLabel("Who took part in making this plan", { exact: true })
        .fill(`${name}, the person\n${helperName}, daughter`);
      await submit(me.page, me.page.getByRole("button", { name: "Save as a new version", exact: true }), `${plan}/my-plan`);
      assert.equal(await me.page.locator(".govuk-error-summary").count(), 0);
      const written = await planStatus(me.page);
      assert.equal(written.version, chosen.version + 1, "saving made a new version");
      assert.equal(written.status, "Draft: not agreed yet");
      assert.equal(await me.page.inputValue("#advice_meeting"), adviceMeeting);
      assert.equal(await me.page.locator("#missing").count(), 0, "nothing is missing before it can be agreed");
      await audit(me.page, javaScriptEnabled, "Your plan, a draft", axe);

      // resident1 agrees it.
      await submit(me.page, me.page.getByRole("button", { name: "I agree this plan", exact: true }), `${plan}/my-plan`);
      assert.equal(await me.page.locator(".govuk-error-summary").count(), 0);
      assert.deepEqual(await planStatus(me.page), { version: written.version, status: "Agreed, waiting for the council's sign-off" });
      assert.match(await textOf(me.page.locator("#agreed")), new RegExp(`^Agreed on ${today()} \\(${escape(me.name)}[,)]`, "u"));
      assert.equal(await me.page.getByRole("button", { name: "I agree this plan", exact: true }).count(), 0);
      assert.equal(await me.page.getByRole("button", { name: "Sign off for the council", exact: true }).count(), 0,
        "only the council signs off");
      await audit(me.page, javaScriptEnabled, "Your plan, agreed", axe);

      // Every version, newest first, each with what changed.
      await follow(me.page, "Every version", `${plan}/versions`);
      assert.equal(await heading(me.page), "Versions of your plan");
      const titles = (await me.page.locator(".govuk-summary-card__title").allInnerTexts()).map((t) => t.trim());
      assert.equal(titles[0], `Version ${written.version}`);
      assert.equal(titles[1], `Version ${chosen.version}`);
      const agreed = await versionCard(me.page, written.version);
      assert.match(agreed.line, new RegExp(`^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2} by ${escape(me.name)}\\. Agreed, waiting for the council's sign-off\\.$`, "u"));
      assert.ok(agreed.changes.includes("Changed the advice on meeting needs"), agreed.changes.join("; "));
      assert.ok(agreed.changes.includes("Changed the advice on preventing future needs"), agreed.changes.join("; "));
      const draft = await versionCard(me.page, chosen.version);
      assert.match(draft.line, new RegExp(`^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2} by ${escape(me.name)}\\. Draft: not agreed yet\\.$`, "u"));
      await audit(me.page, javaScriptEnabled, "Versions, the person's own", axe);

      // Back on the overview, every step is done.
      await follow(me.page, "Back to the plan", plan);
      for (const step of ["About me", "What matters to me", "Needs and goals", "Options: compare and choose", "My plan: check and agree"]) {
        assert.equal(await stepStatus(me.page, step), "Done", `"${step}" is done`);
      }
      assert.match(await textOf(me.page.locator("main")),
        new RegExp(`Version ${written.version} of the plan: Agreed, waiting for the council's sign-off\\.`, "u"));

      assertAccessible(axe);
      assertClean(me.problems);
    } finally {
      await me.context.close();
    }
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`a coordinator makes the plan with the person, records their agreement and signs it off, ${mode(javaScriptEnabled)}`, async () => {
    const tag = `${run}-${javaScriptEnabled ? "on" : "off"}`;
    // A budget unlike the last run's: an unchanged plan makes no new version, and each run needs one.
    let pence = "00";
    const axe = [];
    const [them, me] = await Promise.all([
      signedIn(session.browser, coordinator, javaScriptEnabled),
      signedIn(session.browser, resident, javaScriptEnabled),
    ]);
    try {
      const { plan, name, reference } = await residentOwnRecord(me.page);

      // From coordinator1's caseload to resident1's plan; their record links to it too.
      await follow(them.page, "Your caseload", "/caseload");
      assert.equal(await heading(them.page), "Your caseload");
      await follow(them.page, `Support plan (${name})`, plan);
      assert.equal(await heading(them.page), `Support plan: ${name}`);
      assert.match(await textOf(them.page.locator("main")),
        new RegExp(`Work through these steps with ${escape(name)}: the plan is theirs, in their words\\.`, "u"));
      await audit(them.page, javaScriptEnabled, "the plan's overview, for a coordinator", axe);
      await them.page.goto(`${base}/people/${reference}`);
      assert.equal(await heading(them.page), name);
      assert.equal(await them.page.getByRole("link", { name: "Their support plan", exact: true }).getAttribute("href"), plan);
      await them.page.goto(`${base}${plan}`);

      // The Care Act assessment: from an impairment, two outcomes not achieved, a significant impact.
      await follow(them.page, "Assessment and budget", `${plan}/assessment`);
      assert.equal(await heading(them.page), `Assessment and budget: ${name}`);
      await group(them.page, "Do the needs arise from a physical or mental impairment or illness?")
        .getByLabel("Yes", { exact: true }).check();
      await them.page.getByLabel("The impairment or illness", { exact: true }).fill("Anxiety and depression, diagnosed in 2019.");
      await group(them.page, "Managing and maintaining nutrition")
        .getByLabel("Unable to achieve it without assistance", { exact: true }).check();
      await them.page.fill("#outcome_nutrition_why", `"On bad days I don't eat until evening." (${tag})`);
      await group(them.page, "Making use of local facilities and services, including public transport and recreation")
        .getByLabel("Only with significant pain, distress or anxiety", { exact: true }).check();
      await them.page.fill("#outcome_community_why", `"I turn back at the bus stop when it is busy." (${tag})`);
      await group(them.page, "Is there, or is there likely to be, a significant impact on their wellbeing?")
        .getByLabel("Yes", { exact: true }).check();
      await them.page.getByLabel("The impact on their wellbeing", { exact: true }).fill("Isolated at home most days.");
      await group(them.page, "Which of their needs will the council meet?").getByLabel(need, { exact: true }).check();
      await audit(them.page, javaScriptEnabled, "Assessment and budget", axe);
      await submit(them.page, them.page.getByRole("button", { name: "Record the assessment", exact: true }), `${plan}/assessment`);
      assert.equal(await them.page.locator(".govuk-error-summary").count(), 0);
      assert.match(await textOf(them.page.locator("#decision")),
        new RegExp(`^Eligible for care and support \\(assessed ${today()} by ${escape(them.name)}\\)`, "u"));

      // The personal budget.
      const before = (await them.page.locator("#budget-now").count()) ? await textOf(them.page.locator("#budget-now")) : "";
      const last = /£150\.(\d\d) a week/u.exec(before);
      if (last) pence = String((Number(last[1]) + 1) % 100).padStart(2, "0");
      await them.page.getByLabel("Indicative personal budget, per week", { exact: true }).fill(`150.${pence}`);
      await them.page.getByLabel("The person's contribution, per week", { exact: true }).fill("20.00");
      await group(them.page, "How the budget is managed").getByLabel("The council arranges the support", { exact: true }).check();
      await them.page.getByLabel("Direct payment, per week", { exact: true }).fill("0");
      await submit(them.page, them.page.getByRole("button", { name: "Set the budget", exact: true }), `${plan}/assessment`);
      assert.equal(await them.page.locator(".govuk-error-summary").count(), 0);
      assert.equal(await textOf(them.page.locator("#budget-now")),
        `Now: £150.${pence} a week; the person pays £20.00, the council £130.${pence}.`);
      await audit(them.page, javaScriptEnabled, "Assessment and budget, assessed", axe);

      // Options: the need is now the council's to meet; the proposal is saved.
      await follow(them.page, "Back to the plan", plan);
      assert.match(await textOf(them.page.locator("#budget")), new RegExp(`Indicative personal budget: £150\\.${pence} a week\\.`, "u"));
      await follow(them.page, "Options: compare and choose", `${plan}/options`);
      assert.equal(await heading(them.page), `Options: ${name}`);
      assert.match(await textOf(them.page.locator("main")), new RegExp(`Budget: £150\\.${pence} a week\\.`, "u"));
      const needGroup = group(them.page, need);
      assert.match(await textOf(needGroup), /The council will meet this need/u);
      assert.equal(await needGroup.locator("input[type=radio]:checked").count(), 1, "one choice is proposed");
      await audit(them.page, javaScriptEnabled, "Options, for a coordinator", axe);
      await submit(them.page, them.page.getByRole("button", { name: "Save these choices", exact: true }), `${plan}/my-plan`);

      // The plan: the eligible need met, the budget; advice and who took part saved as a new version.
      assert.equal(await heading(them.page), `Plan: ${name}`);
      const chosen = await planStatus(them.page);
      assert.equal(chosen.status, "Draft: not agreed yet");
      const eligibleLine = them.page.locator("#support tbody tr").filter({ hasText: need });
      assert.ok(await eligibleLine.count() >= 1, "the eligible need has support");
      assert.match(await textOf(eligibleLine.first().locator("td").first()), /Eligible/u);
      assert.match(await summaryValue(them.page, "Personal budget"),
        new RegExp(`^£150\\.${pence} a week \\(£20\\.00 from the person, £130\\.${pence} from the council\\)$`, "u"));
      await them.page.getByLabel("Advice on meeting or reducing the needs", { exact: true })
        .fill(`The wellbeing group, with a support worker for the first weeks (${tag}).`);
      await them.page.getByLabel("Advice on preventing or delaying future needs", { exact: true })
        .fill(`A review in three months; the GP if things get worse (${tag}).`);
      await them.page.getByLabel("Who took part in making this plan", { exact: true })
        .fill(`${name}, the person\n${them.name}, care coordinator`);
      await submit(them.page, them.page.getByRole("button", { name: "Save as a new version", exact: true }), `${plan}/my-plan`);
      assert.equal(await them.page.locator(".govuk-error-summary").count(), 0);
      const written = await planStatus(them.page);
      assert.equal(written.version, chosen.version + 1, "saving made a new version");
      assert.equal(await them.page.locator("#missing").count(), 0, "nothing is missing before it can be agreed");

      // Recording their agreement without the tick: refused, 422, the summary links to the box.
      const agree = them.page.getByRole("button", { name: "Record that they agree this plan", exact: true });
      const refused = await submit(them.page, agree, `${plan}/agree`);
      assert.equal(refused.status(), 422);
      assert.equal(await them.page.title(), `Error: Plan: ${name} – Bespoke`);
      const errorLink = them.page.locator(".govuk-error-summary__list a");
      assert.equal(await errorLink.count(), 1);
      assert.equal((await errorLink.innerText()).trim(), `Tick to confirm ${name} is with you and agrees this plan`);
      assert.equal(await errorLink.getAttribute("href"), "#person_present");
      assert.match(await them.page.locator("#person_present-error").innerText(), /Tick to confirm/u);
      // Checked at the end, so that the journey goes on to the sign-off either way.
      const describedBy = await them.page.locator("#person_present").getAttribute("aria-describedby") ?? "";
      assert.equal((await planStatus(them.page)).status, "Draft: not agreed yet", "nothing was agreed");
      if (javaScriptEnabled) {
        // GOV.UK Frontend moves focus to the summary, and its link to the box.
        await them.page.waitForFunction(() => document.activeElement?.classList.contains("govuk-error-summary"));
        await errorLink.click();
        await them.page.waitForFunction(() => document.activeElement?.id === "person_present");
      } else {
        await errorLink.click();
        await them.page.waitForURL(`${base}${plan}/agree#person_present`);
      }
      await audit(them.page, javaScriptEnabled, "the plan, agreement refused", axe);

      // With resident1 there and the box ticked: agreed, with the person.
      await them.page.getByLabel(`${name} is with me and agrees this plan`, { exact: true }).check();
      await submit(them.page, agree, `${plan}/my-plan`);
      assert.equal(await them.page.locator(".govuk-error-summary").count(), 0);
      assert.deepEqual(await planStatus(them.page), { version: written.version, status: "Agreed, waiting for the council's sign-off" });
      assert.equal(await textOf(them.page.locator("#agreed")), `Agreed on ${today()} (${them.name}, with the person).`);
      await audit(them.page, javaScriptEnabled, "the plan, agreed, for a coordinator", axe);

      // Signed off for the council.
      await submit(them.page, them.page.getByRole("button", { name: "Sign off for the council", exact: true }), `${plan}/my-plan`);
      assert.equal(await them.page.locator(".govuk-error-summary").count(), 0);
      assert.deepEqual(await planStatus(them.page), { version: written.version, status: "Agreed and signed off" });
      assert.equal(await textOf(them.page.locator("#signed-off")),
        `Signed off for the council on ${today()} by ${them.name}.`);
      assert.equal(await them.page.getByRole("button", { name: "Sign off for the council", exact: true }).count(), 0);
      assert.equal(await agree.count(), 0);

      // resident1 sees the same: their plan agreed and signed off, and who did what.
      await me.page.goto(`${base}${plan}/my-plan`);
      assert.deepEqual(await planStatus(me.page), { version: written.version, status: "Agreed and signed off" });
      await me.page.goto(`${base}${plan}/versions`);
      const signed = await versionCard(me.page, written.version);
      assert.match(signed.line, new RegExp(`by ${escape(them.name)}\\. Agreed and signed off\\.$`, "u"));
      assert.ok(signed.changes.includes("Changed the advice on meeting needs"), signed.changes.join("; "));

      assertAccessible(axe);
      assertClean(them.problems, [422]);
      assertClean(me.problems);
      assert.match(describedBy, /(^| )person_present-error( |$)/u,
        "the refused box is described by its error message (aria-describedby), as GOV.UK Frontend's checkboxes are");
    } finally {
      await me.context.close();
      await them.context.close();
    }
  });
}
