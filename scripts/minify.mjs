// The JavaScript the first visit downloads, without its comments and with short local names:
// the wasm-bindgen glue and the parts' loader (scripts/wasm-split.mjs, release builds) and the
// scripts inlined in index.html (scripts/csp.mjs, before they are hashed). About 4 KB less
// brotli before the first screen is usable. The sources keep their comments; top-level names of
// the classic scripts are kept, as other scripts and the app call them.
import { minify } from "terser";

/** `code` minified; `module` for ES modules (their own scope), otherwise a classic script. */
export async function minifyScript(code, { module }) {
  const out = await minify(code, {
    module,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  if (typeof out.code !== "string") throw new Error("terser returned no code");
  return out.code;
}
