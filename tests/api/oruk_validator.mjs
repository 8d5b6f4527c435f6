// A replay of the Open Referral UK validator's checks (OpenReferralUK/
// oruk-validator, summarised in data/reference/hsds/README.md §4) against a
// running feed: discovery from the base URL, every GET operation of the ORUK
// 3.0 OpenAPI description (collection endpoints first), schema validation of
// every 2xx body, pagination (first, middle and last pages) and up to ten
// random ids per {id} endpoint. Returns the findings grouped by level.
import { orukErrors, orukOpenapi } from "./schemas.mjs";

function isOptional(operation) {
  return (operation.tags || []).some((t) => t.toLowerCase() === "optional");
}

function parametersOf(operation) {
  return (operation.parameters || []).map((p) => (p.$ref ? p.$ref.split("/").pop() : p.name));
}

async function getJson(url) {
  const response = await fetch(url, { headers: { accept: "application/json" } });
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body };
}

// seed: makes the choice of "random" ids repeatable in tests.
export async function validateFeed(baseUrl, { seed = 1 } = {}) {
  const base = baseUrl.replace(/\/+$/u, "");
  const findings = [];
  const note = (level, endpoint, code, detail) => findings.push({ level, endpoint, code, detail });

  const discovery = await getJson(base);
  const version = String(discovery.body?.version ?? "").replace(/^HSDS-UK-/u, "").replace(/^[Vv]/u, "");
  if (discovery.status < 200 || discovery.status > 299 || !(parseFloat(version) === 3)) {
    note(1, "/", "DISCOVERY_FAILED", `status ${discovery.status}, version ${discovery.body?.version}`);
    return summarise(findings);
  }

  let random = seed;
  const nextRandom = () => {
    random = (random * 1103515245 + 12345) % 2147483648;
    return random;
  };

  const operations = Object.entries(orukOpenapi.paths)
    .map(([path, item]) => ({ path, operation: item.get }))
    .filter((o) => o.operation)
    .sort((a, b) => Number(a.path.includes("{")) - Number(b.path.includes("{")));
  const idsByCollection = new Map();

  for (const { path, operation } of operations) {
    const level = isOptional(operation) ? 2 : 1;
    const schema = operation.responses["200"].content["application/json"].schema.$ref;
    const check = (endpoint, response) => {
      if (response.status < 200 || response.status > 299) {
        note(level, endpoint, level === 1 ? "REQUIRED_ENDPOINT_FAILED" : "OPTIONAL_ENDPOINT_NON_SUCCESS",
          `status ${response.status}`);
        return false;
      }
      if (response.headers.get("access-control-allow-origin") !== "*") {
        note(level, endpoint, "CORS_MISSING", "no Access-Control-Allow-Origin: *");
      }
      for (const e of orukErrors(schema, response.body)) note(level, endpoint, "SCHEMA", e);
      return true;
    };

    if (path.includes("{id}")) {
      const collection = path.replace("/{id}", "");
      const ids = [...new Set(idsByCollection.get(collection) || [])].filter((id) => typeof id === "string");
      if (ids.length === 0) {
        note(level, path, "NO_IDS", `no ids from ${collection}`);
        continue;
      }
      const chosen = new Set();
      while (chosen.size < Math.min(10, ids.length)) chosen.add(ids[nextRandom() % ids.length]);
      for (const id of chosen) check(path.replace("{id}", id), await getJson(base + path.replace("{id}", id)));
      continue;
    }

    if (!parametersOf(operation).includes("page")) {
      check(path, await getJson(base + path));
      continue;
    }
    const first = await getJson(`${base}${path}?page=1`);
    if (!check(`${path}?page=1`, first)) continue;
    const items = first.body?.contents ?? [];
    if (items.length === 0) {
      note(level, path, "EMPTY_FEED_WARNING", "page 1 is empty");
      continue;
    }
    const ids = items.map((item) => item.id);
    const totalPages = first.body.total_pages ?? 1;
    const pages = new Set();
    if (totalPages > 1) pages.add(totalPages);
    if (totalPages > 2) pages.add(Math.floor(totalPages / 2));
    for (const p of pages) {
      const response = await getJson(`${base}${path}?page=${p}`);
      if (check(`${path}?page=${p}`, response)) ids.push(...(response.body.contents ?? []).map((item) => item.id));
    }
    idsByCollection.set(path, ids);
  }
  return summarise(findings);
}

// Level 1 (required endpoints) and level 2 (optional ones) pass when nothing
// failed: a schema error anywhere fails the feed, as the validator's
// DeterminePaginatedEndpointStatus does; a non-2xx optional endpoint only warns.
function summarise(findings) {
  const failing = (level) =>
    findings.filter((f) => f.level === level && f.code !== "OPTIONAL_ENDPOINT_NON_SUCCESS" && f.code !== "EMPTY_FEED_WARNING");
  return {
    level1: failing(1).length === 0,
    level2: failing(2).length === 0 && failing(1).length === 0,
    findings,
  };
}
