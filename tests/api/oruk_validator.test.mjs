// The validator replay itself is tested against the ORUK validator's own
// fixture feeds, served by a small in-process server: the Default feed must
// pass both levels, the Fail feed must fail level 1.
import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { after, before, test } from "node:test";

import { validateFeed } from "./oruk_validator.mjs";

const mocks = new URL("../../data/reference/hsds/oruk-validator/mocks/", import.meta.url);

// The fixture files, routed the way the validator asks for them.
function fixtureFile(feed, path) {
  const routes = [
    [/^\/$/u, "api_details"],
    [/^\/services$/u, "service_list"],
    [/^\/services\/[^/]+$/u, "service_full"],
    [/^\/organizations$/u, "organization_list"],
    [/^\/organizations\/[^/]+$/u, feed === "V3.0-UK-Default" ? "organization" : "organization_full"],
    [/^\/service_at_locations$/u, "service_at_location_list"],
    [/^\/service_at_locations\/[^/]+$/u, "service_at_location_full"],
    [/^\/taxonomies$/u, "taxonomy_list"],
    [/^\/taxonomies\/[^/]+$/u, "taxonomy"],
    [/^\/taxonomy_terms$/u, "taxonomy_term_list"],
    [/^\/taxonomy_terms\/[^/]+$/u, "taxonomy_term"],
  ];
  const match = routes.find(([pattern]) => pattern.test(path));
  return match ? new URL(`${feed}/${match[1]}.json`, mocks) : undefined;
}

let server;
let port;
before(async () => {
  server = createServer((request, response) => {
    const [feed, ...rest] = new URL(request.url, "http://x").pathname.split("/").filter(Boolean);
    const file = fixtureFile(feed, `/${rest.join("/")}`);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" });
    response.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = server.address().port;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test("the validator's passing fixture feed passes levels 1 and 2", async () => {
  const result = await validateFeed(`http://127.0.0.1:${port}/V3.0-UK-Default`);
  assert.deepEqual(result.findings, []);
  assert.equal(result.level1, true);
  assert.equal(result.level2, true);
});

test("the validator's failing fixture feed fails level 1", async () => {
  const result = await validateFeed(`http://127.0.0.1:${port}/V3.0-UK-Fail`);
  assert.equal(result.level1, false);
  assert.ok(result.findings.some((f) => f.code === "DISCOVERY_FAILED" || f.code === "SCHEMA"));
});
