// The built files served as a province's web server with brotli would serve them (or
// uncompressed), under the sub-path the build was made for: for the size and speed reports.
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
};
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(wasm|js|css)$/;

/** The sub-path a build was made for: Trunk writes it into the loader's URLs (minified). */
export function publicUrlOf(dist) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  return /module_or_path:\s*["']([^"']*\/)[^"'/]+_bg\.wasm["']/.exec(html)?.[1] ?? "/";
}

/** Serves `dist`; returns { url, close }. Brotli at the quality a static host pre-compresses at. */
export async function serveDist(dist, { brotli = true } = {}) {
  const publicUrl = publicUrlOf(dist);
  const compressed = new Map();
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    let rel = path.startsWith(publicUrl) ? decodeURIComponent(path.slice(publicUrl.length)) : null;
    if (rel === "") rel = "index.html";
    const file = rel === null ? null : normalize(join(dist, rel));
    if (!file || !file.startsWith(normalize(dist)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    let body = readFileSync(file);
    const etag = `"${statSync(file).mtimeMs.toString(36)}-${body.length}"`;
    const headers = {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": HASHED.test(file) ? "public, max-age=31536000, immutable" : "no-cache",
      etag,
    };
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    if (brotli && /\bbr\b/.test(req.headers["accept-encoding"] ?? "")) {
      if (!compressed.has(file)) {
        compressed.set(
          file,
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
      body = compressed.get(file);
      headers["content-encoding"] = "br";
    }
    res.writeHead(200, headers).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${publicUrl}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
