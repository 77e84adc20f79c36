// What a commune official expects and the app used to get wrong: errors beside the fields they
// are about, no value the app could not read back (a negative count, 5.000.000.000, the year
// after 2100), a "Không" never styled as a success, the assessor's points asked for after the
// sentence that says why, the file for the province where the official finishes, the CSV
// separator asked for only when exporting a CSV, and a file chooser in Vietnamese.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { start, openPage, createAssessment } from "./harness.mjs";
import { storedAssessments } from "./store.mjs";

let env;
before(async () => {
  env = await start({ csp: true });
});
after(async () => env.close());

const saved = (page) => page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();

/** The text of the elements an element's aria-describedby points to. */
const description = (locator) =>
  locator.evaluate((el) =>
    (el.getAttribute("aria-describedby") ?? "")
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent.trim() ?? "")
      .join(" ")
      .trim(),
  );

test("form errors sit beside their fields, and the focus goes to the first", async () => {
  const context = await env.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByLabel("Năm đánh giá").fill("2101");
  await page.getByRole("button", { name: "Tạo và bắt đầu nhập số liệu" }).click();
  await page.getByRole("alert").filter({ hasText: "Chưa thể lưu" }).waitFor();
  const province = page.getByLabel("Tỉnh, thành phố");
  assert.equal(await province.getAttribute("aria-invalid"), "true");
  assert.equal(await description(province), "Chưa chọn tỉnh, thành phố.");
  assert.equal(await page.evaluate(() => document.activeElement.id), "tinh", "focus on the first wrong field");
  const year = page.getByLabel("Năm đánh giá");
  assert.equal(await year.getAttribute("aria-invalid"), "true");
  assert.equal(await description(year), "Năm đánh giá 2101 không hợp lệ (phải từ 2019 đến 2100).");
  const name = page.getByLabel("Họ và tên");
  assert.equal(await description(name), "Chưa nhập họ tên người đánh giá.");
  // Each message is drawn right under its field, not only in the banner by the button.
  const below = await page.evaluate(() => {
    const field = document.getElementById("nam").getBoundingClientRect();
    const error = document.getElementById("nam-loi").getBoundingClientRect();
    return error.top - field.bottom;
  });
  assert.ok(below >= 0 && below < 20, `the year's error is under the year: ${below}px`);
  // Fixed fields lose their mark as soon as they are right.
  await year.fill("2100");
  assert.equal(await year.getAttribute("aria-invalid"), null);
  assert.equal(await description(year), "");
  assert.deepEqual(problems, []);
  await context.close();
});

test("no input lets a user store what the app's own import would refuse", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(page);
  const id = route.match(/^#\/danh-gia\/([^/]+)\//)[1];

  // Numbers: a negative one and 5.000.000.000 are refused beside the field and never stored.
  await page.evaluate((h) => (location.hash = h), `#/danh-gia/${id}/tieu-chi/7`);
  const numerator = page.getByLabel("Số trẻ em dưới 1 tuổi được tiêm chủng đầy đủ");
  await numerator.fill("45");
  await saved(page);
  for (const [typed, phrase] of [["-3", "Không được là số âm."], ["5.000.000.000", "tối đa 1.000.000.000"]]) {
    await numerator.fill(typed);
    assert.equal(await numerator.getAttribute("aria-invalid"), "true");
    assert.match(await description(numerator), new RegExp(`«${typed.replace(/\./g, "\\.")}».*${phrase.replace(/\./g, "\\.")}.*chưa được lưu`));
  }
  const [stored] = await storedAssessments(page);
  assert.equal(stored.assessment.answers["7.1"].numerator, 45, "the last valid value stays stored");

  // The year: «Nhân bản cho năm sau» of a 2100 assessment would make a year 2101.
  await page.evaluate((h) => (location.hash = h), `#/danh-gia/${id}/thong-tin`);
  await page.getByLabel("Năm đánh giá").fill("2100");
  await page.getByRole("button", { name: "Lưu thông tin" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  await page.evaluate(() => (location.hash = "#/"));
  await page.getByRole("button", { name: "Nhân bản cho năm sau" }).click();
  await page.getByText(/Không nhân bản được cho năm sau\. Năm đánh giá 2101 không hợp lệ/).waitFor();
  assert.equal(await page.locator(".card").count(), 1, "no copy for 2101");

  // A recorded maximum above the limit is refused like a number.
  await page.evaluate((h) => (location.hash = h), `#/danh-gia/${id}/tieu-chi/2`);
  const max = page.getByLabel(/Điểm tối đa của tiêu chí theo bảng điểm chính thức/);
  await max.fill("20000");
  assert.match(await description(max), /Quá lớn: điểm tối đa là 10\.000\. Giá trị này chưa được lưu\./);
  assert.deepEqual(problems, []);
  await context.close();
});

test("0 points is never a success, and a criterion at 0 is flagged where the official looks", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(page);
  const id = route.match(/^#\/danh-gia\/([^/]+)\//)[1];
  const items = page.locator("section.item");
  for (let i = 0; i < 3; i++) await items.nth(i).getByRole("radio", { name: /^Không/ }).check();
  await items.nth(3).getByLabel("Điểm (từ 0 đến 20)").fill("0");
  await saved(page);
  const line = items.nth(1).locator(".score-line");
  assert.equal(await line.textContent(), "0 điểm / 15 — mục này không được điểm.");
  assert.deepEqual(await line.evaluate((l) => [...l.classList]), ["score-line", "score-zero"]);
  // Criterion 1 at 0 points: the list of criteria says so, with no ✓.
  const nav = page.getByRole("navigation", { name: "Các tiêu chí" }).getByRole("link").first();
  assert.ok(await nav.evaluate((a) => a.classList.contains("nav-blocking")));
  assert.doesNotMatch(await nav.textContent(), /✓/);
  assert.match(await nav.textContent(), /✗ 0\/100.*đang 0 điểm, chưa được công nhận/);
  await page.getByText("Tiêu chí đang 0 điểm: chỉ cần một tiêu chí 0 điểm").waitFor();

  // Full marks on the same criterion: ✓ and green.
  await items.nth(0).getByRole("radio", { name: /^Có/ }).check();
  await saved(page);
  assert.ok(!(await nav.evaluate((a) => a.classList.contains("nav-blocking"))));
  assert.ok(await items.nth(0).locator(".score-line").evaluate((l) => l.classList.contains("score-ok")));

  // The assessor's points are asked for after the sentence that says why.
  await page.evaluate((h) => (location.hash = h), `#/danh-gia/${id}/tieu-chi/6`);
  const item = page.locator("section.item").first();
  await item.getByLabel("Số trẻ em có hoàn cảnh đặc biệt được trợ giúp").fill("10");
  await item.getByLabel("Tổng số trẻ em có hoàn cảnh đặc biệt").fill("20");
  const points = item.getByLabel("Điểm do người đánh giá chấm theo bảng điểm chính thức");
  await points.waitFor();
  const order = await item.evaluate((section) => {
    const why = section.querySelector(".score-line");
    const input = section.querySelector("input[id$='-diem']");
    return why.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_FOLLOWING ? "why, then input" : "input, then why";
  });
  assert.equal(order, "why, then input");
  assert.match(await item.locator(".score-line").textContent(), /người đánh giá nhập điểm theo bảng điểm chính thức/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the file for the province from the results, CSV separator asked only when exporting, a Vietnamese file chooser", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(page);
  const id = route.match(/^#\/danh-gia\/([^/]+)\//)[1];
  await page.evaluate((h) => (location.hash = h), `#/danh-gia/${id}/ket-qua`);
  await page.getByRole("heading", { name: "Gửi kết quả cho tỉnh" }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Xuất tệp JSON" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^tu-danh-gia_00070_\d{4}\.json$/);

  await page.evaluate(() => (location.hash = "#/"));
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  // No separator choice on Home until a CSV is asked for.
  assert.equal(await page.getByText(/phân cách/).count(), 0);
  await page.getByRole("button", { name: "Xuất bảng kết quả (CSV cho Excel)" }).click();
  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Tải tệp CSV, dấu chấm phẩy (;)" }).click(),
  ]);
  assert.match(csv.suggestedFilename(), /^ket-qua-tu-danh-gia_.*\.csv$/);
  assert.equal(await page.getByText(/phân cách/).count(), 0, "the question closes after the export");

  // The chooser is a labelled Vietnamese button; the browser's own («Choose Files») is hidden.
  // (The assessments' chooser: Home also has one for criteria set files.)
  const input = page.locator("input[type=file]#tep-nhap");
  assert.equal(await input.evaluate((i) => i.getBoundingClientRect().width <= 1), true);
  const button = page.locator("label.file-button[for=tep-nhap]");
  assert.equal(await button.textContent(), "Chọn tệp JSON");
  assert.ok((await button.boundingBox()).height >= 44);
  await page.getByText("Chưa chọn tệp nào.").waitFor();
  await input.setInputFiles({
    name: download.suggestedFilename(),
    mimeType: "application/json",
    buffer: readFileSync(await download.path()),
  });
  await page.getByText(/^Đã chọn: tu-danh-gia_00070_\d{4}\.json$/).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
