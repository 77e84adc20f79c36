// Size report of the built files: raw, gzip and brotli bytes of every file, and a failure when the
// brotli total passes the budget. Usage: node scripts/size-report.mjs dist
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

// The one place the budget lives: what a user on a weak connection downloads, compressed.
// Started at 350 KB; the full product measured 547 KB (Nov 2026): about 150 KB is charts-rs
// with the Roboto font it embeds to measure text, 27 KB the official list of 3,321 communes,
// the rest Leptos and the app's own screens. 600 KB leaves room to grow and still catches a
// careless dependency.
const BROTLI_BUDGET_BYTES = 600_000;

const root = process.argv[2] ?? "dist";
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
})(root);
files.sort();

const rows = files.map((path) => {
  const bytes = readFileSync(path);
  return {
    file: relative(root, path),
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
    }).length,
  };
});
const total = rows.reduce(
  (t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }),
  { raw: 0, gzip: 0, brotli: 0 },
);

const width = Math.max(...rows.map((r) => r.file.length), 5);
const num = (n) => String(n).padStart(10);
console.log(`${"file".padEnd(width)} ${num("raw")} ${num("gzip")} ${num("brotli")}`);
for (const r of rows) console.log(`${r.file.padEnd(width)} ${num(r.raw)} ${num(r.gzip)} ${num(r.brotli)}`);
console.log(`${"total".padEnd(width)} ${num(total.raw)} ${num(total.gzip)} ${num(total.brotli)}`);

if (total.brotli > BROTLI_BUDGET_BYTES) {
  console.error(`size: brotli total ${total.brotli} B exceeds the budget of ${BROTLI_BUDGET_BYTES} B`);
  process.exit(1);
}
console.log(`size: brotli total ${total.brotli} B within the budget of ${BROTLI_BUDGET_BYTES} B`);
