// A plain static file server for the built files under a sub-path, as a province's web server
// would be: no rewrites, correct MIME types, the caching headers docs/hosting.md recommends,
// validators (ETag) and "304 Not Modified" like nginx, Apache or IIS, optional headers (the CSP
// of dist/csp.txt), and optionally the compressed copies scripts/precompress.mjs writes, served
// in place of a file as nginx's `brotli_static` / `gzip_static` do (docs/hosting.md, «Nén»).
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { createHash } from "node:crypto";
import { extname, join, normalize } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Content-hashed names (Trunk's, the module's and its parts'): their bytes never change
 * (docs/hosting.md, section 5). */
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(wasm|js|css)$/;

/** The copies a client may take, best first: the encoding and the copy's suffix. */
const COPIES = [
  ["br", ".br"],
  ["gzip", ".gz"],
];

/**
 * Serves `root` at `http://127.0.0.1:<port><publicUrl>`; `rootOverride(path)` may return another
 * directory for a request (used to swap in a "new deployment" during a test). With
 * `precompressed`, a file that has a copy the client accepts is answered with that copy.
 * Returns { url, close, requests, answers, setRoot }: `requests` the paths asked for, `answers`
 * { path, status, encoding } of each (200 with a body, 304 without; the copy's encoding if one
 * was sent).
 */
export async function serve({ root, publicUrl = "/", headers = {}, port = 0, precompressed = false }) {
  let currentRoot = root;
  const requests = [];
  const answers = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    requests.push(url.pathname);
    if (!url.pathname.startsWith(publicUrl)) {
      res.writeHead(404).end("not found");
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(publicUrl.length));
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const path = normalize(join(currentRoot, rel));
    if (!path.startsWith(normalize(currentRoot))) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (!(await stat(path)).isFile()) throw new Error("not a file");
      let body = await readFile(path);
      let encoding;
      if (precompressed) {
        const accepted = req.headers["accept-encoding"] ?? "";
        for (const [name, suffix] of COPIES) {
          if (!new RegExp(`\\b${name}\\b`).test(accepted)) continue;
          const copy = await readFile(path + suffix).catch(() => null);
          if (copy) {
            body = copy;
            encoding = name;
            break;
          }
        }
      }
      const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
      const common = {
        etag,
        "cache-control": HASHED.test(path) ? "public, max-age=31536000, immutable" : "no-cache",
      };
      if (req.headers["if-none-match"] === etag) {
        answers.push({ path: url.pathname, status: 304 });
        res.writeHead(304, common).end();
        return;
      }
      answers.push({ path: url.pathname, status: 200, encoding });
      res.writeHead(200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        ...(encoding ? { "content-encoding": encoding } : {}),
        ...(precompressed ? { vary: "accept-encoding" } : {}),
        ...common,
        ...(extname(path) === ".html" ? headers : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: actual } = server.address();
  return {
    url: `http://127.0.0.1:${actual}${publicUrl}`,
    requests,
    answers,
    setRoot: (dir) => {
      currentRoot = dir;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// `node e2e/server.mjs dist /so-y-te/tre-em/ 8081` serves the build by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [root = "dist", publicUrl = "/", port = "8081"] = process.argv.slice(2);
  const s = await serve({ root, publicUrl, port: Number(port) });
  console.log(`serving ${root} at ${s.url}`);
}
