// The assessment workflow and storage that never loses work: create, fill, reload, a second
// tab, a corrupted entry, and a 360 px screen (a full disk: storage-full.test.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, createAssessment } from "./harness.mjs";
import { eventually, storedAssessments } from "./store.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

const VACCINATED = "Số trẻ em dưới 1 tuổi được tiêm chủng đầy đủ";
const UNDER_ONE = "Tổng số trẻ em dưới 1 tuổi";

test("answers survive a reload and bad numbers are refused without losing the last good one", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(page);

  await page.getByRole("radio", { name: "Có (50 điểm)" }).check();
  await page.getByRole("radio", { name: "Có (15 điểm)" }).first().check();
  await page.getByText("Nguồn số liệu, thuyết minh").first().click();
  await page.getByLabel("Nguồn số liệu").first().fill("Quyết định phân công số 12/QĐ-UBND");
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();

  await page.goto(env.server.url + route.replace("/tieu-chi/1", "/tieu-chi/7"));
  await page.getByLabel(VACCINATED).fill("99");
  await page.getByLabel(UNDER_ONE).fill("100");
  await page.getByText("50 điểm / 50").waitFor();
  await page.getByLabel(UNDER_ONE).fill("1OO");
  await page.getByText(/«1OO»: Không phải là số/).waitFor();
  assert.equal(await page.getByLabel(UNDER_ONE).getAttribute("aria-invalid"), "true");

  await page.reload();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 7\./ }).waitFor();
  assert.equal(await page.getByLabel(UNDER_ONE).inputValue(), "100", "last valid value kept");
  assert.equal(await page.getByLabel(VACCINATED).inputValue(), "99");
  await page.getByText("Tỷ lệ: 99%.").waitFor();

  await page.goto(env.server.url + route);
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  assert.ok(await page.getByRole("radio", { name: "Có (50 điểm)" }).isChecked());
  assert.equal(
    await page.getByLabel("Nguồn số liệu").first().inputValue(),
    "Quyết định phân công số 12/QĐ-UBND",
  );
  await page.getByText("Tổng:").first().waitFor();
  assert.match(await page.getByRole("region", { name: "Tổng điểm và tiến độ" }).textContent(), /Tổng: 115/);

  await page.goto(env.server.url);
  await page.getByRole("heading", { name: "Các bản tự đánh giá" }).waitFor();
  const card = page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" });
  // Scored once the criteria sets are read (their part comes after Home is drawn).
  await card.getByText(/115 điểm/).waitFor();
  assert.match(await card.textContent(), /Chưa đủ dữ liệu/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("typing, leaving for the results and coming straight back: the criterion is still editable here", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(page);
  await page.getByText("Nguồn số liệu, thuyết minh").first().click();
  await page.getByLabel("Thuyết minh").first().pressSequentially("Đã rà soát", { delay: 20 });
  // Away and back at once, while what was typed may still be on its way to the disk and the
  // tab letting go of the assessment.
  await page.evaluate((r) => {
    location.hash = r.replace("/tieu-chi/1", "/ket-qua");
    setTimeout(() => (location.hash = r), 0);
  }, route);
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  const box = page.getByLabel("Thuyết minh").first();
  const evidence = page.locator("details.evidence").first();
  if (!(await evidence.evaluate((d) => d.open))) await evidence.locator("summary").click();
  await box.waitFor();
  await eventually(async () => (await box.getAttribute("readonly")) === null, {
    message: "the text box is editable again",
  });
  assert.equal(await page.getByText("Bản này đang được sửa ở một thẻ hoặc cửa sổ khác").count(), 0);
  await box.press("End");
  await box.pressSequentially(" xong");
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  await eventually(async () => {
    const [stored] = await storedAssessments(page);
    return Object.values(stored.assessment.answers).some((a) => a.explanation === "Đã rà soát xong");
  }, { message: "both parts of the text stored" });
  assert.deepEqual(problems, []);
  await context.close();
});

test("back and forward move between criteria through the address", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  await page.getByRole("link", { name: "Tiêu chí 2 →" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 2\./ }).waitFor();
  await page.getByRole("link", { name: "Tiêu chí 3 →" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 3\./ }).waitFor();
  await page.goBack();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 2\./ }).waitFor();
  await page.goForward();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 3\./ }).waitFor();
  await page.keyboard.press("Tab");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a second tab shows the assessment read-only and live, and can take it over", async () => {
  const context = await env.browser.newContext();
  const { page: first, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(first);
  await first.getByRole("radio", { name: "Có (50 điểm)" }).check();
  await first.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();

  const { page: second, problems: problems2 } = await openPage(context, env.server.url, { hash: route });
  const readOnly = (page) => page.getByRole("status").filter({ hasText: "đang được sửa ở một thẻ hoặc cửa sổ khác" });
  await readOnly(second).waitFor();
  assert.ok(await second.getByRole("radio", { name: "Có (50 điểm)" }).isChecked(), "the saved state");
  assert.ok(await second.getByRole("radio", { name: "Có (50 điểm)" }).isDisabled(), "read-only");

  // Live: what the first tab saves shows up in the second, without a notice per change.
  await first.getByRole("radio", { name: "Có (15 điểm)" }).first().check();
  await first.getByText("Nguồn số liệu, thuyết minh").first().click();
  await first.getByLabel("Nguồn số liệu").first().fill("Quyết định phân công");
  await second.getByRole("radio", { name: "Có (15 điểm)" }).first().and(second.locator(":checked")).waitFor();
  await second.getByText("Nguồn số liệu, thuyết minh").first().click();
  await second.waitForFunction(() => document.querySelector("#muc-1-1-nguon")?.value === "Quyết định phân công");
  assert.equal(await second.locator(".notices li").count(), 0);

  // The second takes over: the first becomes the read-only one, and follows.
  await second.getByRole("button", { name: "Sửa ở thẻ này" }).click();
  await readOnly(first).waitFor();
  await readOnly(second).waitFor({ state: "detached" });
  await second.getByRole("radio", { name: "Không (0 điểm)" }).first().check();
  await first.getByRole("radio", { name: "Không (0 điểm)" }).first().and(first.locator(":checked")).waitFor();
  await second.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();

  // Nothing was overwritten, so nothing had to be kept aside.
  await second.evaluate(() => (location.hash = "#/"));
  await second.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  assert.equal(await second.getByRole("region", { name: "Bản sao lưu" }).count(), 0);
  assert.deepEqual([...problems, ...problems2], []);
  await context.close();
});

test("a corrupted entry is set aside with its raw text; the others still open", async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  await page.evaluate(() => localStorage.setItem("xa-tre-em/danh-gia/hong", '{"format": 2, "rev'));
  await page.goto(env.server.url + "#/");
  await page.reload();
  const alert = page.getByRole("alert").filter({ hasText: "Có bản lưu không đọc được" });
  await alert.waitFor();
  assert.match(await alert.textContent(), /không đọc được/);
  assert.equal(await page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" }).count(), 1);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    alert.getByRole("button", { name: "Tải nội dung gốc" }).click(),
  ]);
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  assert.equal(readFileSync(path, "utf8"), '{"format": 2, "rev');
  assert.deepEqual(problems, []);
  await context.close();
});

/** A new assessment on Home, and its card. */
async function createdOnHome(page) {
  await createAssessment(page);
  await page.goto(env.server.url + "#/");
  return page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" });
}

test("«Đã xóa» is said once the deletion is recorded: a reload right after keeps it deleted", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const card = await createdOnHome(page);
  await card.getByRole("button", { name: /^Xóa bản/ }).click();
  await card.getByRole("button", { name: "Xóa hẳn" }).click();
  await page.getByText(/Đã xóa bản của Phường Hoàn Kiếm/).waitFor();
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const [one] = await storedAssessments(page, { withDeleted: true });
  assert.ok(one?.deleted, "stored as deleted");
  assert.equal(await page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" }).count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test("delete asks first and can be undone", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const card = await createdOnHome(page);
  await card.getByRole("button", { name: /^Xóa bản/ }).click();
  await card.getByRole("button", { name: "Không xóa" }).click();
  await card.getByRole("button", { name: /^Xóa bản/ }).click();
  await card.getByRole("button", { name: "Xóa hẳn" }).click();
  await page.getByText(/Đã xóa bản của Phường Hoàn Kiếm/).waitFor();
  assert.equal(await page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" }).count(), 0);
  await page.getByRole("button", { name: "Hoàn tác" }).click();
  await page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" }).waitFor();
  // Brought back on disk (the commit, not only the screen) before the page goes away.
  // Created (1), deleted (2), brought back (3): the undo itself, not the state before the deletion.
  await eventually(
    async () => {
      const [one] = await storedAssessments(page, { withDeleted: true });
      return one && !one.deleted && one.revision >= 3;
    },
    { message: "the undo committed" },
  );
  await page.reload();
  await page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("search without diacritics and a 360 px screen without sideways scrolling", async () => {
  const context = await env.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Gia Lai" });
  await page.getByLabel(/Tìm xã, phường, đặc khu/).fill("phu my");
  const options = await page.getByLabel("Xã, phường, đặc khu", { exact: true }).getByRole("option").allTextContents();
  assert.ok(options.length > 0 && options.every((o) => /Phù Mỹ|Phú Mỹ/.test(o)), options.join(" | "));
  await page.goto(env.server.url + "#/");
  await createAssessment(page);
  // Mobile Chromium stretches innerWidth to a too-wide page: compare with the 360 px screen.
  const overflow = await page.evaluate(() => Math.max(document.documentElement.scrollWidth, window.innerWidth) - 360);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  assert.deepEqual(problems, []);
  await context.close();
});
