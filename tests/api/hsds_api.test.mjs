// The open data APIs of a running server (BESPOKE_URL), checked offline
// against the standards' schemas: every /hsds endpoint against the Open
// Referral UK 3.0 schemas and the HSDS 3.1 schemas, the ORUK validator's
// level 1 and 2 checks replayed, and /api/v1/services against our own
// OpenAPI description.
import { strict as assert } from "node:assert";
import { test } from "node:test";
import { createRequire } from "node:module";

import { validateFeed } from "./oruk_validator.mjs";
import { hsdsErrors, hsdsPageErrors, orukBase, orukErrors } from "./schemas.mjs";

const require = createRequire(new URL("../../web/package.json", import.meta.url));
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const base = (process.env.BESPOKE_URL || "").replace(/\/+$/u, "");
if (!base) throw new Error("set BESPOKE_URL to the running server");
const hsds = `${base}/hsds`;

async function get(url) {
  const response = await fetch(url);
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

async function getOk(url) {
  const r = await get(url);
  assert.equal(r.status, 200, `${url}: ${JSON.stringify(r.body).slice(0, 300)}`);
  assert.equal(r.headers.get("access-control-allow-origin"), "*", `${url}: CORS`);
  assert.match(r.headers.get("content-type"), /^application\/json/u);
  return r.body;
}

// Checks a list endpoint's page against both schema sets; returns the page.
async function checkList(path, orukSchema, entity) {
  const page = await getOk(`${hsds}${path}`);
  assert.deepEqual(orukErrors(orukBase + orukSchema, page), [], `${path} against ORUK ${orukSchema}`);
  assert.deepEqual(hsdsPageErrors(entity, page), [], `${path} against HSDS 3.1 ${entity}`);
  return page;
}

async function checkRecord(path, orukSchema, entity) {
  const record = await getOk(`${hsds}${path}`);
  assert.deepEqual(orukErrors(orukBase + orukSchema, record), [], `${path} against ORUK ${orukSchema}`);
  assert.deepEqual(hsdsErrors(entity, record), [], `${path} against HSDS 3.1 ${entity}`);
  return record;
}

function noNulls(value, path = "") {
  if (value === null || value === "") assert.fail(`${path} is ${JSON.stringify(value)}: optional fields must be omitted`);
  if (Array.isArray(value)) value.forEach((v, i) => noNulls(v, `${path}/${i}`));
  else if (typeof value === "object") for (const [k, v] of Object.entries(value)) noNulls(v, `${path}/${k}`);
}

test("the feed passes the ORUK validator's level 1 and level 2 checks", async () => {
  const result = await validateFeed(hsds);
  assert.deepEqual(result.findings, []);
  assert.ok(result.level1 && result.level2);
});

test("api details name the UK profile", async () => {
  const details = await getOk(hsds);
  assert.deepEqual(orukErrors(`${orukBase}api_details.json`, details), []);
  assert.equal(details.version, "HSDS-UK-3.0");
});

test("services: pages, search and every UK filter validate, with AND semantics", async () => {
  const first = await checkList("/services?page=1&per_page=5", "service_list.json", "service");
  assert.equal(first.page_number, 1);
  assert.equal(first.size, 5);
  assert.ok(first.total_items > 5);
  for (const item of first.contents) noNulls(item);

  const full = await checkRecord(`/services/${first.contents[0].id}`, "service.json", "service");
  noNulls(full);
  assert.ok(full.organization_id);

  const terms = await checkList("/taxonomy_terms?per_page=100", "taxonomy_term_list.json", "taxonomy_term");
  const term = terms.contents.find((t) => t.taxonomy === "bespokeNeed") ?? terms.contents[0];
  const byTerm = await checkList(`/services?taxonomy_term_id=${term.id}&per_page=10`, "service_list.json", "service");
  const withSearch = await checkList(`/services?taxonomy_term_id=${term.id}&search=support&per_page=10`,
    "service_list.json", "service");
  assert.ok(withSearch.total_items <= byTerm.total_items, "AND: adding search cannot widen the result");

  for (const query of ["search=advice", "minimum_age=18", "maximum_age=65", "day=MO&start_time=09:00&end_time=17:00",
    `taxonomy_id=${term.taxonomy_id}`, "full=true&per_page=2", "minimal=true&per_page=3"]) {
    await checkList(`/services?${query}`, "service_list.json", "service");
  }
});

test("a page past the end is an empty HSDS page", async () => {
  const page = await checkList("/services?page=99999&per_page=100", "service_list.json", "service");
  assert.equal(page.empty, true);
  assert.deepEqual(page.contents, []);
  assert.equal(page.page_number, 99999);
});

test("service_at_locations, near a postcode too, organizations and taxonomies validate", async () => {
  const sals = await checkList("/service_at_locations?per_page=5", "service_at_location_list.json", "service_at_location");
  const sal = await checkRecord(`/service_at_locations/${sals.contents[0].id}`, "service_at_location.json",
    "service_at_location");
  const postcode = sal.location?.addresses?.[0]?.postal_code;
  assert.ok(postcode, "a demo location has a postcode");
  const near = await checkList(`/service_at_locations?postcode=${encodeURIComponent(postcode)}&proximity=3000`,
    "service_at_location_list.json", "service_at_location");
  assert.ok(near.total_items >= 1);

  const orgs = await checkList("/organizations?per_page=5", "organization_list.json", "organization");
  await checkRecord(`/organizations/${orgs.contents[0].id}`, "organization.json", "organization");
  const taxonomies = await checkList("/taxonomies", "taxonomy_list.json", "taxonomy");
  await checkRecord(`/taxonomies/${taxonomies.contents[0].id}`, "taxonomy.json", "taxonomy");
  const top = await checkList("/taxonomy_terms?top_only=true&per_page=50", "taxonomy_term_list.json", "taxonomy_term");
  assert.ok(top.contents.every((t) => !t.parent_id));
  await checkRecord(`/taxonomy_terms/${top.contents[0].id}`, "taxonomy_term.json", "taxonomy_term");
});

test("bad parameters are 400 problem+json naming the parameter, with CORS", async () => {
  const cases = [
    ["/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000", "taxonomy_term_id"],
    ["/services?taxonomy_term_id=not-a-uuid", "taxonomy_term_id"],
    ["/services?per_page=100000", "per_page"],
    ["/services?page=0", "page"],
    ["/services?minimum_age=-1", "minimum_age"],
    ["/services?minimum_age=abc", "minimum_age"],
    ["/services?day=Funday", "day"],
    ["/services?day=MO&start_time=25:00", "start_time"],
    ["/services?search=" + encodeURIComponent("x".repeat(500)), "search"],
    ["/services?colour=blue", "colour"],
    ["/service_at_locations?postcode=NOT%20A%20POSTCODE", "postcode"],
    ["/service_at_locations?postcode=ZZ99%209ZZ&proximity=-5", "proximity"],
    ["/services/not-a-uuid", "id"],
  ];
  for (const [path, field] of cases) {
    const r = await get(`${hsds}${path}`);
    assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
    assert.equal(r.headers.get("content-type"), "application/problem+json");
    assert.equal(r.headers.get("access-control-allow-origin"), "*");
    assert.equal(r.body.field, field, path);
  }
  const missing = await get(`${hsds}/services/00000000-0000-4000-8000-000000000000`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get("access-control-allow-origin"), "*");
  const injected = await get(`${hsds}/services?search=${encodeURIComponent("'; DROP TABLE service; --")}`);
  assert.equal(injected.status, 200);
  assert.equal((await getOk(`${hsds}/services?per_page=1`)).total_items > 0, true, "nothing was dropped");
});

test("/api/v1/services answers as its OpenAPI description says", async () => {
  const spec = await getOk(`${base}/api/v1/openapi.json`);
  assert.equal(spec.openapi, "3.1.0");
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "api", components: spec.components });
  const validate = ajv.compile({ $ref: "api#/components/schemas/SearchResponse" });
  const problem = ajv.compile({ $ref: "api#/components/schemas/Problem" });

  const sal = (await getOk(`${hsds}/service_at_locations?per_page=1&full=true`)).contents[0];
  const postcode = sal.location.addresses[0].postal_code;
  const queries = ["", "q=advice", `postcode=${encodeURIComponent(postcode)}&radius_km=5`,
    `q=support&postcode=${encodeURIComponent(postcode)}&kind=charity&kind=community_led&cost=free`,
    "open_now=true&has_capacity=true&age=30&language=en", "per_page=0"];
  for (const query of queries) {
    const body = await getOk(`${base}/api/v1/services?${query}`);
    assert.ok(validate(body), `${query}: ${JSON.stringify(validate.errors)}`);
  }
  const near = await getOk(`${base}/api/v1/services?postcode=${encodeURIComponent(postcode)}&sort=distance`);
  const distances = near.results.map((r) => r.distance_m);
  assert.deepEqual(distances, [...distances].sort((a, b) => a - b), "sorted by distance");

  for (const [query, field] of [["radius_km=9999", "radius_km"], ["lat=91&lon=0", "lat"], ["kind=bank", "kind"],
    ["need=unheard_of", "need"], ["sort=distance", "sort"], ["open_at=tomorrow", "open_at"]]) {
    const r = await get(`${base}/api/v1/services?${query}`);
    assert.equal(r.status, 400, query);
    assert.ok(problem(r.body), `${query}: ${JSON.stringify(problem.errors)}`);
    assert.equal(r.body.field, field, query);
  }
});
