// Pins the built index.html under a Content-Security-Policy without 'unsafe-inline': hashes
// the inline scripts (Trunk's loader, which changes with every build, and the boot, crash and
// offline scripts Trunk inlines), writes the policy as a <meta> tag and into csp.txt for
// webmasters who can set the header instead. Also orders the requests for the app's files
// (below).
// Usage: node scripts/csp.mjs dist
import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { minifyScript } from "./minify.mjs";

const dist = process.argv[2] ?? "dist";
const indexPath = join(dist, "index.html");
let html = readFileSync(indexPath, "utf8");

// Minified before they are hashed (scripts/minify.mjs); the page's own comments go too.
const inline = /<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g;
const minified = await Promise.all(
  [...html.matchAll(inline)].map((m) => minifyScript(m[2], { module: /type="module"/.test(m[1]) })),
);
let next = 0;
html = html.replace(inline, (_, attributes) => `<script${attributes}>${minified[next++]}</script>`);
html = html.replace(/<!--[\s\S]*?-->\s*/g, "");

const hashes = [...html.matchAll(inline)].map(
  (m) => `'sha256-${createHash("sha256").update(m[2], "utf8").digest("base64")}'`,
);

export const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(" ")}`.trim(),
  // No 'unsafe-inline': Leptos sets styles through the CSSOM, which the policy allows, and the
  // SVG charts (src/domain/charts.rs) carry presentation attributes, no style attribute or
  // <style> block (charts-rs writes those only for animations and tooltips, both off).
  // e2e/csp.test.mjs fails on any violation.
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join("; ");

// Trunk appends its preload links at the end of <head>; the page asks for them in this order:
// the glue and the parts' loader first (top of <head>), then the stylesheets, then the module
// (right after the last stylesheet Home needs). Small first: over one link the bytes of the
// first request go first, and with the module first the render-blocking CSS waited behind its
// 300 KB — the page stayed blank until almost usable (boot message at 2.4 s instead of 0.9 s on
// slow 4G, CPU 4× slower; usable-at is the same either way, README «Tốc độ tải»). The wasm's
// `integrity` is dropped: browsers ignore it on a fetch preload, and say so in the console.
const preloads = [];
html = html.replace(/<link rel="(?:modulepreload|preload)"[^>]*>/g, (link) => {
  preloads.push(link.replace(/ integrity="[^"]*"(?=[^>]* as="fetch")/, ""));
  return "";
});
const isModule = (l) => l.includes('rel="preload"') && l.includes(".wasm");
const wasm = preloads.filter(isModule);
// The stylesheets of the screens Home does not show are not fetched before it can be used: a
// disabled stylesheet is not downloaded; src/adapters/styles.rs enables them with the first part
// of the module, whose code alone draws their classes.
const ON_DEMAND = ["assessment", "dashboard", "report", "criteria"];
const onDemand = [];
html = html.replace(/<link rel="stylesheet" href="[^"]*\/([a-z]+)-[0-9a-f]+\.css"[^>]*>/g, (link, name) => {
  if (!ON_DEMAND.includes(name)) return link;
  onDemand.push(name);
  return link.replace(/\s*\/?>$/, " disabled data-on-demand>");
});
if (onDemand.length !== ON_DEMAND.length) {
  console.error(`csp: on-demand stylesheets ${ON_DEMAND} not all found in index.html (found ${onDemand})`);
  process.exit(1);
}
const stylesheets = [...html.matchAll(/<link rel="stylesheet"(?![^>]*data-on-demand)[^>]*>/g)];
if (wasm.length !== 1 || stylesheets.length === 0) {
  console.error("csp: no preload of the .wasm or no stylesheet found in index.html (has Trunk changed its output?)");
  process.exit(1);
}
const last = stylesheets.at(-1);
const afterCss = last.index + last[0].length;
html = `${html.slice(0, afterCss)}\n  ${wasm[0]}${html.slice(afterCss)}`;
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, "");
html = html.replace(
  /<meta charset="utf-8">/i,
  `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">\n  ${preloads.filter((l) => !isModule(l)).join("\n  ")}`,
);
writeFileSync(indexPath, html);
writeFileSync(join(dist, "csp.txt"), `Content-Security-Policy: ${policy}\n`);
console.log(`csp: ${hashes.length} inline script(s) hashed into dist/index.html and dist/csp.txt`);
