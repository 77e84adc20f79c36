// Splits the app's module into the part the first screen needs and the parts loaded on first
// use (functions marked `#[wasm_split(...)]`, e.g. the charts: src/ui/views/charts.rs). Trunk
// 0.21 cannot do it itself — the split must happen before wasm-bindgen — so this runs as its
// post_build hook (Trunk.toml): from the module cargo built (kept with its relocations by
// build.rs), wasm-split-cli makes the main module, one .wasm per part and their loader
// `__wasm_split.js`; wasm-bindgen and wasm-opt then do for the main module what Trunk did for
// the unsplit one, and the results replace Trunk's files in the staging directory (in release
// builds minified, scripts/minify.mjs, and named after their content). Before the split,
// charts-rs's font is replaced by its Latin and Vietnamese part (scripts/charts-font.mjs). docs/architecture.md, «Tải theo nhu cầu», says how to use it.
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chartsFont, putInPlace } from "./charts-font.mjs";
import { minifyScript } from "./minify.mjs";

const BIN = "xa-phu-hop-tre-em";
const NAMED_DIR = join("target", "wasm-split");
const staging = process.env.TRUNK_STAGING_DIR;
const release = process.env.TRUNK_PROFILE === "release";
if (!staging) {
  console.error("wasm-split: run by Trunk as a post_build hook (TRUNK_STAGING_DIR is not set)");
  process.exit(1);
}
const raw = join("target", "wasm32-unknown-unknown", release ? "release" : "debug", `${BIN}.wasm`);
const glue = readdirSync(staging).find((f) => f.startsWith(`${BIN}`) && f.endsWith(".js"));
if (!existsSync(raw) || !glue) {
  console.error(`wasm-split: ${raw} or the staged ${BIN}…js is missing`);
  process.exit(1);
}
const stem = glue.slice(0, -".js".length);
const work = mkdtempSync(join(tmpdir(), "wasm-split-"));
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
try {
  const { original, subset } = chartsFont();
  const shipped = join(work, `${BIN}.wasm`);
  writeFileSync(shipped, putInPlace(readFileSync(raw), original, subset));
  run("wasm-split-cli", [shipped, join(work, "split"), "--out-name", stem, "--target", "web"]);
  run("wasm-bindgen", [
    "--target=web",
    "--keep-lld-exports",
    "--no-demangle",
    "--no-typescript",
    `--out-dir=${join(work, "bindgen")}`,
    `--out-name=${stem}`,
    join(work, "split", `${stem}.wasm`),
  ]);
  const parts = readdirSync(join(work, "split")).filter((f) => f.endsWith(".wasm") && f !== `${stem}.wasm`);
  const mainWasm = join(work, "main.wasm");
  const modules = [
    [join(work, "bindgen", `${stem}_bg.wasm`), mainWasm],
    ...parts.map((f) => [join(work, "split", f), join(staging, f)]),
  ];
  for (const [from, to] of modules) {
    // The only wasm-opt pass (index.html turns Trunk's off: its output would be replaced).
    // The producers and target-features sections are read by no browser (and wasm-opt reads the
    // features before it strips them): 0.7 KB brotli over the seven modules.
    // `--converge` repeats the passes while the module still shrinks: 1.6 KB brotli over the
    // seven modules for about 40 s more of a release build (`-Oz` run twice: 0.1 KB).
    // PROFILE_NAMES=1 keeps the function names (`-g`), so that a CPU profile of the release
    // build names them; never for a build that is shipped (the names weigh hundreds of KB).
    if (release) {
      const names = process.env.PROFILE_NAMES === "1" ? ["-g"] : [];
      run("wasm-opt", ["-Oz", "--converge", ...names, "--enable-reference-types", "--strip-producers", "--strip-target-features", from, "-o", to]);
    } else copyFileSync(from, to);
  }
  // The main module as split, before wasm-bindgen strips its function names: what the size
  // report analyses (scripts/size-report.mjs).
  mkdirSync(NAMED_DIR, { recursive: true });
  copyFileSync(join(work, "split", `${stem}.wasm`), join(NAMED_DIR, `${BIN}.wasm`));
  const scripts = [join(work, "bindgen", `${stem}.js`), join(work, "split", "__wasm_split.js")];
  let [glueJs, loaderJs] = scripts.map((f) => readFileSync(f, "utf8"));
  // Release builds name the parts after their content too, and their loader asks for those
  // names: a page open for days without a service worker then never instantiates another
  // build's part against its own module (the part would call the wrong functions), and a
  // browser may keep a part a year.
  if (release) {
    const named = new Map(
      parts.map((f) => {
        const bytes = readFileSync(join(staging, f));
        const to = `${f.slice(0, -".wasm".length)}-${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}.wasm`;
        writeFileSync(join(staging, to), bytes);
        rmSync(join(staging, f));
        return [f, to];
      }),
    );
    const asked = new Set();
    loaderJs = loaderJs.replace(/\.\/([\w-]+\.wasm)(?=["'`])/g, (whole, f) => {
      if (!named.has(f)) return whole;
      asked.add(f);
      return `./${named.get(f)}`;
    });
    const missing = parts.filter((f) => !asked.has(f));
    if (missing.length) {
      console.error(`wasm-split: the loader does not ask for ${missing.join(", ")} by name`);
      process.exit(1);
    }
  }
  if (release) {
    glueJs = await minifyScript(glueJs, { module: true });
    loaderJs = await minifyScript(loaderJs, { module: true });
  }
  // Trunk named the module and its glue after what it built, not after what this script makes
  // of it: the same name could then hold other bytes (another wasm-opt, minifier or split with
  // the same Rust code), and a browser that kept the old file for a year (`immutable`) would
  // load it against the new page. Release builds are named after their final content instead.
  const mainBytes = readFileSync(mainWasm);
  const name = release
    ? `${BIN}-${createHash("sha256").update(mainBytes).update(glueJs).update(loaderJs).digest("hex").slice(0, 16)}`
    : stem;
  // File names only: the module's imports still name their JavaScript module `./<stem>_bg.js`.
  const renamed = (text) =>
    text.split(`${stem}_bg.wasm`).join(`${name}_bg.wasm`).split(`${stem}.js`).join(`${name}.js`);
  rmSync(join(staging, `${stem}_bg.wasm`), { force: true });
  rmSync(join(staging, glue), { force: true });
  writeFileSync(join(staging, `${name}_bg.wasm`), mainBytes);
  writeFileSync(join(staging, `${name}.js`), renamed(glueJs));
  writeFileSync(join(staging, "__wasm_split.js"), renamed(loaderJs));
  if (existsSync(join(work, "bindgen", "snippets"))) {
    cpSync(join(work, "bindgen", "snippets"), join(staging, "snippets"), { recursive: true });
  }

  // The glue changed: its integrity in the page follows, and its loader of the parts is
  // fetched with it rather than one round trip later.
  const indexPath = join(staging, "index.html");
  const sri = "sha384-" + createHash("sha384").update(renamed(glueJs)).digest("base64");
  let html = renamed(readFileSync(indexPath, "utf8"));
  const preload = new RegExp(`(<link rel="modulepreload" href="([^"]*)${name}\\.js"[^>]*integrity=")[^"]*("[^>]*>)`);
  const found = preload.exec(html);
  if (!found) {
    console.error(`wasm-split: no modulepreload of ${name}.js in index.html`);
    process.exit(1);
  }
  html = html.replace(preload, `$1${sri}$3<link rel="modulepreload" href="${found[2]}__wasm_split.js" crossorigin="anonymous">`);
  writeFileSync(indexPath, html);
  const shippedParts = readdirSync(staging).filter((f) => /^(split|chunk)_.*\.wasm$/.test(f));
  console.log(`wasm-split: ${name} and ${parts.length} part(s) loaded on demand: ${shippedParts.join(", ")}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
