// Speed report (figures to read, not a timed test): how the release build loads and reacts on a
// low-end phone with a weak connection. Chromium with the CPU slowed 4×, against the build
// served with brotli through one emulated link that the page and its service worker share, as
// on a phone (a bandwidth and a round-trip time applied to every response of the server, one
// queue for all of them). Each row is the median of RUNS runs, with its floor measured in the
// same run:
//   - cold load (empty cache) until the first screen can be used, on slow 4G and on 400 kbit/s,
//     and when the page first painted (the boot message);
//     floor: the same bytes fetched over the same link by a plain client, page first, then the
//     rest together (two round trips and the transfer);
//   - bytes transferred during the first visit (the page, then the service worker keeping the
//     build for offline use), and whether any file's body came twice;
//   - on the first visit, the next screen: «Tạo bản tự đánh giá mới» two seconds after Home is
//     usable, until its form can be used; beside it, a reference rather than a floor (the
//     service worker fetches ahead, so the screen can come sooner): the files it needed fetched
//     only from the click by a plain client, all together (one round trip and the transfer);
//   - second visit (the service worker in charge) at 400 kbit/s; floor: no network at all;
//   - one edit: typing a number into an item's input until its score line shows the new result
//     (parse, score, save, re-render) and the next frame; floor: a plain input and text node
//     without the app, timed the same way in the same page. Beside it, the part of each time
//     until the page changed (the app's own work), the rest being the wait for the next frame.
// Usage: node scripts/speed-report.mjs [dist] — after `make dist PUBLIC_URL=/so-y-te/tre-em/`
// (SPEED_EDITS, LINK_SHARING: see below).
import { createServer } from "node:http";
import { request as httpRequest } from "node:http";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import { launch, createAssessment } from "../e2e/harness.mjs";
import { publicUrlOf } from "./serve-dist.mjs";

const DIST = process.argv[2] ?? process.env.E2E_DIST ?? "dist";
if (!existsSync(join(DIST, "index.html"))) {
  console.error(`speed: no build in ${DIST}; run: make dist PUBLIC_URL=/so-y-te/tre-em/`);
  process.exit(1);
}
const PUBLIC_URL = publicUrlOf(DIST);
const CPU_SLOWDOWN = 4;
const RUNS = 3;
// 15 edits by default; more (SPEED_EDITS=90) show how the frames spread, the plain input's too.
const EDITS = Number(process.env.SPEED_EDITS ?? 15);
const FAIR = process.env.LINK_SHARING === "fair";
if (!["fair", "queue", undefined].includes(process.env.LINK_SHARING)) {
  throw new Error(`LINK_SHARING must be «queue» (the default) or «fair», not «${process.env.LINK_SHARING}»`);
}
// How long a user reads Home on a first visit before opening the next screen.
const READING_MS = 2000;
const LINKS = {
  "slow 4G (1.6 Mbit/s, 150 ms)": { bitsPerSecond: 1_600_000, rttMs: 150 },
  "400 kbit/s, 400 ms": { bitsPerSecond: 400_000, rttMs: 400 },
};
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json; charset=utf-8",
  ".webmanifest": "application/manifest+json",
  ".png": "image/png",
};
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(wasm|js|css)$/;

/**
 * The build behind one emulated link: every response waits one round trip, then its bytes go
 * out at the link's rate, whoever asked (page or service worker): by default through a single
 * queue, one response after the other in the order they were answered; with LINK_SHARING=fair,
 * 4 KB of each response in flight in turn, as the browser's connections share a real link (a
 * small file does not wait for a big one ahead of it). `link` may be changed between runs; `log`
 * lists { path, status, bytes } of each answer.
 */
async function serveThroughLink() {
  const compressed = new Map();
  const state = { link: null, log: [], queue: Promise.resolve() };
  const pace = (part) => (state.link ? sleep((part.length * 8 * 1000) / state.link.bitsPerSecond) : null);
  const inFlight = [];
  let pumping = false;
  const pump = async () => {
    pumping = true;
    while (inFlight.length) {
      const next = inFlight.shift();
      const part = next.body.subarray(next.at, next.at + 4096);
      await pace(part);
      next.res.write(part);
      next.at += part.length;
      if (next.at < next.body.length) inFlight.push(next);
      else next.done();
    }
    pumping = false;
  };
  const send = (res, body) => {
    if (FAIR) {
      return new Promise((done) => {
        inFlight.push({ res, body, at: 0, done });
        if (!pumping) pump();
      });
    }
    state.queue = state.queue.then(async () => {
      for (let at = 0; at < body.length; at += 4096) {
        const part = body.subarray(at, at + 4096);
        await pace(part);
        res.write(part);
      }
    });
    return state.queue;
  };
  const server = createServer(async (req, res) => {
    const arrived = Date.now();
    const path = new URL(req.url, "http://x").pathname;
    let rel = path.startsWith(PUBLIC_URL) ? decodeURIComponent(path.slice(PUBLIC_URL.length)) : null;
    if (rel === "") rel = "index.html";
    const file = rel === null ? null : normalize(join(DIST, rel));
    if (state.link) await sleep(state.link.rttMs);
    if (!file || !file.startsWith(normalize(DIST)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const raw = readFileSync(file);
    const etag = `"${statSync(file).mtimeMs.toString(36)}-${raw.length}"`;
    const headers = {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": HASHED.test(file) ? "public, max-age=31536000, immutable" : "no-cache",
      etag,
    };
    if (req.headers["if-none-match"] === etag) {
      state.log.push({ path: rel, status: 304, bytes: 0, at: arrived });
      res.writeHead(304, headers).end();
      return;
    }
    if (!compressed.has(file)) {
      compressed.set(file, brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    }
    const body = compressed.get(file);
    headers["content-encoding"] = "br";
    headers["content-length"] = body.length;
    state.log.push({ path: rel, status: 200, bytes: body.length, at: arrived });
    res.writeHead(200, headers);
    await send(res, body);
    res.end();
  });
  // Compressed ahead, as a host serving pre-compressed files would: brotli at its highest
  // quality takes seconds for the module, which would otherwise count in the first run.
  (function walk(dir) {
    for (const name of readdirSync(dir)) {
      const file = join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else {
        const raw = readFileSync(file);
        compressed.set(normalize(file), brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    }
  })(DIST);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = server.address().port;
  return {
    state,
    url: `http://127.0.0.1:${port}${PUBLIC_URL}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A plain client over the same link: `first` alone (if any), then `rest` together;
 * milliseconds. */
async function transferFloor(server, first, rest) {
  const get = (path) =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port: server.port, path: PUBLIC_URL + path, headers: { "accept-encoding": "br" } },
        (res) => {
          res.on("data", () => {});
          res.on("end", resolve);
        },
      );
      req.on("error", reject);
      req.end();
    });
  const start = performance.now();
  if (first) await get(first);
  await Promise.all(rest.map(get));
  return performance.now() - start;
}

async function slowCpu(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
}

/** Notes, in the page, the moment Home is there and the loading shell gone. */
const WATCH_USABLE = () => {
  new MutationObserver((_, observer) => {
    const h1 = document.querySelector("main h1");
    if (h1?.textContent === "Các bản tự đánh giá" && !document.getElementById("boot")) {
      window.__usable = { ms: performance.now(), at: Date.now() };
      observer.disconnect();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
};

/** Milliseconds from navigation to a usable Home, and the wall-clock time it happened. */
async function homeUsable(page) {
  await page.waitForFunction(() => window.__usable, null, { timeout: 180_000, polling: 100 });
  return page.evaluate(() => window.__usable);
}

/** A first visit on `link` in a fresh profile, the CPU slowed: the page once Home is usable. */
async function coldVisit(browser, server, link) {
  server.state.link = link;
  const context = await browser.newContext();
  await context.addInitScript(WATCH_USABLE);
  const page = await context.newPage();
  await slowCpu(page);
  await page.goto(server.url, { waitUntil: "commit" });
  return { context, page, usable: await homeUsable(page) };
}

/**
 * One cold load on `link`: time until Home is usable; then, keeping the page, until the service
 * worker holds the build; then a second visit. Returns times, what came before usable, and the
 * bodies of the whole first visit.
 */
async function visitTwice(browser, server, link) {
  server.state.log = [];
  const { context, page, usable } = await coldVisit(browser, server, link);
  const cold = usable.ms;
  // The page's first paint: the boot message («Đang tải…») the user sees while the app loads.
  const painted = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime);
  const beforeUsable = server.state.log
    .filter((a) => a.status === 200 && a.at <= usable.at)
    .map((a) => a.path);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 300_000 });
  await page.waitForFunction(
    async () => (await caches.keys()).length > 0 && (await navigator.serviceWorker.ready).active,
    null,
    { timeout: 300_000 },
  );
  await page.waitForLoadState("networkidle");
  const firstVisit = [...server.state.log];
  await page.goto(server.url, { waitUntil: "commit" });
  const second = (await homeUsable(page)).ms;
  await context.close();
  return { cold, painted, second, beforeUsable, firstVisit };
}

/** How long a user waits for the screen a first visit most likely opens next: Home usable, two
 * seconds of reading it, then «Tạo bản tự đánh giá mới» (the screens' part, the commune list,
 * the criteria sets, fetched by the service worker meanwhile) until the form can be used. Also
 * the paths the page asked for after Home was usable, for the reference. */
async function firstScreen(browser, server, link) {
  const { context, page, usable } = await coldVisit(browser, server, link);
  await sleep(READING_MS);
  const clicked = await page.evaluate(() => performance.now());
  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  // Usable once the province list is there (its options come from the commune list).
  await page.getByLabel("Tỉnh, thành phố").locator("option").nth(1).waitFor({ state: "attached", timeout: 300_000 });
  const shown = await page.evaluate(() => performance.now());
  const fetched = await page.evaluate(
    (after) =>
      performance
        .getEntriesByType("resource")
        .filter((e) => e.startTime > after)
        .map((e) => new URL(e.name).pathname),
    usable.ms,
  );
  await context.close();
  return { ms: shown - clicked, fetched: fetched.map((p) => p.slice(PUBLIC_URL.length)) };
}

/** One edit, timed in the page: input event → the item's score line shows the new figure. */
async function editTimes(browser, server) {
  server.state.link = null;
  const context = await browser.newContext();
  await context.addInitScript(WATCH_USABLE);
  const page = await context.newPage();
  await page.goto(server.url);
  await homeUsable(page);
  const route = await createAssessment(page);
  await page.evaluate((h) => {
    location.hash = h;
  }, route.replace("/tieu-chi/1", "/tieu-chi/7"));
  const numerator = page.getByLabel("Số trẻ em dưới 1 tuổi được tiêm chủng đầy đủ");
  await page.getByLabel("Tổng số trẻ em dưới 1 tuổi").fill("100");
  await numerator.fill("50");
  await page.getByText("Tỷ lệ: 50%.").waitFor();
  await slowCpu(page);
  const timed = (input, value) =>
    new Promise((resolve) => {
      const box = input.closest("section") ?? input.parentElement;
      const line = () => box.querySelector(".score-line, output")?.textContent ?? "";
      const before = line();
      const start = performance.now();
      const done = new MutationObserver(() => {
        if (line() === before) return;
        done.disconnect();
        const changed = performance.now() - start;
        // The next frame is when the user can see it.
        requestAnimationFrame(() => resolve({ changed, frame: performance.now() - start }));
      });
      done.observe(box, { subtree: true, childList: true, characterData: true });
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  const app = [];
  for (let i = 0; i < EDITS; i++) app.push(await numerator.evaluate(timed, String(60 + i)));
  // The floor: the same steps on a plain input whose handler writes one text node.
  await page.evaluate(() => {
    const section = document.createElement("section");
    section.innerHTML = '<input id="san-do"><output></output>';
    const [input, output] = section.children;
    input.addEventListener("input", () => {
      output.textContent = `Tỷ lệ: ${input.value}%.`;
    });
    document.body.append(section);
  });
  const plain = [];
  for (let i = 0; i < EDITS; i++) plain.push(await page.locator("#san-do").evaluate(timed, String(60 + i)));
  await context.close();
  return { app, plain };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
const kb = (b) => `${(b / 1000).toFixed(0)} KB`;

const server = await serveThroughLink();
const browser = await launch();
try {
  console.log(
    `speed: ${DIST} at ${PUBLIC_URL}; Chromium, CPU ${CPU_SLOWDOWN}× slower; brotli; page and ` +
      `service worker on one emulated link (${FAIR ? "shared fairly" : "one queue"}); median of ${RUNS} runs`,
  );
  for (const [name, link] of Object.entries(LINKS)) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await visitTwice(browser, server, link));
    const [first, ...rest] = runs[0].beforeUsable;
    const floors = [];
    for (let i = 0; i < RUNS; i++) floors.push(await transferFloor(server, first, rest));
    const usableBytes = runs[0].firstVisit
      .filter((a) => a.status === 200 && runs[0].beforeUsable.includes(a.path))
      .reduce((t, a) => t + a.bytes, 0);
    console.log(
      `cold load, ${name}: first screen usable at ${s(median(runs.map((r) => r.cold)))} ` +
        `(runs ${runs.map((r) => s(r.cold)).join(", ")}); transfer floor ${s(median(floors))} ` +
        `for ${kb(usableBytes)} in ${runs[0].beforeUsable.length} files; boot message painted at ` +
        `${s(median(runs.map((r) => r.painted)))}`,
    );
    const bodies = runs[0].firstVisit.filter((a) => a.status === 200);
    const twice = [...new Set(bodies.map((a) => a.path))].filter(
      (p) => bodies.filter((a) => a.path === p).length > 1,
    );
    console.log(
      `  first visit, ${name}: ${kb(bodies.reduce((t, a) => t + a.bytes, 0))} transferred in ` +
        `${bodies.length} bodies (${runs[0].firstVisit.length - bodies.length} "not modified"); ` +
        (twice.length ? `DOWNLOADED TWICE: ${twice.join(", ")}` : "no file downloaded twice"),
    );
    console.log(
      `  second visit (service worker), ${name}: usable at ${s(median(runs.map((r) => r.second)))} ` +
        `(runs ${runs.map((r) => s(r.second)).join(", ")}); floor: no network at all`,
    );
    const opened = [];
    for (let i = 0; i < RUNS; i++) opened.push(await firstScreen(browser, server, link));
    const needed = opened[0].fetched;
    const screenFloors = [];
    for (let i = 0; i < RUNS; i++) screenFloors.push(await transferFloor(server, null, needed));
    console.log(
      `  first visit, ${name}: «Tạo bản tự đánh giá mới» ${READING_MS / 1000} s after Home is usable, ` +
        `its form usable after ${s(median(opened.map((r) => r.ms)))} (runs ` +
        `${opened.map((r) => s(r.ms)).join(", ")}); its ${needed.length} files fetched only from the ` +
        `click (nothing ahead) would take ${s(median(screenFloors))}`,
    );
  }
  const { app, plain } = await editTimes(browser, server);
  const spread = (times) =>
    `median ${median(times).toFixed(0)} ms, 90th percentile ${p90(times).toFixed(0)} ms, max ` +
    `${Math.max(...times).toFixed(0)} ms`;
  const frames = (edits) => edits.map((e) => e.frame);
  const changes = (edits) => edits.map((e) => e.changed);
  console.log(
    `one edit → next frame: ${spread(frames(app))} over ${app.length} edits; floor (a plain input and ` +
      `text, same page): ${spread(frames(plain))}`,
  );
  // The rest of each time is the wait for the frame clock (16.7 ms a frame), which the floor
  // waits for too.
  console.log(
    `  of which input → the page changed: ${spread(changes(app))}; floor: ${spread(changes(plain))}`,
  );
} finally {
  await browser.close();
  await server.close();
}
