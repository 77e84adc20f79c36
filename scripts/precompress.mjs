// Writes beside each file of the app's code in dist/ (.wasm, .js, .css, but not sw.js) and the
// commune list (data/, replaced only by a new build: README, «Danh mục đơn vị hành chính») its
// brotli (`.br`, quality 11) and gzip (`.gz`, level 9) copy, for hosts that serve such copies
// (nginx `brotli_static` / `gzip_static`, Apache rewrites, Caddy `precompressed`: docs/hosting.md,
// «Nén»). A host compressing on the fly uses a fast setting — nginx's gzip level 1 makes the main
// module 346 KB where brotli 11 makes it 249 KB — and a phone on a weak link pays the difference.
// Only files no one edits by hand after the build: a copy left beside a file changed later would
// be served in its place, so index.html, sw.js, the criteria sets (a province publishes its own
// in place) and the schemas get none. Run last (after scripts/sw-build.mjs, which does not
// precache the copies).
// Usage: node scripts/precompress.mjs dist
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** The files that get copies, by their path relative to dist (with `/`). */
export const PRECOMPRESSED = (file) =>
  (/\.(wasm|js|css)$/.test(file) && file !== "sw.js") || /^data\/.*\.json$/.test(file);
/** A copy's suffix and how to make it; `make size` and the service worker skip such files. */
export const COPIES = [
  [".br", (bytes) => brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })],
  [".gz", (bytes) => gzipSync(bytes, { level: 9 })],
];
export const IS_COPY = (file) => /\.(br|gz)$/.test(file);

if (import.meta.url === `file://${process.argv[1]}`) {
  const dist = process.argv[2] ?? "dist";
  let count = 0;
  let before = 0;
  let after = 0;
  (function walk(dir, prefix) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const file = prefix + name;
      if (statSync(path).isDirectory()) walk(path, `${file}/`);
      else if (PRECOMPRESSED(file)) {
        const bytes = readFileSync(path);
        for (const [suffix, compress] of COPIES) {
          const copy = compress(bytes);
          writeFileSync(path + suffix, copy);
          if (suffix === ".br") after += copy.length;
        }
        before += bytes.length;
        count += 1;
      }
    }
  })(dist, "");
  console.log(`precompress: ${count} files (${before} B) with .br (${after} B) and .gz copies`);
}
