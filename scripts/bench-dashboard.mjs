// How fast the dashboard takes files in, in headless Chromium with the CPU slowed 4× (as a
// cheap phone) against the release build in dist/ (build it first: `make dist
// PUBLIC_URL=/so-y-te/tre-em/`). A report, not a timed test: it prints figures beside the product
// owner's targets and fails only if the dashboard shows a wrong count or the page an error. Each
// row is the median of RUNS runs (each in a fresh browser profile), with its floor measured in
// the same run, on the same files, in the same slowed page:
//
//   shown   from the input's `change` event to the count of loaded units shown on screen (the
//           files read, checked, scored, merged; the counts, charts and first page drawn);
//   stored  from `change` until the whole documents are stored too (the import is over);
//   floor   the least any page could spend on the same files: `file.text()` of each, then
//           `JSON.parse` of each (on a plain file input of the same page);
//   longest the longest task on the page's main thread from `change` until stored
//           (PerformanceObserver "longtask"; 0 when none reached 50 ms);
//   sort, filter (10,000 rows) from a click on a column heading, or a search typed, to the
//           next frame painted after the table changed (each run: the median of SAMPLES clicks,
//           each followed by a floor, and of SAMPLES searches); their floor: the same page's plain
//           JavaScript giving every row of the page the texts of the next row (nodeValue, no
//           wasm), to the next frame — what the browser alone spends to show other rows. All
//           three with the page scrolled as the user has it then: the headings at the top of
//           the window for a sort and the floor, the search box for a filter (rows in view cost
//           the browser more than rows below the window, where the page opens after an import);
//           and the same floor with only the page's first row changed: what any table, however
//           few rows it draws, pays the browser for one frame;
//   CSV     (10,000 rows) from a click on «Tải tệp CSV…» to the notice that the file is offered,
//           and the longest task meanwhile;
//   reopen  (10,000 rows) a reload of the dashboard: from the navigation to the count and the
//           table's first page shown, and the longest task until two seconds after; then the
//           same with the table gone from localStorage (as one too large for it): read back
//           from the rows stored beside the documents in IndexedDB;
//   change  (10,000 rows) one row removed (from the click that confirms) and one commune's file
//           added: until the new count is shown, until stored, and the longest task meanwhile.
//
// Targets (issue 15): 1,000 commune files ≤ 1.5 × the floor; one 19 MB file of 5,000 records
// ≤ 3 s with no task over 200 ms; 10,000 rows sorted and filtered within a frame.
// Usage: node scripts/bench-dashboard.mjs [runs=3] [rows…]   rows: files, big, table (default all)
// (E2E_DIST, CHROMIUM as in e2e/harness.mjs; CPU_SLOWDOWN=1 for an office PC's view: the targets
// are set at 4)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, cspHeader, DIST, PUBLIC_URL } from "../e2e/harness.mjs";
import { serve } from "../e2e/server.mjs";
import { bigFile, generate } from "./gen-files.mjs";

const RUNS = Number(process.argv[2] ?? 3);
/** Sorts, filters and floors timed in each run of the table, of which the run keeps the median. */
const SAMPLES = 5;
const ONLY = process.argv.slice(3);
const wanted = (row) => ONLY.length === 0 || ONLY.includes(row);
const CPU_SLOWDOWN = Number(process.env.CPU_SLOWDOWN || 4);
if (!(CPU_SLOWDOWN >= 1)) throw new Error(`CPU_SLOWDOWN must be a number ≥ 1, not «${process.env.CPU_SLOWDOWN}»`);
const dir = mkdtempSync(join(tmpdir(), "bench-dashboard-"));
const server = await serve({ root: DIST, publicUrl: PUBLIC_URL, headers: { "content-security-policy": cspHeader() } });
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const vi = (n) => n.toLocaleString("vi-VN");
const ms = (x) => `${Math.round(x)} ms`;

/** Writes `files` ({name, text}) under a fresh directory; their paths and total bytes. */
function onDisk(label, files) {
  const sub = join(dir, label);
  rmSync(sub, { recursive: true, force: true });
  mkdirSync(sub, { recursive: true });
  const paths = files.map((f) => join(sub, f.name));
  files.forEach((f, i) => writeFileSync(paths[i], f.text));
  return { paths, bytes: files.reduce((s, f) => s + Buffer.byteLength(f.text), 0) };
}

/** A dashboard page with its clock set: the change event, the count shown, long tasks. */
async function openDashboard() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  await page.goto(`${server.url}#/tong-hop`);
  await page.getByRole("heading", { name: "Tổng hợp kết quả các xã, phường" }).waitFor();
  await page.getByText("Chưa nạp tệp nào").waitFor();
  await page.evaluate(() => {
    window.__bench = { longtasks: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask" });
  });
  return { context, page, errors };
}

/** Loads `paths` through the dashboard's picker: times until shown and until stored, the
 * longest task meanwhile. Both moments are taken in the page, by a MutationObserver. */
async function load(page, paths, units) {
  await page.evaluate((wanted) => {
    const b = window.__bench;
    b.change = undefined;
    b.shown = undefined;
    b.stored = undefined;
    document.addEventListener("change", () => (b.change = performance.now()), { capture: true, once: true });
    const saving = () => [...document.querySelectorAll("[role=status]")].some((e) => e.textContent.includes("Đang lưu bản đầy đủ"));
    new MutationObserver((_, observer) => {
      if (b.shown === undefined && document.getElementById("tong-hop-so-lieu")?.textContent.includes(wanted)) {
        b.shown = performance.now();
      }
      if (b.shown !== undefined && !saving() && !document.querySelector(".import-progress")) {
        b.stored = performance.now();
        observer.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, `Đã nạp ${vi(units)} đơn vị`);
  await page.getByLabel("Chọn các tệp JSON của các xã, phường").setInputFiles(paths);
  await page.waitForFunction(() => window.__bench.stored, null, { timeout: 600_000, polling: 100 });
  return page.evaluate(() => {
    const b = window.__bench;
    const during = b.longtasks.filter((t) => t.start >= b.change - 1 && t.start <= b.stored);
    return {
      load: b.shown - b.change,
      stored: b.stored - b.change,
      longest: Math.max(0, ...during.map((t) => t.duration)),
      tasks: during.length,
    };
  });
}

/** The floor: file.text() then JSON.parse of every file, from a plain input of the same page. */
async function floor(page, paths) {
  await page.evaluate(() => {
    const input = Object.assign(document.createElement("input"), { type: "file", multiple: true, id: "bench-floor" });
    document.body.append(input);
    window.__bench.floor = undefined;
    input.addEventListener("change", async () => {
      const start = performance.now();
      const texts = await Promise.all([...input.files].map((f) => f.text()));
      let n = 0;
      for (const t of texts) n += JSON.parse(t).assessments.length;
      window.__bench.floor = { ms: performance.now() - start, records: n };
    });
  });
  await page.setInputFiles("#bench-floor", paths);
  await page.waitForFunction(() => window.__bench.floor, null, { timeout: 300_000, polling: 20 });
  const result = await page.evaluate(() => window.__bench.floor);
  await page.evaluate(() => document.getElementById("bench-floor").remove());
  return result.ms;
}

/** From `act` (a click, a keystroke) to the next frame painted after the table changed. */
async function toNextFrame(page, act) {
  await page.evaluate(() => {
    const b = window.__bench;
    b.frame = undefined;
    const table = document.querySelector(".dashboard-table tbody");
    new MutationObserver((_, observer) => {
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => (b.frame = performance.now() - b.acted)));
    }).observe(table, { subtree: true, childList: true, characterData: true });
  });
  await act();
  await page.waitForFunction(() => window.__bench.frame !== undefined, null, { timeout: 60_000, polling: 10 });
  return page.evaluate(() => window.__bench.frame);
}

/** Reopening the dashboard with `units` loaded: a reload, timed from the navigation to the count
 * and the table's first page shown, and the longest task until two seconds after that (the charts
 * come after the count). */
async function reopen(page, units) {
  await page.addInitScript((wanted) => {
    const b = (window.__bench = { longtasks: [] });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) b.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
    new MutationObserver((_, observer) => {
      if (
        document.getElementById("tong-hop-so-lieu")?.textContent.includes(wanted) &&
        document.querySelector(".dashboard-table tbody tr")
      ) {
        b.shown = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  }, `Đã nạp ${vi(units)} đơn vị`);
  await page.reload();
  await page.waitForFunction(() => window.__bench.shown !== undefined, null, { timeout: 120_000, polling: 50 });
  await page.waitForTimeout(2000);
  return page.evaluate(() => {
    const b = window.__bench;
    const during = b.longtasks.filter((t) => t.start <= b.shown + 2000);
    return { ms: b.shown, longest: Math.max(0, ...during.map((t) => t.duration)) };
  });
}

/** Removing the first row of the table's page when `units` are loaded: from the click on «Gỡ»
 * that confirms to the count shown, and until the removal is stored (its notice gone); the
 * longest task meanwhile. */
async function removeOne(page, units) {
  const button = page.locator("button[aria-label^='Gỡ bản của']").first();
  const who = (await button.getAttribute("aria-label")).replace("Gỡ bản của ", "");
  await button.click();
  await page.evaluate((wanted) => {
    const b = window.__bench;
    b.acted = b.shown = b.stored = undefined;
    document.addEventListener("click", () => (b.acted = performance.now()), { capture: true, once: true });
    const removing = () => [...document.querySelectorAll("[role=status]")].some((e) => e.textContent.includes("Đang gỡ"));
    new MutationObserver((_, observer) => {
      if (b.shown === undefined && document.getElementById("tong-hop-so-lieu")?.textContent.includes(wanted)) {
        b.shown = performance.now();
      }
      if (b.shown !== undefined && !removing()) {
        b.stored = performance.now();
        observer.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  }, `Đã nạp ${vi(units - 1)} đơn vị`);
  await page.locator(`[aria-label="Xác nhận gỡ bản của ${who}"] button`, { hasText: /^Gỡ$/ }).click();
  await page.waitForFunction(() => window.__bench.stored, null, { timeout: 120_000, polling: 100 });
  return page.evaluate(() => {
    const b = window.__bench;
    // The click's own task began before its event: every task that ends after the click.
    const during = b.longtasks.filter((t) => t.start + t.duration >= b.acted && t.start <= b.stored);
    return { load: b.shown - b.acted, stored: b.stored - b.acted, longest: Math.max(0, ...during.map((t) => t.duration)) };
  });
}

/** The CSV of every row kept (`rows` of them): from the click on the separator to the notice that
 * the file is offered, and the longest task meanwhile; fails unless the file has every row. */
async function csvOfAll(page, rows) {
  await page.getByRole("button", { name: "Xuất bảng đang lọc (CSV cho Excel)" }).click();
  await page.evaluate(() => {
    const b = window.__bench;
    b.csv = undefined;
    new MutationObserver((_, observer) => {
      if (document.body.textContent.includes("Đã xuất bảng")) {
        b.csv = performance.now();
        observer.disconnect();
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 120_000 }),
    page.getByRole("button", { name: "Tải tệp CSV, dấu phẩy (,)" }).evaluate((b) => {
      window.__bench.acted = performance.now();
      b.click();
    }),
  ]);
  const lines = readFileSync(await download.path(), "utf8").trim().split("\r\n").length;
  if (lines !== rows + 1) throw new Error(`the CSV has ${lines} lines, not ${rows + 1}`);
  await page.waitForFunction(() => window.__bench.csv !== undefined, null, { timeout: 60_000, polling: 20 });
  return page.evaluate(() => {
    const b = window.__bench;
    const during = b.longtasks.filter((t) => t.start >= b.acted - 1 && t.start <= b.csv);
    return { ms: b.csv - b.acted, longest: Math.max(0, ...during.map((t) => t.duration)) };
  });
}

/** The table's floor: every text of the first `rows` rows of the page (all of them unless
 * told) replaced by the next row's, by plain JavaScript, to the next frame painted. */
function tableFloor(page, rows = Infinity) {
  return toNextFrame(page, () =>
    page.evaluate((rows) => {
      window.__bench.acted = performance.now();
      const texts = [...document.querySelectorAll(".dashboard-table tbody tr")].map((tr) => {
        const walker = document.createTreeWalker(tr, NodeFilter.SHOW_TEXT);
        const nodes = [];
        while (walker.nextNode()) nodes.push(walker.currentNode);
        return nodes;
      });
      const values = texts.map((nodes) => nodes.map((n) => n.nodeValue));
      texts.slice(0, rows).forEach((nodes, i) => {
        const next = values[(i + 1) % values.length];
        nodes.forEach((n, j) => j < next.length && (n.nodeValue = next[j]));
      });
    }, rows),
  );
}

const rows = [];
const mb = (bytes) => `${(bytes / 1048576).toFixed(1).replace(".", ",")} MB`;

/** RUNS runs of loading `paths` (each in a fresh profile) then the floor on the same page. */
async function measure(paths, units) {
  const runs = [];
  for (let run = 0; run < RUNS; run++) {
    const { context, page, errors } = await openDashboard();
    const loaded = await load(page, paths, units);
    const f = await floor(page, paths);
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    runs.push({ ...loaded, f });
    await context.close();
  }
  return {
    load: median(runs.map((r) => r.load)),
    stored: median(runs.map((r) => r.stored)),
    floor: median(runs.map((r) => r.f)),
    ratio: median(runs.map((r) => r.load / r.f)),
    longest: median(runs.map((r) => r.longest)),
    tasks: median(runs.map((r) => r.tasks)),
  };
}

try {
  console.log(`Chromium ${browser.version()}, CPU ${CPU_SLOWDOWN}× slower, ${RUNS} runs per row, medians`);
  if (wanted("files")) {
    const all = generate({ count: 3321 });
    for (const size of [100, 1000, 3321]) {
      const { paths, bytes } = onDisk(`xa-${size}`, all.slice(0, size));
      rows.push({
        what: `${vi(size)} tệp của xã (${mb(bytes)})`,
        ...(await measure(paths, size)),
        target: size === 1000 ? "≤ 1,5 × sàn" : "",
      });
      console.log(JSON.stringify(rows.at(-1)));
    }
  }

  const big = bigFile({ records: 5000 });
  if (wanted("big")) {
    const { paths, bytes } = onDisk("tinh", [{ name: "tong-hop_01_5000-ban.json", text: big.text }]);
    rows.push({
      what: `1 tệp ${mb(bytes)} (5.000 bản đánh giá)`,
      ...(await measure(paths, 5000)),
      target: "≤ 3 s, không tác vụ > 200 ms",
    });
    console.log(JSON.stringify(rows.at(-1)));
  }

  // 10,000 rows: two provinces' files of 5,000 records (four years of 2,500 communes).
  if (wanted("table")) {
    const second = bigFile({ records: 5000, years: [2022, 2023], seed: 4 });
    const { paths: tenThousand } = onDisk("muoi-nghin", [
      { name: "tong-hop_2024-2025.json", text: big.text },
      { name: "tong-hop_2022-2023.json", text: second.text },
    ]);
    const sorts = [];
    const filters = [];
    const floors = [];
    const oneRowFloors = [];
    const csvs = [];
    const reopens = [];
    const rebuilds = [];
    const removals = [];
    const additions = [];
    // One commune's file of a year the two provinces' files lack: it adds a row.
    const { paths: oneMore } = onDisk("them-mot", generate({ count: 1, year: 2026 }));
    for (let run = 0; run < RUNS; run++) {
      const { context, page, errors } = await openDashboard();
      await load(page, tenThousand, 10000);
      const table = page.getByRole("table", { name: /Kết quả tự đánh giá của các đơn vị đã nạp/ });
      // Scrolled, then two frames for the page to paint there before anything is timed.
      const inView = (locator) =>
        locator.evaluate(
          (e) =>
            new Promise((done) => {
              e.scrollIntoView({ block: "start" });
              requestAnimationFrame(() => requestAnimationFrame(done));
            }),
        );
      const headings = table.locator("thead");
      const box = page.getByLabel("Tìm theo tên, mã đơn vị, tỉnh hoặc tên tệp");
      // One click or keystroke is a frame or two of a busy page: the median of a few, each
      // sort beside a floor measured right after it.
      const [runSorts, runFloors, runFilters, runOneRow] = [[], [], [], []];
      await inView(headings);
      for (let i = 0; i < SAMPLES; i++) {
        runSorts.push(
          await toNextFrame(page, async () => {
            const button = table.getByRole("columnheader", { name: "Xã, phường" }).getByRole("button");
            await button.evaluate((b) => {
              window.__bench.acted = performance.now();
              b.click();
            });
          }),
        );
        runFloors.push(await tableFloor(page));
        runOneRow.push(await tableFloor(page, 1));
      }
      await inView(box);
      for (let i = 0; i < SAMPLES; i++) {
        await box.fill("");
        await page.getByText(`trong ${vi(10000)} đơn vị khớp bộ lọc`).waitFor();
        runFilters.push(
          await toNextFrame(page, async () => {
            await box.evaluate((input) => {
              window.__bench.acted = performance.now();
              input.value = "hoa";
              input.dispatchEvent(new Event("input", { bubbles: true }));
            });
          }),
        );
      }
      sorts.push(median(runSorts));
      floors.push(median(runFloors));
      oneRowFloors.push(median(runOneRow));
      filters.push(median(runFilters));
      await box.fill("");
      await page.getByText(`trong ${vi(10000)} đơn vị khớp bộ lọc`).waitFor();
      csvs.push(await csvOfAll(page, 10000));
      reopens.push(await reopen(page, 10000));
      await page.evaluate(() => {
        for (const key of Object.keys(localStorage)) {
          if (key.startsWith("xa-tre-em/tong-hop/bang")) localStorage.removeItem(key);
        }
      });
      rebuilds.push(await reopen(page, 10000));
      removals.push(await removeOne(page, 10000));
      additions.push(await load(page, oneMore, 10000));
      if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
      await context.close();
    }
    const floor = median(floors);
    const row = (what, times) => ({
      what,
      load: median(times),
      floor,
      ratio: median(times.map((t, i) => t / floors[i])),
      target: "≤ 1 khung hình (16,7 ms)",
    });
    rows.push(row("10.000 dòng: sắp xếp theo tên xã", sorts));
    rows.push(row("10.000 dòng: lọc theo chữ gõ vào", filters));
    // What a frame costs the browser when only one row of the page shows another: the least a
    // table showing fewer rows (virtualised, or a shorter page) could spend on a sort.
    rows.push({
      what: "10.000 dòng: sàn khi chỉ một dòng của trang đổi chữ",
      load: median(oneRowFloors),
      target: "(tham chiếu cho mục tiêu 1 khung hình)",
    });
    rows.push({
      what: "10.000 dòng: xuất CSV (bấm → tệp)",
      load: median(csvs.map((c) => c.ms)),
      longest: median(csvs.map((c) => c.longest)),
      target: "không đặt riêng (nạp tệp: không tác vụ > 200 ms)",
    });
    rows.push({
      what: "10.000 dòng: mở lại «Tổng hợp» (tải lại → số đơn vị và bảng)",
      load: median(reopens.map((r) => r.ms)),
      longest: median(reopens.map((r) => r.longest)),
      target: "không đặt riêng (nạp tệp: không tác vụ > 200 ms)",
    });
    rows.push({
      what: "10.000 dòng: mở lại khi bảng không có trong localStorage (đọc lại từ IndexedDB)",
      load: median(rebuilds.map((r) => r.ms)),
      longest: median(rebuilds.map((r) => r.longest)),
      target: "không đặt riêng (nạp tệp: không tác vụ > 200 ms)",
    });
    const change = (what, runs) => ({
      what,
      load: median(runs.map((r) => r.load)),
      stored: median(runs.map((r) => r.stored)),
      longest: median(runs.map((r) => r.longest)),
      target: "không đặt riêng (nạp tệp: không tác vụ > 200 ms)",
    });
    rows.push(change("10.000 dòng: gỡ một đơn vị (bấm «Gỡ» → số đơn vị mới)", removals));
    rows.push(change("10.000 dòng: nạp thêm 1 tệp của xã", additions));
  }

  console.log("| trường hợp | đến khi hiện | đến khi lưu xong | sàn | tỷ lệ (hiện/sàn) | tác vụ dài nhất | mục tiêu |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  for (const r of rows) {
    console.log(
      `| ${r.what} | ${ms(r.load)} | ${r.stored !== undefined ? ms(r.stored) : ""} | ${r.floor ? ms(r.floor) : ""} | ${r.ratio ? r.ratio.toFixed(2).replace(".", ",") : ""} | ${
        r.longest !== undefined ? ms(r.longest) : ""
      } | ${r.target} |`,
    );
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
