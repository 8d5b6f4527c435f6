// JSON Schema validators for the HSDS API, offline: the Open Referral UK 3.0
// schemas (their absolute $refs mapped to the copies in data/reference) and
// the HSDS 3.1 schemas. npm ajv with formats, draft 2020-12, not strict
// (the schemas carry non-JSON-Schema keywords such as "datapackage_metadata").
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../web/package.json", import.meta.url));
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const reference = new URL("../../data/reference/hsds/", import.meta.url);
export const orukBase = "https://openreferraluk.org/specifications/3.0/schema/";
const hsdsBase = "https://bespoke.invalid/hsds-3.1/schema/";

function readJson(url) {
  return JSON.parse(readFileSync(url, "utf8"));
}

function schemaFolder(ajv, folder, base) {
  for (const name of readdirSync(folder).filter((n) => n.endsWith(".json") && n !== "openapi.json")) {
    const schema = readJson(new URL(name, folder));
    delete schema.$schema;
    schema.$id = base + name;
    ajv.addSchema(schema);
  }
}

function newAjv() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

const orukAjv = newAjv();
schemaFolder(orukAjv, new URL("oruk-3.0/schema/", reference), orukBase);
const hsdsAjv = newAjv();
schemaFolder(hsdsAjv, new URL("hsds-3.1/schema/", reference), hsdsBase);

// HSDS 3.1's Page, with `empty` required as 3.1.1 made it.
const hsdsOpenapi = readJson(new URL("hsds-3.1/schema/openapi.json", reference));
const page = structuredClone(hsdsOpenapi.components.schemas.Page);
page.required = [...new Set([...(page.required || []), "empty"])];
page.$id = hsdsBase + "page.json";
hsdsAjv.addSchema(page);

export const orukOpenapi = readJson(new URL("oruk-3.0/openapi.json", reference));

function errorsOf(validate) {
  return (validate.errors || []).map((e) => `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
}

// Validates a body against an ORUK schema URL (as the ORUK openapi.json names it); [] when valid.
export function orukErrors(schemaUrl, body) {
  const validate = orukAjv.getSchema(schemaUrl);
  if (!validate) throw new Error(`no ORUK schema ${schemaUrl}`);
  return validate(body) ? [] : errorsOf(validate);
}

// Validates one record against the HSDS 3.1 schema of its entity; [] when valid.
export function hsdsErrors(entity, body) {
  const validate = hsdsAjv.getSchema(`${hsdsBase}${entity}.json`);
  if (!validate) throw new Error(`no HSDS 3.1 schema for ${entity}`);
  return validate(body) ? [] : errorsOf(validate);
}

// Validates an HSDS page: the Page fields, and each item against its entity.
export function hsdsPageErrors(entity, body) {
  const validatePage = hsdsAjv.getSchema(`${hsdsBase}page.json`);
  const errors = validatePage(body) ? [] : errorsOf(validatePage);
  if (!Array.isArray(body.contents)) return [...errors, "/contents is not an array"];
  body.contents.forEach((item, i) => {
    for (const e of hsdsErrors(entity, item)) errors.push(`/contents/${i}${e}`);
  });
  return errors;
}
