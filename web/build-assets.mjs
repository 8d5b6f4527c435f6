#!/usr/bin/env node
// Builds the files the server serves from OUTDIR (beside the executable: <build>/static).
//
//   node web/build-assets.mjs OUTDIR
//
// OUTDIR/app-<hash>.css             GOV.UK Frontend's precompiled CSS + web/assets/app.css
// OUTDIR/govuk-frontend-<hash>.js   GOV.UK Frontend's ES module
// OUTDIR/app-<hash>.js              web/assets/app.js, importing the hashed module above
// OUTDIR/fonts/*, OUTDIR/images/*   GOV.UK fonts and images (the CSS asks for /assets/fonts/...
//                                   and /assets/images/...; the server maps /assets/ to OUTDIR)
// OUTDIR/site.webmanifest           the web app manifest (icons), from GOV.UK Frontend
// OUTDIR/manifest.json              logical name -> file name, read by src/web/static_files.cpp
//
// <hash> is the first 10 hex digits of the SHA-256 of the file's content. The run is
// deterministic and idempotent: unchanged files are not rewritten, files this script no
// longer produces are removed. It refuses to clean a non-empty folder that is not its own.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const govuk = path.join(here, "node_modules", "govuk-frontend", "dist", "govuk");
const ours = path.join(here, "assets");

function fail(message) {
  console.error(`build-assets: ${message}`);
  process.exit(1);
}

const outArg = process.argv[2];
if (!outArg || process.argv.length > 3) fail("usage: node web/build-assets.mjs OUTDIR");
const outdir = path.resolve(outArg);
if (!fs.existsSync(path.join(govuk, "govuk-frontend.min.css"))) {
  fail(`${govuk} is missing: run "npm ci" in ${here}`);
}

const hash10 = (buffer) => createHash("sha256").update(buffer).digest("hex").slice(0, 10);
const read = (file) => fs.readFileSync(file);
// The source maps are not shipped, so their references go too (no 404s in dev tools).
const withoutSourceMap = (text) => text.replace(/\n?\/[/*][#@] sourceMappingURL=[^\n]*?(\*\/)?\s*$/u, "\n");

const outputs = new Map(); // relative path (with '/') -> Buffer
const manifest = {}; // logical name -> relative path

function emit(logical, relative, content) {
  const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
  outputs.set(relative, buffer);
  if (logical) manifest[logical] = relative;
  return relative;
}

function emitHashed(logical, stem, ext, content) {
  const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8");
  return emit(logical, `${stem}-${hash10(buffer)}.${ext}`, buffer);
}

// Stylesheet: GOV.UK Frontend first, our own rules after (so ours win at equal specificity).
const govukCss = withoutSourceMap(read(path.join(govuk, "govuk-frontend.min.css")).toString("utf8"));
const appCss = read(path.join(ours, "app.css")).toString("utf8");
emitHashed("app.css", "app", "css", `${govukCss.trimEnd()}\n/* Bespoke */\n${appCss}`);

// Scripts: GOV.UK Frontend's module, then ours importing it by its hashed name.
const govukJs = withoutSourceMap(read(path.join(govuk, "govuk-frontend.min.js")).toString("utf8"));
const govukJsName = emitHashed("govuk-frontend.js", "govuk-frontend", "js", govukJs);
const appJsSource = read(path.join(ours, "app.js")).toString("utf8");
const placeholder = "./govuk-frontend.js";
if (!appJsSource.includes(`"${placeholder}"`)) fail(`web/assets/app.js must import from "${placeholder}"`);
emitHashed("app.js", "app", "js", appJsSource.replaceAll(`"${placeholder}"`, `"./${govukJsName}"`));

// Fonts and images, where the CSS refers to them (url(/assets/fonts/...), url(/assets/images/...)).
for (const folder of ["fonts", "images"]) {
  for (const name of fs.readdirSync(path.join(govuk, "assets", folder)).sort()) {
    emit(`${folder}/${name}`, `${folder}/${name}`, read(path.join(govuk, "assets", folder, name)));
  }
}
for (const url of new Set(govukCss.match(/url\([^)]*\)/gu) ?? [])) {
  const target = url.slice(4, -1).replace(/^["']|["']$/gu, "");
  if (!target.startsWith("/assets/")) fail(`unexpected url() in GOV.UK Frontend's CSS: ${target}`);
  if (!outputs.has(target.slice("/assets/".length))) fail(`the CSS refers to ${target}, which is not copied`);
}

// Web app manifest (icons paths are relative to the manifest's own URL).
emit("site.webmanifest", "site.webmanifest", read(path.join(govuk, "assets", "manifest.json")));

// Our own images, if any.
const ownImages = path.join(ours, "images");
if (fs.existsSync(ownImages)) {
  for (const name of fs.readdirSync(ownImages).sort()) {
    emit(`images/${name}`, `images/${name}`, read(path.join(ownImages, name)));
  }
}

const sortedManifest = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
emit(null, "manifest.json", `${JSON.stringify(sortedManifest, null, 2)}\n`);

// Write: only what changed; then remove what is no longer produced.
function listFiles(dir, prefix = "") {
  if (!fs.existsSync(dir)) return [];
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) found.push(...listFiles(path.join(dir, entry.name), relative));
    else found.push(relative);
  }
  return found;
}

// The marker says the folder is ours (written first, so that an interrupted run can be re-run).
const marker = ".bespoke-assets";
const existing = listFiles(outdir);
if (existing.length > 0 && !existing.includes(marker) && !existing.includes("manifest.json")) {
  fail(`${outdir} is not empty and was not made by this script: not cleaning a folder that is not ours`);
}
fs.mkdirSync(outdir, { recursive: true });
const markerText = Buffer.from("Made by web/build-assets.mjs; its files are replaced on every build.\n", "utf8");
if (!existing.includes(marker)) fs.writeFileSync(path.join(outdir, marker), markerText);
outputs.set(marker, markerText);

let written = 0;
for (const [relative, buffer] of outputs) {
  const file = path.join(outdir, ...relative.split("/"));
  if (fs.existsSync(file) && read(file).equals(buffer)) continue;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(temporary, buffer);
  fs.renameSync(temporary, file); // a running server never sees half a file
  written += 1;
}
let removed = 0;
for (const relative of existing) {
  if (outputs.has(relative)) continue;
  fs.rmSync(path.join(outdir, ...relative.split("/")));
  removed += 1;
}
for (const dir of ["fonts", "images"]) {
  const full = path.join(outdir, dir);
  if (fs.existsSync(full) && fs.readdirSync(full).length === 0) fs.rmdirSync(full);
}

console.log(`build-assets: ${outdir}: ${outputs.size - 1} files (${written} written, ${removed} removed); ` +
  `${manifest["app.css"]}, ${manifest["app.js"]}`);
