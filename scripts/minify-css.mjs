// Release builds ship the style sheets without their comments and spaces: about 2.4 KB brotli
// less in all, 0.7 KB of it before the first screen is usable. The sources keep their comments.
// Trunk's post_build hook, after scripts/wasm-split.mjs (Trunk.toml). Trunk named each sheet
// after its source and put its integrity hash in index.html: the name stays (one source always
// gives the same minified bytes), the hash follows. Only spaces and comments go and values get
// shorter (`restructure: false`): no rule is merged or moved, so the cascade is the source's.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { minify } from "csso";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("minify-css: run by Trunk as a post_build hook (TRUNK_STAGING_DIR is not set)");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE === "release") {
  const indexPath = join(staging, "index.html");
  let html = readFileSync(indexPath, "utf8");
  const sheets = readdirSync(staging).filter((f) => f.endsWith(".css"));
  for (const sheet of sheets) {
    const css = minify(readFileSync(join(staging, sheet), "utf8"), { restructure: false }).css;
    const link = new RegExp(`(<link rel="stylesheet" href="[^"]*/${sheet.replaceAll(".", "\\.")}"[^>]*? integrity=")[^"]*(")`);
    if (!link.test(html)) {
      console.error(`minify-css: index.html has no stylesheet link with an integrity hash for ${sheet}`);
      process.exit(1);
    }
    writeFileSync(join(staging, sheet), css);
    html = html.replace(link, `$1sha384-${createHash("sha384").update(css).digest("base64")}$2`);
  }
  writeFileSync(indexPath, html);
  console.log(`minify-css: ${sheets.length} style sheets`);
}
