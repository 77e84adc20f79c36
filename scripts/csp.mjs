// Pins the built index.html under a Content-Security-Policy without 'unsafe-inline': hashes
// Trunk's inline loader script (it changes with every build), writes the policy as a <meta> tag
// and into csp.txt for webmasters who can set the header instead.
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

html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, "");
html = html.replace(
  /<meta charset="utf-8">/i,
  `<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">`,
);
writeFileSync(indexPath, html);
writeFileSync(join(dist, "csp.txt"), `Content-Security-Policy: ${policy}\n`);
console.log(`csp: ${hashes.length} inline script(s) hashed into dist/index.html and dist/csp.txt`);
