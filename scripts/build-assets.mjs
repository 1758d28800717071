// Builds static/dist/ from the npm packages: the council stylesheet (Sass over
// GOV.UK Frontend) and GOV.UK Frontend's JavaScript. Run by the setup command.
import { compile } from "sass";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "dist");
mkdirSync(out, { recursive: true });

const result = compile(join(root, "assets", "scss", "council.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
if (result.css.includes("GDS Transport")) {
  throw new Error("the stylesheet must not use the GDS Transport font");
}
writeFileSync(join(out, "council.css"), result.css);

const frontend = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
copyFileSync(join(frontend, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
const version = JSON.parse(
  readFileSync(join(root, "node_modules", "govuk-frontend", "package.json"), "utf8"),
).version;
writeFileSync(join(out, "VERSION"), `govuk-frontend ${version}\n`);
console.log(`built static/dist with govuk-frontend ${version}`);
