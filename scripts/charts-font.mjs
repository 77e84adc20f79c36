// charts-rs embeds the whole Roboto font (168 KB: Greek, Cyrillic…) only to measure the text of
// the charts, which the page draws with its own fonts. The module the app ships carries the
// Latin and Vietnamese part of it instead (scripts/charts-font/, made by scripts/charts-font.sh;
// tests/charts_font.rs proves the charts measure and draw the same): scripts/wasm-split.mjs
// overwrites the font's bytes in the module cargo built with the part, followed by zeros, so
// that nothing else in the module moves. Anything unexpected stops the build.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = join(dirname(fileURLToPath(import.meta.url)), "charts-font");
export const SUBSET_PATH = join(HERE, "Roboto-latin-vi.ttf");
const ABOUT_PATH = join(HERE, "Roboto-latin-vi.json");

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/// The font charts-rs embeds (read from the crate Cargo.lock resolves) and the part shipped in
/// its place, after checking that the part was made from this very font.
export function chartsFont() {
  const metadata = JSON.parse(
    execFileSync("cargo", ["metadata", "--format-version", "1", "--offline", "--locked"], {
      encoding: "utf8",
      maxBuffer: 64 << 20,
    }),
  );
  const crates = metadata.packages.filter((p) => p.name === "charts-rs");
  if (crates.length !== 1) {
    throw new Error(`charts-font: expected one charts-rs in Cargo.lock, found ${crates.length}`);
  }
  const originalPath = join(dirname(crates[0].manifest_path), "src", "Roboto.ttf");
  const original = readFileSync(originalPath);
  const subset = readFileSync(SUBSET_PATH);
  const about = JSON.parse(readFileSync(ABOUT_PATH, "utf8"));
  if (sha256(original) !== about.source_sha256 || subset.length !== about.subset_bytes) {
    throw new Error(
      `charts-font: ${originalPath} is not the font ${SUBSET_PATH} was made from ` +
        `(${about.source}); run scripts/charts-font.sh and tests/charts_font.rs`,
    );
  }
  return { original, subset };
}

/// `wasm` with the one copy of `original` overwritten by `subset` and zeros up to its length.
export function putInPlace(wasm, original, subset) {
  if (subset.length > original.length) {
    throw new Error("charts-font: the part is larger than the font it replaces");
  }
  const at = wasm.indexOf(original);
  if (at < 0) {
    throw new Error(
      "charts-font: charts-rs's font is not in the module (no longer embedded, or not in one " +
        "piece), so its Latin and Vietnamese part cannot take its place: see scripts/charts-font.mjs",
    );
  }
  if (wasm.indexOf(original, at + 1) >= 0) {
    throw new Error("charts-font: charts-rs's font is in the module more than once");
  }
  const out = Buffer.from(wasm);
  out.fill(0, at, at + original.length);
  subset.copy(out, at);
  return out;
}
