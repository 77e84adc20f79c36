// Home at scale (figures to read, not a timed test): a browser holding thousands of
// assessments — a province officer who imported every commune's file on Home — opened on a
// low-end phone. Chromium with the CPU slowed 4× measures, after the assessments are stored:
//   1. opening Home until the list says how many assessments there are and shows the first
//      page of cards: from another screen of the app, and by reloading the app (its files from
//      the cache; start, list from the stored summaries); the DOM size then; after a reload,
//      also until every assessment is read (the cards' buttons enabled) and the longest task
//      meanwhile (how long a tap may wait);
//   2. a search typed into the list («hoan kiem»), until the count of matches is shown;
//   3. the next page, until its cards are shown.
// The assessments are stored the way a user stores them: exchange files of 1,000 realistic
// assessments each (scripts/gen-files.mjs), chosen together on Home, imported at full CPU speed
// (the import's own speed is the dashboard benchmark's subject). Usage, after `make dist`:
//   node scripts/home-report.mjs [count=5000] [runs=3]
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, PUBLIC_URL, DIST } from "../e2e/harness.mjs";
import { serve } from "../e2e/server.mjs";
import { COMMUNES, exchangeFile, makeAssessment } from "./gen-files.mjs";

const COUNT = Number(process.argv[2] ?? 5000);
const RUNS = Number(process.argv[3] ?? 3);
const CPU_SLOWDOWN = 4;

/** COUNT assessments of different (commune, year) pairs, years 2025 then 2026. */
function assessments() {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: COUNT }, (_, i) =>
    makeAssessment(COMMUNES[i % COMMUNES.length], { year: 2025 + Math.floor(i / COMMUNES.length), rand }),
  );
}

/** Imports the files on Home and waits for the import's summary; returns the summary text. */
async function store(page, files) {
  await page.getByLabel("Chọn tệp JSON", { exact: true }).setInputFiles(files);
  const summary = page.locator(".import-summary");
  await summary.waitFor({ timeout: 900_000 });
  return (await summary.textContent()).trim();
}

/**
 * Watches, from the page's first script on, for the list (a count and a card) and for every
 * assessment read (a card's «Xóa» enabled), each noted at the next frame, when the user sees
 * it; and for long tasks. Timed in the page: Playwright's polling would add its own delays.
 */
function watchHome() {
  window.__home = { long: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__home.long.push(e.duration);
  }).observe({ type: "longtask", buffered: true });
  const seen = (name) => requestAnimationFrame(() => (window.__home[name] ??= performance.now()));
  new MutationObserver(() => {
    const h = window.__home;
    if (h.listed === undefined && /\d/.test(document.querySelector(".list-count")?.textContent ?? "") && document.querySelector(".cards > li")) seen("listed");
    if (h.read === undefined && document.querySelector(".cards button.danger:not([disabled])")) seen("read");
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

/** Reload until Home lists its assessments and has read them all: { ms, read, longest, nodes, count text }. */
async function openHome(page) {
  await page.reload({ waitUntil: "commit" });
  await page.locator(".list-count").filter({ hasText: /\d/ }).waitFor({ timeout: 120_000 });
  await page.locator(".cards > li").first().waitFor();
  await page.locator(".cards button.danger:not([disabled])").first().waitFor({ timeout: 120_000 });
  await page.waitForFunction(() => window.__home.read !== undefined);
  return page.evaluate(() => ({
    ms: window.__home.listed,
    read: window.__home.read,
    longest: Math.max(0, ...window.__home.long),
    nodes: document.getElementsByTagName("*").length,
    count: document.querySelector(".list-count").textContent.trim(),
    cards: document.querySelectorAll(".cards > li").length,
  }));
}

/**
 * One action timed in the page (the page's CSP allows no `eval`, so the actions are spelt out
 * here): from the action until its result is on screen, in milliseconds.
 */
function timed(page, action) {
  return page.evaluate(
    (action) =>
      new Promise((resolve) => {
        const count = () => document.querySelector(".list-count")?.textContent ?? "";
        const done = {
          search: () => /^Tìm thấy/.test(count()),
          next: () => /hiện 21–40/.test(count()),
          home: () => /^[\d.]+ bản/.test(count()) && document.querySelector(".cards > li") !== null,
        }[action];
        const start = performance.now();
        const check = () => {
          if (done()) requestAnimationFrame(() => resolve(performance.now() - start));
          else requestAnimationFrame(check);
        };
        if (action === "search") {
          const input = document.getElementById("tim-ban");
          input.value = "hoan kiem";
          input.dispatchEvent(new Event("input", { bubbles: true }));
        } else if (action === "next") {
          [...document.querySelectorAll(".pager button")].find((b) => b.textContent.includes("Trang sau")).click();
        } else {
          location.hash = "#/";
        }
        requestAnimationFrame(check);
      }),
    action,
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), "home-report-"));
const all = assessments();
const files = [];
for (let i = 0; i < all.length; i += 1000) {
  const file = join(dir, `tu-danh-gia_${i / 1000 + 1}.json`);
  // Without indentation, as a province's tool might write them: smaller, same content.
  writeFileSync(file, JSON.stringify(JSON.parse(exchangeFile(all.slice(i, i + 1000)))));
  files.push(file);
}
const megabytes = (files.reduce((sum, f) => sum + readFileSync(f).length, 0) / 1e6).toFixed(1).replace(".", ",");

const server = await serve({ root: DIST, publicUrl: PUBLIC_URL });
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const imported = await store(page, files);
  console.log(`home: ${COUNT} assessments in ${files.length} files (${megabytes} MB) imported on Home: «${imported}»`);

  await page.addInitScript(watchHome);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  const opens = [];
  const reads = [];
  const longest = [];
  const visits = [];
  const searches = [];
  const pages = [];
  let last;
  for (let run = 0; run < RUNS; run++) {
    last = await openHome(page);
    opens.push(last.ms);
    reads.push(last.read);
    longest.push(last.longest);
    searches.push(await timed(page, "search"));
    await openHome(page);
    pages.push(await timed(page, "next"));
    // Back to Home from another screen of the app.
    await page.evaluate(() => (location.hash = "#/tong-hop"));
    await page.getByRole("heading", { level: 1, name: /^Tổng hợp/ }).waitFor();
    visits.push(await timed(page, "home"));
  }
  console.log(`home: CPU ${CPU_SLOWDOWN}× slower, 360 px, median of ${RUNS}; Home says «${last.count}», ${last.cards} cards`);
  console.log(`home: open from another screen (→ list and first cards shown): median ${median(visits).toFixed(0)} ms, max ${Math.max(...visits).toFixed(0)} ms`);
  console.log(`home: open by reloading the app (start, summaries read, list and first cards shown): median ${median(opens).toFixed(0)} ms, max ${Math.max(...opens).toFixed(0)} ms`);
  console.log(`home: … every assessment read after the reload (cards' actions enabled): median ${median(reads).toFixed(0)} ms; longest task until then: median ${median(longest).toFixed(0)} ms`);
  console.log(`home: DOM elements on Home: ${last.nodes}`);
  console.log(`home: search «hoan kiem» → matches shown: median ${median(searches).toFixed(0)} ms`);
  console.log(`home: next page → cards 21–40 shown: median ${median(pages).toFixed(0)} ms`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
