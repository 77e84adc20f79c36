// Accessibility on every screen, on a computer and at 360 px: no axe-core violation of any impact
// (a heading level skipped, «moderate», once went unseen), every control with a Vietnamese
// accessible name, and a visible keyboard focus. axe is injected as a script, which the CSP would
// block, so this context bypasses the CSP (e2e/csp.test.mjs covers the policy).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, createAssessment } from "./harness.mjs";
import { visitEveryScreen } from "./screens.mjs";
import { COMMUNES, exchangeFile, makeAssessment } from "../scripts/gen-files.mjs";

const AXE = "node_modules/axe-core/axe.min.js";
// Roles a user operates; their names are what a screen reader says for them.
const CONTROLS = new Set([
  "button", "link", "textbox", "searchbox", "combobox", "listbox", "radio", "checkbox",
  "spinbutton", "slider", "switch", "tab", "menuitem", "DisclosureTriangle",
]);
// English words that would betray an untranslated control (browser defaults, leftovers).
const ENGLISH = /\b(submit|cancel|close|open|delete|save|next|previous|back|menu|search|download|upload|print|edit|ok|yes|no|home|results?|report|dashboard|export|import|loading|error|browse|choose|file|reset|details|more)\b/i;

let env;
before(async () => {
  env = await start({ csp: true });
});
after(async () => env.close());

async function axeViolations(page, rules = {}) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.addScriptTag({ path: AXE });
  }
  const results = await page.evaluate((rules) =>
    window.axe.run(document, { resultTypes: ["violations"], rules }),
  rules);
  return results.violations
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

/** Controls whose accessible name is empty or not Vietnamese, from Chromium's own tree. */
async function unnamedControls(cdp) {
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  return nodes
    .filter((n) => !n.ignored && CONTROLS.has(n.role?.value))
    .map((n) => ({ role: n.role.value, name: (n.name?.value ?? "").trim() }))
    .filter(({ name }) => {
      if (name === "") return true;
      // A name is Vietnamese if it has a Vietnamese letter, or is a figure such as "1"/"2 →".
      const vietnamese = /[^\x00-\x7f]/.test(name) || /^[\d\s.,:/()→←-]+$/.test(name);
      return !vietnamese || ENGLISH.test(name);
    })
    .map(({ role, name }) => `${role} «${name}»`);
}

test("every screen: no violation, Vietnamese names for every control", async () => {
  const context = await env.browser.newContext({ bypassCSP: true });
  const { page, problems } = await openPage(context, env.server.url);
  const cdp = await context.newCDPSession(page);
  const failures = [];
  await visitEveryScreen(page, async (screen) => {
    for (const v of await axeViolations(page)) failures.push(`${screen}: ${v}`);
    for (const c of await unnamedControls(cdp)) failures.push(`${screen}: tên không phải tiếng Việt hoặc trống: ${c}`);
  });

  // The error screen of public/crash.js, drawn by plain JavaScript.
  await page.evaluate(() => dispatchEvent(new CustomEvent("xa-tre-em:su-co", { detail: "thử" })));
  await page.getByRole("heading", { level: 1, name: "Công cụ gặp sự cố và đã dừng" }).waitFor();
  for (const v of await axeViolations(page)) failures.push(`Màn hình sự cố: ${v}`);
  for (const c of await unnamedControls(cdp)) failures.push(`Màn hình sự cố: ${c}`);

  assert.deepEqual(failures, []);
  assert.deepEqual(problems, []);
  await context.close();
});

/** On a phone the dashboard's charts and wide tables scroll sideways in their frames. axe's
 * `scrollable-region-focusable` asks each such frame for a `tabindex`; Chromium (from 130) and
 * Firefox make a frame focusable themselves, and only while it scrolls, where a `tabindex` would
 * add a stop for every table that fits. So that rule is replaced by the browser's own answer:
 * each frame that scrolls takes the focus, and is described for the failure message if not. */
const PHONE_RULES = { "scrollable-region-focusable": { enabled: false } };
async function unreachableScrollers(page) {
  return page.evaluate(() => {
    const before = document.activeElement;
    const unreachable = [...document.querySelectorAll("body *")]
      .filter((e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowX) && e.checkVisibility())
      .filter((e) => e.scrollWidth > e.clientWidth + 1)
      .filter((e) => {
        e.focus({ preventScroll: true });
        return document.activeElement !== e;
      })
      .map((e) => `${e.tagName.toLowerCase()}.${e.className}`);
    before?.focus({ preventScroll: true });
    return unreachable;
  });
}

test("every screen at 360 px: no violation, every frame that scrolls reachable by keyboard", async () => {
  const context = await env.browser.newContext({ bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const { page, problems } = await openPage(context, env.server.url);
  const failures = [];
  let frames = 0;
  await visitEveryScreen(page, async (screen) => {
    for (const v of await axeViolations(page, PHONE_RULES)) failures.push(`${screen}: ${v}`);
    for (const f of await unreachableScrollers(page)) failures.push(`${screen}: khung cuộn ngang không nhận con trỏ bàn phím: ${f}`);
    frames += await page.evaluate(() => document.querySelectorAll(".chart-wide .chart-drawing").length);
  });
  assert.ok(frames > 0, "the walk meets the dashboard's charts, which scroll at this width");
  assert.deepEqual(failures, []);
  // The check fails on a frame that scrolls and that the keyboard cannot reach.
  await page.evaluate(() => {
    const frame = Object.assign(document.createElement("div"), { className: "khung-thu", inert: true });
    frame.style.overflowX = "auto";
    frame.appendChild(Object.assign(document.createElement("div"), { textContent: "rộng" })).style.width = "900px";
    document.querySelector("main").append(frame);
  });
  assert.deepEqual(await unreachableScrollers(page), ["div.khung-thu"]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the keyboard focus is visible", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Tab");
    const focus = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        what: `${el.tagName} «${el.textContent.trim().slice(0, 40)}»`,
        visible: el.matches(":focus-visible"),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
      };
    });
    assert.ok(focus.visible && focus.outline, `focus ring on ${focus.what}`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

/** The focused element's accessible name, as far as these tests need it. */
const active = (page) => page.evaluate(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "<body>: nothing";
  return e.getAttribute("aria-label") ?? e.textContent.trim();
});

/** Waits until the focus is on the element named `name`; says where it is otherwise. */
const focusOn = (page, name) => page.waitForFunction(
  (name) => (document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent.trim()) === name,
  name,
).catch(async () => assert.fail(`the focus is on «${await active(page)}», not on «${name}»`));

test("the skip link moves the focus to the screen's content and stays on the screen", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const before = page.url();
  await page.keyboard.press("Tab");
  assert.equal(await active(page), "Bỏ qua, đến nội dung chính");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.activeElement?.id === "noi-dung");
  // The app's addresses are in the hash: the link must not take the user to another screen.
  assert.equal(page.url(), before);
  assert.equal(await page.locator("h1").textContent(), "Các bản tự đánh giá");
  // The next Tab reaches the screen's first control, not the header's links.
  await page.keyboard.press("Tab");
  assert.equal(
    await page.evaluate(() => document.activeElement.closest("#noi-dung") !== null),
    true,
    "the focus after the skip link is inside the content",
  );
  assert.deepEqual(problems, []);
  await context.close();
});

test("after a link inside a screen, the focus is on the new screen's heading", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const link = page.getByRole("link", { name: "Tạo bản tự đánh giá mới" });
  await link.focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "Tạo bản tự đánh giá mới" }).waitFor();
  // The link went with the old screen; without this the next Tab left the page.
  await focusOn(page, "Tạo bản tự đánh giá mới");
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "H1");
  assert.equal(await page.evaluate(() => scrollY), 0, "focusing the heading does not scroll");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tinh", "the next Tab reaches the form");
  // A focus that survives the move stays: the header's link to the dashboard.
  await page.getByRole("link", { name: "Tổng hợp", exact: true }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: /Tổng hợp/ }).waitFor();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await active(page), "Tổng hợp");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a question asked in place takes the focus, and gives it back", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  await page.evaluate(() => (location.hash = "#/"));
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const remove = "Xóa bản Phường Hoàn Kiếm — năm 2026";
  await page.getByRole("button", { name: remove }).focus();
  await page.keyboard.press("Enter");
  await focusOn(page, "Không xóa"); // the answer that loses nothing
  await page.keyboard.press("Enter");
  await focusOn(page, remove);
  await page.keyboard.press("Enter");
  await focusOn(page, "Không xóa");
  await page.keyboard.press("Shift+Tab");
  assert.equal(await active(page), "Xóa hẳn");
  await page.keyboard.press("Enter");
  await focusOn(page, "Hoàn tác"); // the card went; undoing is one key away
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: remove }).waitFor();
  await focusOn(page, "Các bản tự đánh giá");
  assert.deepEqual(problems, []);
  await context.close();
});

test("Home's next page: the focus goes to the list's top, where the view goes", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const communes = COMMUNES.slice(100, 125);
  await page.getByLabel("Chọn tệp JSON", { exact: true }).setInputFiles({
    name: "tu-danh-gia_25-ban.json",
    mimeType: "application/json",
    buffer: Buffer.from(exchangeFile(communes.map((c) => makeAssessment(c, { year: 2025 })))),
  });
  const pager = page.getByRole("navigation", { name: "Trang của danh sách" });
  await pager.getByText("Trang 1/2").waitFor();
  await pager.getByRole("button", { name: "Trang sau →" }).focus();
  await page.keyboard.press("Enter");
  await pager.getByText("Trang 2/2").waitFor();
  // The button is now disabled, and the list is at the top of the view: the focus went there.
  assert.ok(await pager.getByRole("button", { name: "Trang sau →" }).isDisabled());
  assert.equal(await page.evaluate(() => document.activeElement.id), "danh-sach-tieu-de");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tim-ban", "the list's search box");
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => document.activeElement.closest("li.card")?.querySelector("h2")?.textContent ?? "");
  assert.match(first, / — năm 2025$/, "then the page's first card");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the criteria editor's lists: the focus follows a moved element, and a removed one's place", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const id = () => page.evaluate(() => document.activeElement.id);
  const focusId = (want) => page.waitForFunction((want) => document.activeElement?.id === want, want)
    .catch(async () => assert.fail(`the focus is on #${await id()} «${await active(page)}», not on #${want}`));
  const press = async (name) => {
    await page.getByRole("button", { name, exact: true }).focus();
    await page.keyboard.press("Enter");
  };
  const unitIds = () => page.locator("input[id$='-UnitId']").evaluateAll((l) => l.map((i) => i.value));
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Bộ tiêu chí", exact: true }).click();
  await page.getByRole("button", { name: "Bắt đầu từ bộ trống", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Soạn bộ tiêu chí" }).waitFor();
  for (const unit of ["a", "b", "c"]) {
    await page.getByRole("button", { name: "Thêm loại đơn vị", exact: true }).click();
    await page.locator("input[id$='-UnitId']").last().fill(unit);
  }
  // Up: the element lands first, where its «↑» is disabled: the focus is on its «↓».
  await press("Đưa loại đơn vị thứ 2 lên trên");
  await focusOn(page, "Đưa loại đơn vị thứ 1 xuống dưới");
  assert.deepEqual(await unitIds(), ["b", "a", "c"]);
  await page.keyboard.press("Enter");
  await focusOn(page, "Đưa loại đơn vị thứ 2 xuống dưới");
  assert.deepEqual(await unitIds(), ["a", "b", "c"]);
  // Removed: the next element takes the place and the focus, then the one before, then «Thêm».
  await press("Xóa loại đơn vị thứ 2");
  await focusOn(page, "Xóa loại đơn vị thứ 2");
  assert.deepEqual(await unitIds(), ["a", "c"]);
  await page.keyboard.press("Enter");
  await focusOn(page, "Xóa loại đơn vị thứ 1");
  await page.keyboard.press("Enter");
  await focusOn(page, "Thêm loại đơn vị");
  assert.deepEqual(await unitIds(), []);

  // Typed letter by letter, a criterion's name keeps the focus (the editor was drawn anew at
  // every keystroke, which replaced the field after the first letter); a choice that changes
  // the structure (an item's kind of rule) leaves the focus on the new select of the same id.
  for (let n = 0; n < 3; n++) await page.getByRole("button", { name: "Thêm tiêu chí", exact: true }).click();
  await page.locator("#soan-tc-2-CriterionName").focus();
  await page.keyboard.type("Tiêu chí được chuyển");
  assert.equal(await id(), "soan-tc-2-CriterionName");
  assert.equal(await page.locator("#soan-tc-2-CriterionName").inputValue(), "Tiêu chí được chuyển");
  const rule = page.locator("#soan-tc-2-muc-1-Rule");
  const kind = await rule.inputValue();
  await rule.focus();
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction((kind) => document.querySelector("#soan-tc-2-muc-1-Rule").value !== kind, kind);
  await focusId("soan-tc-2-muc-1-Rule");
  await page.keyboard.press("ArrowUp");
  await page.waitForFunction((kind) => document.querySelector("#soan-tc-2-muc-1-Rule").value === kind, kind);
  await focusId("soan-tc-2-muc-1-Rule");
  await page.locator("details.criterion-editor > summary").first().click();
  assert.equal(await page.locator("details.criterion-editor").first().evaluate((d) => d.open), false);
  await press("Đưa tiêu chí thứ 2 lên trên");
  await focusOn(page, "Đưa tiêu chí thứ 1 xuống dưới");
  assert.equal(await page.locator("details.criterion-editor").first().evaluate((d) => d.open), true);
  assert.equal(await page.locator("#soan-tc-1-CriterionName").inputValue(), "Tiêu chí được chuyển");

  // An example's rows: the next row's «Xóa», then the part's «Thêm» button.
  await page.getByRole("button", { name: "Thêm ví dụ kiểm tra", exact: true }).click();
  const addExpected = page.getByRole("button", { name: "Thêm điểm mong đợi của một tiêu chí", exact: true });
  await addExpected.click();
  await addExpected.click();
  const rows = page.locator("button[id^='soan-vd-1-tc-'][id$='-xoa']");
  assert.equal(await rows.count(), 2);
  const second = await rows.nth(1).getAttribute("id");
  await rows.first().focus();
  await page.keyboard.press("Enter");
  await focusId(second);
  await page.keyboard.press("Enter");
  await focusOn(page, "Thêm điểm mong đợi của một tiêu chí");
  assert.equal(await rows.count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a notice closed, a backup deleted, a restored draft given up: the focus stays on the screen", async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  // Three versions of one assessment imported in turn: the two older ones are kept as backups.
  const base = makeAssessment(COMMUNES[40], { year: 2025 });
  for (const day of [1, 2, 3]) {
    await page.getByLabel("Chọn tệp JSON", { exact: true }).setInputFiles({
      name: `ban-${day}.json`,
      mimeType: "application/json",
      buffer: Buffer.from(exchangeFile([{ ...structuredClone(base), updated_at: Date.UTC(2025, 10, day) }])),
    });
    await page.waitForFunction((n) => document.querySelectorAll(".backups li").length === n
      && ![...document.querySelectorAll("input[type=file]")].some((i) => i.disabled), day - 1);
    await page.locator("li.card").first().waitFor();
  }
  const deleteBackup = page.getByRole("button", { name: /^Xóa bản sao lưu / });

  // Two reports: the first closed, the focus goes to the other's «Đóng», then to the heading.
  await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Xuất tất cả (JSON)" }).click()]);
  await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Xuất JSON", exact: true }).first().click()]);
  const notices = page.locator(".notices li");
  await page.waitForFunction(() => document.querySelectorAll(".notices li").length === 2);
  const second = await notices.nth(1).locator("span").textContent();
  await notices.first().getByRole("button", { name: "Đóng thông báo" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction((text) => document.activeElement?.closest(".notices li")?.querySelector("span")?.textContent === text, second);
  await page.keyboard.press("Enter");
  await focusOn(page, "Các bản tự đánh giá");
  assert.equal(await notices.count(), 0);

  // A backup deleted: the focus goes to the other backup's «Xóa», then, the list gone, the heading.
  const names = await deleteBackup.evaluateAll((b) => b.map((x) => x.getAttribute("aria-label")));
  assert.equal(names.length, 2);
  await deleteBackup.first().focus();
  await page.keyboard.press("Enter");
  await focusOn(page, names[1]);
  await page.waitForFunction(() => document.querySelectorAll(".backups li").length === 1);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Bản sao lưu" }).waitFor({ state: "detached" });
  await focusOn(page, "Các bản tự đánh giá");

  // A draft restored after a reload, given up: its banner goes, the heading above takes the focus.
  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByLabel("Họ và tên").fill("Nguyễn Thị Lan");
  await page.waitForTimeout(300);
  await page.waitForLoadState("networkidle");
  await page.reload();
  const giveUp = page.getByRole("button", { name: "Bỏ nội dung nhập dở" });
  await giveUp.focus();
  await page.keyboard.press("Enter");
  await focusOn(page, "Tạo bản tự đánh giá mới");
  assert.equal(await page.getByLabel("Họ và tên").inputValue(), "");
  assert.deepEqual(problems, []);
  await context.close();
});
