// Speed report (figures to read, not a timed test): how the release build feels on a low-end
// phone with a weak connection. Chromium with the CPU slowed 4× and a slow 3G profile (400 kbit/s
// down and up, 400 ms latency) measures
//   1. a cold load (empty cache) until the first screen can be used, twice: from a host that
//      sends the files uncompressed, and from one that sends them brotli-compressed as
//      docs/hosting.md recommends;
//   2. one edit: typing a number into an item's input until the item's score line shows the new
//      result (parse, score, save, re-render), timed in the page with performance.now().
// Usage: node scripts/speed-report.mjs [dist] — after `make dist`.
import { createServer } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { brotliCompressSync } from "node:zlib";
import { launch, createAssessment } from "../e2e/harness.mjs";

const DIST = process.argv[2] ?? process.env.E2E_DIST ?? "dist";
if (!existsSync(join(DIST, "index.html"))) {
  console.error(`speed: no build in ${DIST}; run: make dist PUBLIC_URL=/so-y-te/tre-em/`);
  process.exit(1);
}
// Served under the sub-path the build was made for (Trunk writes it into the loader's URLs).
const PUBLIC_URL =
  /module_or_path: '([^']*\/)[^'/]+_bg\.wasm'/.exec(readFileSync(join(DIST, "index.html"), "utf8"))?.[1] ?? "/";
const CPU_SLOWDOWN = 4;
const SLOW_3G = {
  offline: false,
  latency: 400,
  downloadThroughput: (400 * 1000) / 8,
  uploadThroughput: (400 * 1000) / 8,
};
const EDITS = 15;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
};

/** A static server for DIST under the sub-path, optionally brotli-compressing every file. */
async function serve(brotli) {
  const compressed = new Map();
  const server = createServer((req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    let rel = path.startsWith(PUBLIC_URL) ? path.slice(PUBLIC_URL.length) : null;
    if (rel === "") rel = "index.html";
    const file = rel === null ? null : normalize(join(DIST, rel));
    if (!file || !file.startsWith(normalize(DIST)) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    let body = readFileSync(file);
    const headers = { "content-type": TYPES[extname(file)] ?? "application/octet-stream" };
    if (brotli && /\bbr\b/.test(req.headers["accept-encoding"] ?? "")) {
      if (!compressed.has(file)) compressed.set(file, brotliCompressSync(body));
      body = compressed.get(file);
      headers["content-encoding"] = "br";
    }
    res.writeHead(200, headers).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${PUBLIC_URL}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function throttle(page, network) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  await cdp.send("Network.enable");
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => {
    bytes += e.encodedDataLength;
  });
  if (network) await cdp.send("Network.emulateNetworkConditions", SLOW_3G);
  return () => bytes;
}

/** Cold load until the home screen's heading is there and the loading shell is gone. */
async function coldLoad(browser, brotli) {
  const server = await serve(brotli);
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  const transferred = await throttle(page, true);
  await page.goto(server.url, { waitUntil: "commit" });
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor({ timeout: 180_000 });
  const ms = await page.evaluate(() => performance.now());
  const shell = await page.evaluate(
    () => performance.getEntriesByType("paint").find((p) => p.name === "first-contentful-paint")?.startTime,
  );
  await context.close();
  await server.close();
  return { ms, shell, bytes: transferred() };
}

/** One edit, timed in the page: input event → the item's score line shows the new figure. */
async function editTimes(browser) {
  const server = await serve(true);
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const route = await createAssessment(page);
  await page.evaluate((h) => {
    location.hash = h;
  }, route.replace("/tieu-chi/1", "/tieu-chi/7"));
  const numerator = page.getByLabel("Số trẻ em dưới 1 tuổi được tiêm chủng đầy đủ");
  await page.getByLabel("Tổng số trẻ em dưới 1 tuổi").fill("100");
  await numerator.fill("50");
  await page.getByText("Tỷ lệ: 50%.").waitFor();
  await throttle(page, false);
  const times = [];
  for (let i = 0; i < EDITS; i++) {
    // A different number every time, so every edit changes the score line.
    times.push(
      await numerator.evaluate(
        (input, value) =>
          new Promise((resolve) => {
            const item = input.closest("section");
            const line = () => item.querySelector(".score-line")?.textContent ?? "";
            const before = line();
            const start = performance.now();
            const done = new MutationObserver(() => {
              if (line() === before) return;
              done.disconnect();
              // The next frame is when the user can see it.
              requestAnimationFrame(() => resolve(performance.now() - start));
            });
            done.observe(item, { subtree: true, childList: true, characterData: true });
            input.value = value;
            input.dispatchEvent(new Event("input", { bubbles: true }));
          }),
        String(60 + i),
      ),
    );
  }
  await context.close();
  await server.close();
  return times;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const kb = (b) => `${Math.round(b / 1000)} kB`;

const browser = await launch();
try {
  console.log(`speed: ${DIST} at ${PUBLIC_URL}; Chromium, CPU ${CPU_SLOWDOWN}× slower, slow 3G (400 kbit/s, 400 ms latency)`);
  for (const brotli of [false, true]) {
    const r = await coldLoad(browser, brotli);
    console.log(
      `cold load, ${brotli ? "brotli" : "uncompressed"}: first usable screen at ${s(r.ms)}` +
        ` (loading message at ${s(r.shell)}), ${kb(r.bytes)} transferred`,
    );
  }
  const times = await editTimes(browser);
  console.log(
    `edit (type a number → score line updated, next frame): median ${median(times).toFixed(0)} ms,` +
      ` max ${Math.max(...times).toFixed(0)} ms over ${times.length} edits`,
  );
} finally {
  await browser.close();
}
