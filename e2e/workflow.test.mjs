// The assessment workflow and storage that never loses work: create, fill, reload, a second
// tab, a full quota, a corrupted entry, and a 360 px screen.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, createAssessment } from "./harness.mjs";

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
  assert.match(await card.textContent(), /115 điểm/);
  assert.match(await card.textContent(), /Chưa đủ dữ liệu/);
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

test("a change in a second tab shows up in the first, never overwritten silently", async () => {
  const context = await env.browser.newContext();
  const { page: first, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(first);
  const { page: second, problems: problems2 } = await openPage(context, env.server.url, { hash: route });
  await second.getByRole("radio", { name: "Có (50 điểm)" }).check();
  await first.getByText(/vừa được cập nhật từ một thẻ khác/).waitFor();
  assert.ok(await first.getByRole("radio", { name: "Có (50 điểm)" }).isChecked());

  // Both tabs edit: the one whose copy is stale is asked, and neither version is lost.
  await first.evaluate(() => {
    // Simulate a write the first tab has not heard of yet (the storage event comes later).
    const key = Object.keys(localStorage).find((k) => k.startsWith("xa-tre-em/danh-gia/"));
    const stored = JSON.parse(localStorage.getItem(key));
    stored.revision += 10;
    stored.assessment.assessor.name = "Người ở thẻ khác";
    localStorage.setItem(key, JSON.stringify(stored));
  });
  await first.getByRole("radio", { name: "Không (0 điểm)" }).first().check();
  const dialog = first.getByRole("alertdialog", { name: "Bản này vừa được sửa ở nơi khác" });
  await dialog.waitFor();
  await dialog.getByRole("button", { name: "Giữ bản của thẻ này" }).click();
  await first.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  const backups = await first.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith("xa-tre-em/sao-luu/")).length,
  );
  assert.equal(backups, 1, "the other version is kept as a backup");

  // After a reload the backup is still listed and can be brought back.
  await first.goto(env.server.url + "#/");
  await first.reload();
  const section = first.getByRole("region", { name: "Bản sao lưu" });
  await section.getByText(/Phường Hoàn Kiếm — năm/).waitFor();
  await section.getByRole("button", { name: "Dùng bản này" }).click();
  await first.getByText("Đã dùng lại bản sao lưu.").waitFor();
  const stored = await first.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("xa-tre-em/danh-gia/"));
    return JSON.parse(localStorage.getItem(key)).assessment.assessor.name;
  });
  assert.equal(stored, "Người ở thẻ khác", "the other tab's version is in use again");
  assert.equal(await section.getByRole("listitem").count(), 1, "and this tab's version is the backup now");
  assert.deepEqual([...problems, ...problems2], []);
  await context.close();
});

test("a full storage keeps the change in memory, says so, and saves once there is room", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  await page.evaluate(() => {
    let size = 512 * 1024;
    let i = 0;
    while (size >= 1) {
      try {
        localStorage.setItem(`lap-day/${i++}`, "x".repeat(size));
      } catch {
        size = Math.floor(size / 2);
      }
    }
  });
  await page.getByRole("radio", { name: "Có (50 điểm)" }).check();
  const status = page.getByRole("status").filter({ hasText: "Chưa lưu được" });
  await status.waitFor();
  assert.match(await status.textContent(), /đã đầy/);
  assert.ok(await page.getByRole("radio", { name: "Có (50 điểm)" }).isChecked(), "kept in memory");
  assert.ok(await page.getByRole("button", { name: "Xuất tệp JSON để giữ lại" }).isVisible());

  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith("lap-day/")) localStorage.removeItem(k);
  });
  await page.getByRole("button", { name: "Thử lưu lại" }).click();
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  await page.reload();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  assert.ok(await page.getByRole("radio", { name: "Có (50 điểm)" }).isChecked());
  assert.deepEqual(problems, []);
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

test("delete asks first and can be undone", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  await page.goto(env.server.url + "#/");
  const card = page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" });
  await card.getByRole("button", { name: /^Xóa bản/ }).click();
  await card.getByRole("button", { name: "Không xóa" }).click();
  await card.getByRole("button", { name: /^Xóa bản/ }).click();
  await card.getByRole("button", { name: "Xóa hẳn" }).click();
  await page.getByText(/Đã xóa bản của Phường Hoàn Kiếm/).waitFor();
  assert.equal(await page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" }).count(), 0);
  await page.getByRole("button", { name: "Hoàn tác" }).click();
  await page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" }).waitFor();
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
