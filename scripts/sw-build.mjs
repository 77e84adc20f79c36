// Writes this build's id and file list into dist/sw.js: the service worker precaches exactly
// these files, and since the id is a hash of their contents, a new build means new worker bytes
// (which is what makes browsers install it) and a new cache, while an identical rebuild changes
// nothing. Run after scripts/csp.mjs, which rewrites index.html. Running it again on a copy of
// dist re-stamps that copy (the end-to-end test makes its "next deployment" that way).
// Usage: node scripts/sw-build.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join, relative, sep } from "node:path";
import { minifyScript } from "./minify.mjs";
import { IS_COPY } from "./precompress.mjs";

const dist = process.argv[2] ?? "dist";
// The worker itself, the policy note for webmasters, the JSON schemas for technicians and the
// compressed copies for the web server (scripts/precompress.mjs): not part of the app, so not
// downloaded for offline use.
const NOT_CACHED = (f) =>
  f === "sw.js" || f === "csp.txt" || f.startsWith("schema/") || IS_COPY(f);
// Content-hashed names, Trunk's (`filehash = true`) and those scripts/wasm-split.mjs gives the
// module and its parts: `<name>-<hash>[_bg].<ext>`, the hash a 64-bit number in hex without
// leading zeros in Trunk's (so usually 16 digits, sometimes fewer).
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/;
// The order the worker fetches the build in. On a first visit over a weak link it shares the link
// with the user, who may open a screen before it is done, and files fetched together share the
// link, so the biggest, the screens' part, came last: one stage at a time. First what the
// screens Home links to need (a new assessment, «Tổng hợp», an import: the screens' part and the
// chunks the parts share, the stylesheets, the commune list, the criteria sets), with the page's
// own files (the browser has them already); then the charts (results, «Tổng hợp»); then the rest
// (the criteria screens' part, the icons). Within a stage, by name: biggest first or smallest
// first measured no better (README, «Số đo»).
// A part of the module by its name before scripts/wasm-split.mjs added its content's hash.
const part = (name) => new RegExp(`^${name}(-[0-9a-f]{16})?\\.wasm$`);
const SCREENS_PART = part("split_man_hinh");
const CHARTS_PART = part("split_charts");
const STAGES = [
  (f) =>
    SCREENS_PART.test(f) ||
    part("chunk_\\d+").test(f) ||
    /^(data|criteria)\//.test(f) ||
    f.endsWith(".css") ||
    f === "index.html" ||
    f === "__wasm_split.js" ||
    (HASHED.test(f) && !/^(split|chunk)_/.test(f)),
  (f) => CHARTS_PART.test(f),
];
const LINE = /^const BUILD = .*; \/\/ filled in by scripts\/sw-build\.mjs$/m;

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(relative(dist, path).split(sep).join("/"));
  }
})(dist);
const cached = files.filter((f) => !NOT_CACHED(f)).sort();
const hashed = cached.filter((f) => HASHED.test(f));
if (!cached.includes("index.html") || !hashed.some((f) => f.endsWith(".wasm"))) {
  console.error(`sw-build: ${dist} has no index.html or no hashed .wasm (is Trunk's filehash on?)`);
  process.exit(1);
}

if (!cached.some((f) => SCREENS_PART.test(f)) || !cached.some((f) => CHARTS_PART.test(f))) {
  console.error(`sw-build: ${dist} has no split_man_hinh or split_charts part (were the parts renamed?)`);
  process.exit(1);
}
const stageOf = (f) => [...STAGES.keys()].find((i) => STAGES[i](f)) ?? STAGES.length;
const stages = [...Array(STAGES.length + 1).keys()].map((i) => cached.filter((f) => stageOf(f) === i));

const hash = createHash("sha256");
for (const f of cached) hash.update(f).update("\0").update(readFileSync(join(dist, f))).update("\0");
const build = { id: hash.digest("hex").slice(0, 16), files: cached, hashed, stages };

const swPath = join(dist, "sw.js");
const sw = readFileSync(swPath, "utf8");
const line = LINE.exec(sw);
if (!line) {
  console.error(`sw-build: ${swPath} has no "const BUILD = …; // filled in by scripts/sw-build.mjs" line`);
  process.exit(1);
}
// What follows the BUILD line is minified like the first visit's scripts (scripts/minify.mjs):
// without its comments, about 1 KB less brotli for every visitor. The line itself stays as it is,
// so that a copy can be stamped again.
const rest = await minifyScript(sw.slice(line.index + line[0].length), { module: false });
writeFileSync(
  swPath,
  `"use strict";\nconst BUILD = ${JSON.stringify(build)}; // filled in by scripts/sw-build.mjs\n${rest}\n`,
);
console.log(
  `sw-build: build ${build.id}, ${cached.length} files precached (${hashed.length} hashed) in stages of ` +
    stages.map((s) => s.length).join(", "),
);
