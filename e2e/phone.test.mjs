// A cheap Android phone, 360 px wide, and WCAG's reflow width of 320 px: every screen of the walk
// (e2e/screens.mjs) fits the width without sideways scrolling, and every control a finger aims at
// is at least 44 × 44 px.
// Links inside a sentence are exempt, as WCAG 2.5.8 exempts inline targets: their size is the
// line's; everything else — buttons, fields, the whole label of a radio button or check box,
// links standing alone — is measured. No word is cut across two lines («Đón» above «g» in a
// squeezed button, «Phư»/«ờng» in a table's narrow column). A table laid out anew for the phone
// keeps every cell, headers included, for screen readers. A frame that scrolls sideways (the
// dashboard's wide tables and charts) says so in words.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, cutWords, unevenSignatures } from "./harness.mjs";
import { visitEveryScreen } from "./screens.mjs";

const WIDTH = 360;
/** WCAG 2.1's reflow width (1.4.10: 1,280 px zoomed to 400%), also a 360 px phone whose text is
 * enlarged by an eighth: the walk runs at both widths. */
const REFLOW_WIDTH = 320;
const MIN_TARGET = 44;

let env;
before(async () => {
  env = await start({ csp: true });
});
after(async () => env.close());

/**
 * How much wider than the screen the page is, and the elements that stick out. The screen is
 * the fixed 360 px: a phone (and Chromium's mobile emulation) stretches `innerWidth` to the
 * content when the page is too wide, so `scrollWidth > innerWidth` alone would never fail.
 */
async function overflow(page, width = WIDTH) {
  return page.evaluate((width) => {
    const excess = Math.max(document.documentElement.scrollWidth, window.innerWidth) - width;
    const culprits = [];
    if (excess > 0) {
      for (const el of document.querySelectorAll("body *")) {
        const r = el.getBoundingClientRect();
        // The outermost element that sticks out names the cause; its children follow it.
        if (r.right > width + 0.5 && !culprits.some((c) => c.el.contains(el))) {
          culprits.push({ el, right: Math.round(r.right) });
        }
      }
    }
    const name = (el) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.className && typeof el.className === "string" ? `.${el.className.trim().split(/\s+/).join(".")}` : ""}`;
    return { excess, culprits: culprits.slice(0, 5).map((c) => `${name(c.el)} → ${c.right}px`) };
  }, width);
}

/** Controls smaller than `min` px either way, described for the failure message. */
async function smallTargets(page, min) {
  return page.evaluate((min) => {
    const CONTROLS =
      'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])';
    const small = [];
    for (const el of document.querySelectorAll(CONTROLS)) {
      // What the finger hits: the label of a radio button, a check box or the hidden file input.
      let target = el;
      if (el.matches('input[type="radio"], input[type="checkbox"]')) target = el.closest("label") ?? el;
      if (el.matches('input[type="file"]') && el.id) {
        target = document.querySelector(`label[for="${el.id}"]`) ?? el;
      }
      const r = target.getBoundingClientRect();
      const style = getComputedStyle(target);
      // Not drawn: inside a closed section, off screen (the skip link until focused), or the
      // 1 px of a visually hidden element that something else stands for.
      if (r.width <= 1 || r.height <= 1 || style.visibility === "hidden") continue;
      if (r.right <= 0 || r.left >= document.documentElement.clientWidth) continue;
      const inSentence =
        target.tagName === "A" &&
        style.display === "inline" &&
        target.parentElement.textContent.trim().length > target.textContent.trim().length;
      if (inSentence) continue;
      if (r.width < min - 0.5 || r.height < min - 0.5) {
        const text = (target.textContent || target.getAttribute("aria-label") || target.id || "").trim().replace(/\s+/g, " ").slice(0, 40);
        small.push(`${target.tagName.toLowerCase()} «${text}» ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return small;
  }, min);
}

/** A cell's second line (`.cell-sub`: a province's code under its name, an appraisal's score)
 * that runs on at the end of the first («Hà NộiMã 01»), described for the failure message. */
async function joinedLines(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll(".cell-sub")].flatMap((sub) => {
      const first = document.createRange();
      first.setStart(sub.parentElement, 0);
      first.setEndBefore(sub);
      const above = [...first.getClientRects()].filter((r) => r.width > 0).map((r) => r.bottom);
      if (!above.length || !sub.textContent.trim()) return [];
      return sub.getBoundingClientRect().top < Math.max(...above) - 1
        ? [`«${first.toString().trim()}» «${sub.textContent.trim()}»`]
        : [];
    }),
  );
}

/** Cells whose text says their column's name again (`data-label`, shown above the cell on a
 * phone: «Đến» over «đến 100%»), described for the failure message. */
async function repeatedLabels(page) {
  return page.evaluate(() => {
    const word = (text) => text.trim().split(/[\s(]+/)[0].toLocaleLowerCase("vi");
    return [...document.querySelectorAll("td[data-label]")]
      .filter((td) => td.getClientRects().length && word(td.textContent) === word(td.dataset.label))
      .map((td) => `«${td.dataset.label}» «${td.textContent.trim()}»`);
  });
}

/** Tables of the dashboard with a column per criterion or figure, read by a province's staff on
 * a computer, and the list of appraisal results, a sheet to print: on a phone they scroll
 * sideways inside their frame. Every other table fits the phone's width. */
const WIDE_TABLES = ["dashboard-table", "provinces-table", "appraisal-list-table"];

/** Tables that scroll sideways — in their frame (`.table-wrap`) or as a box of their own —
 * other than WIDE_TABLES, described for the failure message. */
async function sidewaysTables(page) {
  return page.evaluate((allowed) =>
    [...document.querySelectorAll("table")]
      .filter((table) => !allowed.some((name) => table.classList.contains(name)))
      .filter((table) => {
        const frame = table.closest(".table-wrap") ?? table;
        return frame.getClientRects().length && frame.scrollWidth > frame.clientWidth + 1;
      })
      .map((table) => `«${table.querySelector("caption, th")?.textContent.trim() ?? "?"}» ${table.scrollWidth}px`),
  WIDE_TABLES);
}

/** Frames that scroll sideways without saying so above their content (the words of the
 * `::before` that report.css and dashboard.css give a wide table's or chart's frame): a reader
 * on a phone sees only a cut edge. Described for the failure message. */
async function silentScrollers(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("body *")]
      .filter((e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowX) && e.checkVisibility())
      .filter((e) => e.scrollWidth > e.clientWidth + 1 && !getComputedStyle(e, "::before").content.startsWith('"'))
      .map((e) => {
        const named = e.querySelector("caption, th") ?? e.closest("figure")?.querySelector("figcaption");
        return `«${named?.textContent.trim() ?? e.tagName.toLowerCase()}» ${e.scrollWidth}px`;
      }));
}

/** Charts whose letters come out under MIN_CHART_TEXT px high on the screen (an SVG drawn wide
 * and shrunk to the phone's width), described for the failure message. */
const MIN_CHART_TEXT = 9;
async function tinyChartText(page) {
  return page.evaluate((min) =>
    [...document.querySelectorAll(".chart-drawing svg")].flatMap((svg) => {
      const heights = [...svg.querySelectorAll("text")].map((t) => t.getBoundingClientRect().height).filter((h) => h > 0);
      const least = Math.min(...heights);
      return least < min ? [`«${svg.closest("figure")?.querySelector("figcaption")?.textContent.trim()}» ${least.toFixed(1)}px`] : [];
    }),
  MIN_CHART_TEXT);
}

/** Tables of data (with a header cell) on screen whose cells are not all in Chromium's
 * accessibility tree — a header row or an empty cell put out of sight with `display: none` to fit
 * a phone is dropped from it, and a screen reader then never announces that column — described
 * for the failure message as «caption» cells exposed/cells. */
const CELL_ROLES = new Set(["cell", "gridcell", "columnheader", "rowheader"]);
async function cellsLostToReaders(cdp) {
  const { result } = await cdp.send("Runtime.evaluate", {
    expression: "[...document.querySelectorAll('table')].filter((t) => t.querySelector('th') && t.checkVisibility())",
  });
  const { result: entries } = await cdp.send("Runtime.getProperties", { objectId: result.objectId, ownProperties: true });
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  const byId = new Map(nodes.map((n) => [n.nodeId, n]));
  const byElement = new Map(nodes.map((n) => [n.backendDOMNodeId, n]));
  const lost = [];
  for (const { value } of entries.filter((e) => /^\d+$/.test(e.name))) {
    const { result: table } = await cdp.send("Runtime.callFunctionOn", {
      objectId: value.objectId,
      returnByValue: true,
      functionDeclaration: "function () { return { cells: this.querySelectorAll('td, th').length, name: this.querySelector('caption, th').textContent.trim() }; }",
    });
    const { node } = await cdp.send("DOM.describeNode", { objectId: value.objectId });
    let exposed = 0;
    const pending = [byElement.get(node.backendNodeId)].filter(Boolean);
    while (pending.length > 0) {
      const n = pending.pop();
      if (!n.ignored && CELL_ROLES.has(n.role?.value)) exposed++;
      for (const id of n.childIds ?? []) if (byId.has(id)) pending.push(byId.get(id));
    }
    if (exposed < table.value.cells) lost.push(`«${table.value.name}» ${exposed}/${table.value.cells}`);
  }
  return lost;
}

for (const width of [WIDTH, REFLOW_WIDTH]) test(`every screen at ${width} px: no sideways scrolling, tap targets of at least 44 px, no word cut, no cell run together or repeating its column, signatures level, tables within the width and whole for screen readers, charts legible, sideways scrolling said`, async () => {
  const context = await env.browser.newContext({
    viewport: { width, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  const { page, problems } = await openPage(context, env.server.url);
  const cdp = await context.newCDPSession(page);
  const failures = [];
  const visited = [];
  await visitEveryScreen(page, async (screen) => {
    visited.push(screen);
    const { excess, culprits } = await overflow(page, width);
    if (excess > 0) failures.push(`${screen}: rộng hơn màn hình ${excess}px (${culprits.join("; ")})`);
    for (const t of await smallTargets(page, MIN_TARGET)) failures.push(`${screen}: nhỏ hơn ${MIN_TARGET}px: ${t}`);
    for (const w of await cutWords(page)) failures.push(`${screen}: chữ bị cắt xuống dòng: ${w}`);
    for (const j of await joinedLines(page)) failures.push(`${screen}: dòng thứ hai của ô dính vào dòng đầu: ${j}`);
    for (const r of await repeatedLabels(page)) failures.push(`${screen}: ô nhắc lại tên cột: ${r}`);
    for (const u of await unevenSignatures(page)) failures.push(`${screen}: tên người ký không ngang nhau: ${u}`);
    for (const t of await sidewaysTables(page)) failures.push(`${screen}: bảng phải cuộn ngang: ${t}`);
    for (const c of await tinyChartText(page)) failures.push(`${screen}: chữ của biểu đồ thấp hơn ${MIN_CHART_TEXT}px: ${c}`);
    for (const t of await cellsLostToReaders(cdp)) failures.push(`${screen}: bảng mất ô với trình đọc màn hình: ${t}`);
    for (const f of await silentScrollers(page)) failures.push(`${screen}: cuộn ngang mà không báo: ${f}`);
  });
  // The error screen of public/crash.js, drawn by plain JavaScript when the app has stopped.
  await page.evaluate(() => dispatchEvent(new CustomEvent("xa-tre-em:su-co", { detail: "thử" })));
  await page.getByRole("heading", { level: 1, name: "Công cụ gặp sự cố và đã dừng" }).waitFor();
  const crash = await overflow(page, width);
  if (crash.excess > 0) failures.push(`Màn hình sự cố: rộng hơn màn hình ${crash.excess}px`);
  for (const t of await smallTargets(page, MIN_TARGET)) failures.push(`Màn hình sự cố: nhỏ hơn ${MIN_TARGET}px: ${t}`);
  // Every criterion screen is part of the walk.
  for (let n = 1; n <= 13; n++) {
    assert.ok(visited.some((s) => s.startsWith(`Tiêu chí ${n}`)), `Tiêu chí ${n} visited`);
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the checks catch a page wider than the screen, a small button, a cut word, a cell's lines run together, a column's name said twice, two signatures at different heights, a table wider than the phone, a chart's letters too small, a header row hidden from screen readers and a frame scrolling sideways unsaid", async () => {
  // A test that cannot fail is a defect: the same checks on a page broken on purpose.
  const context = await env.browser.newContext({ viewport: { width: WIDTH, height: 740 }, isMobile: true, hasTouch: true });
  const { page, problems } = await openPage(context, env.server.url);
  const cdp = await context.newCDPSession(page);
  await page.evaluate(() => {
    const wide = document.createElement("div");
    wide.style.width = "700px";
    wide.textContent = "rộng";
    const small = document.createElement("button");
    small.textContent = "x";
    small.style.cssText = "min-height:0;min-width:0;padding:0;height:20px;width:20px";
    const narrow = document.createElement("button");
    narrow.textContent = "Đóng";
    narrow.style.cssText = "width:1.2em;overflow-wrap:anywhere";
    // A name and its code in one cell, the code not put on a line of its own.
    const table = document.createElement("table");
    const cell = table.insertRow().insertCell();
    cell.append("Thành phố Hà Nội", Object.assign(document.createElement("span"), { className: "cell-sub", textContent: "Mã 01" }));
    Object.assign(table.rows[0].insertCell(), { textContent: "đến 100%" }).dataset.label = "Đến";
    // Two signatures side by side, the first under a heading of two lines.
    const signatures = Object.assign(document.createElement("div"), { className: "report-signatures" });
    signatures.style.cssText = "display:flex;align-items:flex-start";
    for (const [heading, name] of [["Dòng một<br>dòng hai", "Nguyễn Thị Lan"], ["Một dòng", "Trần Văn Bình"]]) {
      const one = document.createElement("div");
      one.innerHTML = `<p>${heading}</p><p class="report-sign-name"></p>`;
      one.lastChild.textContent = name;
      signatures.append(one);
    }
    // Six columns of unbroken figures in a frame that scrolls sideways.
    const frame = Object.assign(document.createElement("div"), { className: "table-wrap" });
    frame.style.cssText = "overflow-x:auto";
    const figures = frame.appendChild(document.createElement("table")).createTHead().insertRow();
    for (let i = 1; i <= 6; i++) Object.assign(figures.appendChild(document.createElement("th")), { textContent: `Số liệu thứ ${i}` }).style.whiteSpace = "nowrap";
    // A chart drawn 640 wide with 13 px letters, shrunk to the phone's width.
    const chart = Object.assign(document.createElement("figure"), { innerHTML: '<figcaption>Biểu đồ thử</figcaption><div class="chart-drawing"><svg viewBox="0 0 640 320" width="100%"><text x="10" y="20" font-size="13">50</text></svg></div>' });
    // A header row out of sight the way that hides it from screen readers too.
    const headless = Object.assign(document.createElement("table"), { innerHTML: "<caption>Bảng thử</caption><thead><tr><th>Cột</th></tr></thead><tbody><tr><td>1</td></tr></tbody>" });
    headless.tHead.style.display = "none";
    // A frame of no class of the app, scrolling sideways.
    const bare = document.createElement("div");
    bare.style.overflowX = "auto";
    bare.appendChild(Object.assign(document.createElement("div"), { textContent: "rộng" })).style.width = "900px";
    document.querySelector("main").append(wide, small, narrow, table, signatures, frame, chart, headless, bare);
  });
  const { excess } = await overflow(page);
  assert.ok(excess > 300, `excess ${excess}`);
  assert.ok((await smallTargets(page, MIN_TARGET)).some((t) => t.startsWith("button «x» 20×20")));
  assert.deepEqual(await cutWords(page), ["button «Đóng»"]);
  assert.deepEqual(await joinedLines(page), ["«Thành phố Hà Nội» «Mã 01»"]);
  assert.deepEqual(await repeatedLabels(page), ["«Đến» «đến 100%»"]);
  const [uneven, ...more] = await unevenSignatures(page);
  assert.match(uneven, /^«Nguyễn Thị Lan» ở \d+px, «Trần Văn Bình» ở \d+px$/);
  assert.deepEqual(more, []);
  const [sideways, ...others] = await sidewaysTables(page);
  assert.match(sideways, /^«Số liệu thứ 1» \d+px$/);
  assert.deepEqual(others, []);
  const [tiny, ...rest] = await tinyChartText(page);
  assert.match(tiny, /^«Biểu đồ thử» \d\.\dpx$/);
  assert.deepEqual(rest, []);
  assert.deepEqual(await cellsLostToReaders(cdp), ["«Bảng thử» 1/2"]);
  // Home has not loaded the sheet that gives `.table-wrap` its words: both frames are silent.
  const [silentTable, silentBare, ...moreSilent] = await silentScrollers(page);
  assert.match(silentTable, /^«Số liệu thứ 1» \d+px$/);
  assert.equal(silentBare, "«div» 900px");
  assert.deepEqual(moreSilent, []);
  assert.deepEqual(problems, []);
  await context.close();
});
