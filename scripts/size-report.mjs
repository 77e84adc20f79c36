// Size report of the built files:
//   1. raw, gzip and brotli bytes of every file, and the brotli total beside the budget;
//   2. "bytes before usable": what a first visit downloads (brotli-serving host, Chromium, empty
//      cache) until the first screen can be used, measured in the browser, beside its target, and
//      a failure when it passes the budget;
//   3. what the app's WebAssembly module is made of, by contributor (twiggy);
//   4. a failure when the total or the bytes before usable grow more than 5% past the baseline
//      (scripts/size-baseline.json), so that they cannot creep back.
// Usage: node scripts/size-report.mjs dist [--write-baseline]
// The baseline moves only by hand, on purpose: `make size-baseline` after a build whose sizes
// are the new reference (the commit says why).
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { homedir } from "node:os";
import { execFileSync } from "node:child_process";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { launch } from "../e2e/harness.mjs";
import { serveDist } from "./serve-dist.mjs";
import { IS_COPY } from "./precompress.mjs";

// The one place the budget lives: what a user on a weak connection downloads, compressed.
// Started at 350 KB (issue 2); raised to 600 KB in Nov 2026 when the whole product, then one
// module, measured 547 KB. Since the screens Home does not need are parts fetched on demand
// (issue 15), the budget fails on what must arrive before anything can be used; the total of
// every part is printed against it — over it since durable storage, the criteria editor and the
// appraisal screens — and held by issue 15's rule instead: no growth past +5% of the baseline.
const BROTLI_BUDGET_BYTES = 600_000;
// The product owner's target for the first visit (issue 15), not a budget to move.
const BEFORE_USABLE_TARGET_BYTES = 280_000;
const BASELINE = new URL("./size-baseline.json", import.meta.url);
const CREEP = 0.05;
// The app's main module as scripts/wasm-split.mjs left it, before wasm-bindgen and wasm-opt:
// the one with function names, so twiggy can say whose code is whose.
const NAMED_WASM = "target/wasm-split/xa-phu-hop-tre-em.wasm";
const DATA = "data: texts of the screens and messages, tables";

const root = process.argv[2] ?? "dist";
const writeBaseline = process.argv.includes("--write-baseline");
const failures = [];

// 1. Every file (not the web server's compressed copies of some: the same bytes again).
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (!IS_COPY(name)) files.push(path);
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
const kb = (b) => `${(b / 1000).toFixed(1)} KB`;
console.log(`${"file".padEnd(width)} ${num("raw")} ${num("gzip")} ${num("brotli")}`);
for (const r of rows) console.log(`${r.file.padEnd(width)} ${num(r.raw)} ${num(r.gzip)} ${num(r.brotli)}`);
console.log(`${"total".padEnd(width)} ${num(total.raw)} ${num(total.gzip)} ${num(total.brotli)}`);
console.log(
  `brotli total ${total.brotli} B against the budget of ${BROTLI_BUDGET_BYTES} B` +
    (total.brotli > BROTLI_BUDGET_BYTES
      ? ` — OVER by ${kb(total.brotli - BROTLI_BUDGET_BYTES)} (held by the baseline below, not raised)`
      : " — within"),
);

// 2. Bytes before usable, in the browser.
const beforeUsable = await measureBeforeUsable();
console.log(
  `\nbytes before usable (first visit, brotli, Chromium, until «Các bản tự đánh giá» can be used): ` +
    `${beforeUsable.bytes} B = ${kb(beforeUsable.bytes)}; target ≤ ${kb(BEFORE_USABLE_TARGET_BYTES)}` +
    (beforeUsable.bytes > BEFORE_USABLE_TARGET_BYTES
      ? ` — NOT MET, ${kb(beforeUsable.bytes - BEFORE_USABLE_TARGET_BYTES)} over`
      : " — met"),
);
for (const [what, bytes] of beforeUsable.byFile) console.log(`  ${String(bytes).padStart(8)} B  ${what}`);
if (beforeUsable.bytes > BROTLI_BUDGET_BYTES) {
  failures.push(`bytes before usable ${beforeUsable.bytes} B exceed the budget of ${BROTLI_BUDGET_BYTES} B`);
}

// 3. The module by contributor.
const wasmRow = rows.find((r) => /^xa-phu-hop-tre-em-.*_bg\.wasm$/.test(r.file));
if (!existsSync(NAMED_WASM)) {
  failures.push(`${NAMED_WASM} is missing: run make dist first`);
} else {
  console.log(
    `\nthe app's module (${kb(wasmRow.brotli)} brotli) by contributor: embedded files at their own ` +
      `brotli size, the rest shared out by twiggy's sizes before wasm-opt (${NAMED_WASM}):`,
  );
  for (const [who, bytes] of contributors(NAMED_WASM, wasmRow.brotli)) {
    console.log(`  ≈ ${kb(bytes).padStart(9)}  ${(bytes / wasmRow.brotli * 100).toFixed(1).padStart(5)}%  ${who}`);
  }
}

// 4. The baseline.
const measured = { before_usable_bytes: beforeUsable.bytes, total_brotli_bytes: total.brotli };
if (writeBaseline) {
  writeFileSync(
    BASELINE,
    JSON.stringify({ ...measured, written: new Date().toISOString().slice(0, 10) }, null, 2) + "\n",
  );
  console.log(`\nsize: baseline written to scripts/size-baseline.json: ${JSON.stringify(measured)}`);
} else {
  const baseline = JSON.parse(readFileSync(BASELINE, "utf8"));
  console.log(`\nbaseline (scripts/size-baseline.json, ${baseline.written}); fails past +${CREEP * 100}%:`);
  for (const [key, label] of [
    ["before_usable_bytes", "bytes before usable"],
    ["total_brotli_bytes", "brotli total"],
  ]) {
    const growth = measured[key] / baseline[key] - 1;
    console.log(`  ${label}: ${measured[key]} B against ${baseline[key]} B (${(growth * 100).toFixed(1)}%)`);
    if (growth > CREEP) {
      failures.push(
        `${label} ${measured[key]} B is more than ${CREEP * 100}% above the baseline ${baseline[key]} B ` +
          "(put the new part in the on-demand part: docs/architecture.md, «Tải theo nhu cầu»)",
      );
    }
  }
}

if (failures.length) {
  for (const f of failures) console.error(`size: ${f}`);
  process.exit(1);
}
console.log(
  `size: bytes before usable ${beforeUsable.bytes} B within the budget of ${BROTLI_BUDGET_BYTES} B; ` +
    "total and bytes before usable within 5% of the baseline",
);

/** A first visit with an empty cache; every byte the page receives until Home can be used. */
async function measureBeforeUsable() {
  const server = await serveDist(root, { brotli: true });
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    const urls = new Map();
    const byUrl = new Map();
    cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url));
    cdp.on("Network.loadingFinished", (e) => {
      const url = urls.get(e.requestId) ?? "?";
      byUrl.set(url, (byUrl.get(url) ?? 0) + e.encodedDataLength);
    });
    await page.goto(server.url);
    await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
    await page.locator("#boot").waitFor({ state: "detached" });
    const snapshot = new Map(byUrl);
    await context.close();
    const byFile = [...snapshot]
      .map(([url, bytes]) => [url.startsWith(server.url) ? url.slice(server.url.length) || "index.html" : url, bytes])
      .sort((a, b) => b[1] - a[1]);
    return { bytes: byFile.reduce((t, [, b]) => t + b, 0), byFile };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Brotli bytes of the shipped module by crate or part of the app, largest first. */
function contributors(wasm, shipped) {
  const items = JSON.parse(
    execFileSync("twiggy", ["top", "-n", "1000000", "-f", "json", wasm], {
      maxBuffer: 256 * 1024 * 1024,
    }),
  );
  const groups = new Map();
  let counted = 0;
  for (const { name, shallow_size: size } of items) {
    // Custom sections, wasm-bindgen's descriptions and the export and import entries are gone
    // from the shipped module (or a few bytes there).
    if (/^("function names" subsection|custom section|section headers|wasm magic bytes|export |import )/.test(name)) continue;
    if (name.includes("__wbindgen_describe")) continue;
    const who = contributor(name);
    groups.set(who, (groups.get(who) ?? 0) + size);
    counted += size;
  }
  // The data segment is one item for twiggy: the files embedded in it are named apart, at
  // their own compressed size; the rest of the module is shared out by size.
  const bytes = readFileSync(wasm);
  const embedded = [];
  for (const [what, blob] of embeddedFiles()) {
    if (blob && bytes.indexOf(blob) >= 0) {
      groups.set(DATA, groups.get(DATA) - blob.length);
      counted -= blob.length;
      embedded.push([what, brotliCompressSync(blob).length]);
    }
  }
  const rest = shipped - embedded.reduce((t, [, b]) => t + b, 0);
  const sorted = [...embedded, ...[...groups].map(([who, size]) => [who, (size / counted) * rest])].sort(
    (a, b) => b[1] - a[1],
  );
  const shown = sorted.filter(([, b]) => b >= shipped / 100);
  const small = sorted.slice(shown.length).reduce((t, [, b]) => t + b, 0);
  return [...shown, [`${sorted.length - shown.length} smaller contributors`, small]];
}

/** Files compiled into the module whose bytes can be found in it. */
function embeddedFiles() {
  const registry = join(process.env.CARGO_HOME ?? join(homedir(), ".cargo"), "registry", "src");
  const version = /name = "charts-rs"\nversion = "([^"]+)"/.exec(readFileSync("Cargo.lock", "utf8"))?.[1];
  const roboto = existsSync(registry)
    ? readdirSync(registry)
        .map((index) => join(registry, index, `charts-rs-${version}`, "src", "Roboto.ttf"))
        .find(existsSync)
    : undefined;
  return [
    ["data: the Roboto font charts-rs embeds to measure text", roboto && readFileSync(roboto)],
    ["data: the built-in criteria set (public/criteria/qd-06-2019.json)", readFileSync("public/criteria/qd-06-2019.json")],
  ];
}

function contributor(name) {
  if (name.startsWith("data segment")) return DATA;
  if (/^(elem|table|type|import|export|global|memory)\b/.test(name) || name.startsWith("__wbindgen")) {
    return "wasm-bindgen glue, tables, imports";
  }
  // The app's own functions; Leptos code made for its views counts as Leptos.
  const app = /xa_phu_hop_tre_em::(ui|domain|adapters|routes)\b/.exec(name);
  if (app) return `app: src/${app[1]}`;
  const crate = /([a-z_][a-z0-9_]*)::/.exec(name)?.[1] ?? "other";
  const FAMILIES = {
    leptos: /^(leptos\w*|reactive_graph|tachys|any_spawner|either_of|oco_ref|throw_error|server_fn|hydration_context|send_wrapper|next_tuple|or_poisoned|guardian|slotmap|reactive_stores\w*)$/,
    "Rust std (core, alloc, std, allocator, hash maps)": /^(core|alloc|std|compiler_builtins|dlmalloc|hashbrown|indexmap)$/,
    "serde, serde_json": /^(serde\w*|ryu|itoa|memchr|zmij)$/,
    "wasm-bindgen, js-sys, web-sys, gloo": /^(wasm_bindgen\w*|js_sys|web_sys|gloo\w*|console_error_panic_hook)$/,
    "charts-rs, ttf-parser": /^(charts_rs|ttf_parser|arc_swap)$/,
  };
  for (const [family, re] of Object.entries(FAMILIES)) if (re.test(crate)) return family;
  return crate;
}
