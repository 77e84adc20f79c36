// Shared setup for the end-to-end tests: Debian's Chromium driven by playwright-core against
// the release build in dist/, served under the sub-path, with every page error, console error
// and failed request collected so that a test fails on any of them.
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "./server.mjs";

export const PUBLIC_URL = process.env.E2E_PUBLIC_URL ?? "/so-y-te/tre-em/";
export const DIST = process.env.E2E_DIST ?? "dist";
/** A part of the module split off by scripts/wasm-split.mjs (`split_charts`, `chunk_4` …), by
 * its name without the hash of its content that release builds add. */
export const partFile = (name) => new RegExp(`${name}(-[0-9a-f]{16})?\\.wasm$`);
/** Any part of the module split off, or a chunk the parts share. */
export const ANY_PART = partFile("(split|chunk)_[a-z0-9_]+");

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** The policy scripts/csp.mjs wrote for this build, sent as a header like a hardened host. */
export function cspHeader() {
  const line = readFileSync(`${DIST}/csp.txt`, "utf8").trim();
  return line.slice(line.indexOf(":") + 1).trim();
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

/** Starts the server (serving scripts/precompress.mjs's copies with `precompressed`) and a
 * browser; returns helpers, a folder `work` for the test file's own files, and a `close` for
 * `after` that removes it. */
export async function start({ csp = true, precompressed = false } = {}) {
  const server = await serve({
    root: DIST,
    publicUrl: PUBLIC_URL,
    headers: csp ? { "content-security-policy": cspHeader() } : {},
    precompressed,
  });
  const browser = await launch();
  const work = mkdtempSync(join(tmpdir(), "xa-tre-em-e2e-"));
  return {
    server,
    browser,
    work,
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * A new page that records problems: uncaught errors, console errors (CSP violations show up
 * there too) and failed or 4xx/5xx requests. `problems` must be empty at the end of each test.
 */
export async function openPage(context, url, { hash = "", init } = {}) {
  const page = await context.newPage();
  // Run in the page before its own scripts (e.g. taking an API away, as an older browser).
  if (init) await page.addInitScript(init);
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  // Which document each request belongs to: a reload or a navigation by the test aborts what the
  // page it leaves was still fetching in the background (e.g. the published criteria sets).
  let documents = 0;
  const documentOf = new WeakMap();
  page.on("request", (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) documents++;
    else documentOf.set(r, documents);
  });
  page.on("requestfailed", (r) => {
    // Downloads of blob: URLs are aborted by design once the file is saved.
    if (r.url().startsWith("blob:")) return;
    const left = documentOf.has(r) && documentOf.get(r) < documents;
    if (left && r.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`http ${r.status()}: ${r.url()}`);
  });
  await page.goto(url + hash);
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  return { page, problems };
}

/**
 * Creates an assessment through the form, as a user would, and waits for criterion 1.
 * Returns the assessment's hash route.
 */
export async function createAssessment(
  page,
  {
    province = "Thành phố Hà Nội",
    search = "hoan kiem",
    commune = /Phường Hoàn Kiếm/,
    category = /Xã, phường còn lại/,
    assessor = "Nguyễn Thị Lan",
  } = {},
) {
  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByLabel("Tỉnh, thành phố").selectOption({ label: province });
  await page.getByLabel(/Tìm xã, phường, đặc khu/).fill(search);
  const list = page.getByLabel("Xã, phường, đặc khu", { exact: true });
  const option = list.getByRole("option", { name: commune }).first();
  await list.selectOption({ value: await option.getAttribute("value") });
  await page.getByRole("radio", { name: category }).check();
  await page.getByLabel("Họ và tên").fill(assessor);
  await page.getByRole("button", { name: "Tạo và bắt đầu nhập số liệu" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  return new URL(page.url()).hash;
}

/**
 * Words cut across lines, described for the failure message: a word (letters and digits between
 * spaces or punctuation, where a line may break) of up to 20 characters whose letters lie on
 * more than one line. A longer unbroken text — a file name, a code typed without spaces — may
 * wrap on purpose, and so may the texts in `typed` (what a test typed: a user's text breaks
 * anywhere rather than widen a column).
 */
export async function cutWords(page, typed = []) {
  return page.evaluate((typed) => {
    const cut = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (typed.some((t) => node.nodeValue.includes(t))) continue;
      for (const match of node.nodeValue.matchAll(/[^\s\-–—/_.,;:()«»]{2,20}/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) cut.push(`${node.parentElement.tagName.toLowerCase()} «${match[0]}»`);
      }
    }
    return cut;
  }, typed);
}

/**
 * The names under the signatures of a report or minutes that do not stand at one height (a
 * heading wrapped to more lines on one side pushed its name down), described for the failure
 * message; empty when every block's names line up.
 */
export async function unevenSignatures(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll(".report-signatures")].flatMap((block) => {
      const names = [...block.querySelectorAll(".report-sign-name")].filter((n) => n.textContent.trim() && n.getClientRects().length);
      const tops = names.map((n) => Math.round(n.getBoundingClientRect().top));
      return Math.max(...tops) - Math.min(...tops) > 1
        ? [names.map((n, i) => `«${n.textContent.trim()}» ở ${tops[i]}px`).join(", ")]
        : [];
    }),
  );
}
