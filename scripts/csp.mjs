// Pins the built index.html under a Content-Security-Policy without 'unsafe-inline': hashes
// the inline scripts (Trunk's loader, which changes with every build, and the boot, crash and
// offline scripts Trunk inlines), writes the policy as a <meta> tag and into csp.txt for
// webmasters who can set the header instead. Also moves the requests for the app's module to
// the top of the page, so the browser starts the largest download first.
// Usage: node scripts/csp.mjs dist
import { readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";

const dist = process.argv[2] ?? "dist";
const indexPath = join(dist, "index.html");
let html = readFileSync(indexPath, "utf8");

const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
  (m) => `'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`,
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

// Trunk appends its preload links at the end of <head>; first in line is better. The wasm's
// `integrity` is dropped: browsers ignore it on a fetch preload, and say so in the console.
const preloads = [];
html = html.replace(/<link rel="(?:modulepreload|preload)"[^>]*>/g, (link) => {
  preloads.push(link.replace(/ integrity="[^"]*"(?=[^>]* as="fetch")/, ""));
  return "";
});
// The module first: the largest download, and the one the first screen waits for longest.
preloads.sort((a, b) => Number(b.includes(".wasm")) - Number(a.includes(".wasm")));
if (!preloads.some((l) => l.includes('rel="preload"') && l.includes(".wasm"))) {
  console.error("csp: no preload of the .wasm found in index.html (has Trunk changed its output?)");
  process.exit(1);
}
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, "");
html = html.replace(
  /<meta charset="utf-8">/i,
  `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">\n  ${preloads.join("\n  ")}`,
);
writeFileSync(indexPath, html);
writeFileSync(join(dist, "csp.txt"), `Content-Security-Policy: ${policy}\n`);
console.log(`csp: ${hashes.length} inline script(s) hashed into dist/index.html and dist/csp.txt`);
