// Bespoke's script. Pages work without it: it only enhances GOV.UK Frontend components.
// It is a module loaded from our own origin (the CSP is script-src 'self'), so the
// classes GOV.UK Frontend's template sets with an inline snippet are set here instead.
// build-assets.mjs rewrites the import below to the content-hashed module file.
import { initAll } from "./govuk-frontend.js";

const body = document.body;
body.classList.add("js-enabled");
// Only browsers that run ES modules get here, which is what this class means.
body.classList.add("govuk-frontend-supported");

initAll();
