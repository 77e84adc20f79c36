// How long the dashboard takes to load many communes' files, in headless Chromium against the
// release build in dist/ (build it first: `make dist PUBLIC_URL=/so-y-te/tre-em/`). A report,
// not a timed test: it prints figures and fails only if the dashboard shows a wrong count.
//
// For 100, 1,000 and 3,321 generated files (scripts/gen-files.mjs), in a fresh browser profile:
//   set    what Playwright itself takes to hand the files to the input (not the app's time);
//   load   from the input's `change` event to the count shown on screen (the files read,
//          checked, scored, merged; the summary, charts and first page of the table drawn);
//   saved  from the same event until the whole documents are also in IndexedDB;
//   read   the browser alone reading the same files from a plain file input (FileReader, all
//          at once, from `change` to the last byte): the part of `load` no app can avoid;
//   floor  the browser's own JSON.parse of the same bytes (already in memory), the least any
//          loader of these files could spend once they are read.
// Usage: node scripts/bench-dashboard.mjs [runs=3]   (E2E_DIST, CHROMIUM as in e2e/harness.mjs)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { launch, cspHeader, DIST, PUBLIC_URL } from "../e2e/harness.mjs";
import { serve } from "../e2e/server.mjs";
import { generate } from "./gen-files.mjs";

const SIZES = [100, 1000, 3321];
const RUNS = Number(process.argv[2] ?? 3);

const dir = mkdtempSync(join(tmpdir(), "bench-dashboard-"));
const server = await serve({ root: DIST, publicUrl: PUBLIC_URL, headers: { "content-security-policy": cspHeader() } });
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const vi = (n) => n.toLocaleString("vi-VN");

try {
  const all = generate({ count: Math.max(...SIZES) });
  console.log(`Chromium ${browser.version()}, ${RUNS} runs per size, median (min–max), ms`);
  console.log("files | MB    | set           | load          | saved         | read          | JSON.parse floor");
  for (const size of SIZES) {
    const files = all.slice(0, size);
    const sub = join(dir, String(size));
    rmSync(sub, { recursive: true, force: true });
    mkdirSync(sub, { recursive: true });
    const paths = files.map((f) => join(sub, f.name));
    files.forEach((f, i) => writeFileSync(paths[i], f.text));
    const bytes = files.reduce((s, f) => s + Buffer.byteLength(f.text), 0);
    const set = [];
    const load = [];
    const saved = [];
    const read = [];
    const floor = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.goto(`${server.url}#/tong-hop`);
      await page.getByRole("heading", { name: "Tổng hợp kết quả các xã, phường" }).waitFor();
      await page.getByText("Chưa nạp tệp nào").waitFor();
      // Page-side clock: the change event, then the first time the count reads `size`.
      await page.evaluate((wanted) => {
        window.__bench = {};
        document.addEventListener("change", () => (window.__bench.change = performance.now()), { capture: true, once: true });
        new MutationObserver((_, observer) => {
          const status = document.getElementById("tong-hop-so-lieu");
          if (status?.textContent.includes(wanted)) {
            window.__bench.shown = performance.now();
            observer.disconnect();
          }
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      }, `Đã nạp ${vi(size)} đơn vị`);
      const t0 = performance.now();
      await page.getByLabel("Chọn các tệp JSON của các xã, phường").setInputFiles(paths);
      set.push(performance.now() - t0);
      await page.waitForFunction(() => window.__bench.shown, null, { timeout: 120_000, polling: 50 });
      await page.getByText("Đang lưu bản đầy đủ của các tệp…").waitFor({ state: "detached", timeout: 120_000 });
      const t = await page.evaluate(() => ({ ...window.__bench, saved: performance.now() }));
      load.push(t.shown - t.change);
      saved.push(t.saved - t.change);
      await page.evaluate(() => {
        const input = Object.assign(document.createElement("input"), { type: "file", multiple: true, id: "bench-read" });
        document.body.append(input);
        input.addEventListener("change", async () => {
          const start = performance.now();
          await Promise.all(
            [...input.files].map(
              (f) =>
                new Promise((resolve, reject) => {
                  const reader = new FileReader();
                  reader.onload = resolve;
                  reader.onerror = reject;
                  reader.readAsArrayBuffer(f);
                }),
            ),
          );
          window.__bench.read = performance.now() - start;
        });
      });
      await page.setInputFiles("#bench-read", paths);
      await page.waitForFunction(() => window.__bench.read, null, { timeout: 120_000, polling: 50 });
      read.push(await page.evaluate(() => window.__bench.read));
      floor.push(
        await page.evaluate((texts) => {
          const start = performance.now();
          let n = 0;
          for (const t of texts) n += JSON.parse(t).assessments.length;
          if (n !== texts.length) throw new Error("parse");
          return performance.now() - start;
        }, files.map((f) => f.text)),
      );
      if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
      await context.close();
    }
    const fmt = (xs) => `${median(xs).toFixed(0).padStart(5)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`.padEnd(13);
    console.log(
      `${String(size).padStart(5)} | ${(bytes / 1048576).toFixed(1).padStart(5)} | ${fmt(set)} | ${fmt(load)} | ${fmt(saved)} | ${fmt(read)} | ${fmt(floor)}`,
    );
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
