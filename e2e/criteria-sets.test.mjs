// Handing a set out without the website: a commune imports the set file on Home; the set is
// checked, kept in the browser across visits, listed with where it came from, and removable
// only while no stored assessment uses it. A changed copy of a released version is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { start, openPage } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

const BUILTIN = JSON.parse(readFileSync("public/criteria/qd-06-2019.json", "utf8"));

/** The built-in set as the next version a province would hand out (same figures: test data). */
function nextVersion(change = () => {}) {
  const set = structuredClone(BUILTIN);
  set.version = "1.0.1";
  change(set);
  return JSON.stringify(set, null, 2);
}

async function importSet(page, name, text) {
  await page.getByLabel("Chọn tệp bộ tiêu chí", { exact: true }).setInputFiles({
    name,
    mimeType: "application/json",
    buffer: Buffer.from(text),
  });
}

const notice = (page, text) => page.locator(".notices").getByText(text).waitFor();

test("a set file imported on Home is kept, listed, refused when wrong, removable only unused", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);

  // Wrong files, each with its own message; nothing is added.
  await importSet(page, "hong.json", "{ \"format\": 1, ");
  await notice(page, /Tệp «hong\.json» không nhận: không phải bộ tiêu chí hợp lệ/);
  await importSet(page, "sua-lai.json", nextVersion((s) => {
    s.version = "1.0.0";
    s.criteria[1].name += " (sửa)";
  }));
  await notice(page, /Tệp «sua-lai\.json» không nhận\. .*«qd-06-2019» phiên bản 1\.0\.0 đã có trên máy này \(có sẵn trong ứng dụng\) với nội dung khác\. .*phiên bản mới \(ví dụ 1\.0\.1\)/);

  // The next version: kept, and listed with its origin and date.
  await importSet(page, "qd-06-2019_1.0.1.json", nextVersion());
  await notice(page, "Đã nhập bộ tiêu chí «qd-06-2019» phiên bản 1.0.1 từ tệp «qd-06-2019_1.0.1.json»");
  await importSet(page, "qd-06-2019_1.0.1.json", nextVersion());
  await notice(page, "Bộ tiêu chí «qd-06-2019» phiên bản 1.0.1 đã có trên máy này, không cần nhập lại.");

  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  await page.evaluate(() => (location.hash = "#/bo-tieu-chi"));
  await page.getByRole("heading", { level: 1, name: "Bộ tiêu chí" }).waitFor();
  const card = page.getByRole("listitem").filter({ hasText: "phiên bản 1.0.1" }).filter({ hasText: "nhập từ tệp" });
  await card.getByText("nhập từ tệp «qd-06-2019_1.0.1.json» · Nạp lúc").waitFor();
  const builtin = page.getByRole("listitem").filter({ hasText: "có sẵn trong ứng dụng" });
  assert.equal(await builtin.getByRole("button", { name: /^Xóa bộ/ }).count(), 0, "the built-in set stays");

  // A new assessment takes the newest version; while it exists the set cannot be removed.
  await page.evaluate(() => (location.hash = "#/moi"));
  await page.getByRole("heading", { level: 1, name: "Tạo bản tự đánh giá mới" }).waitFor();
  const chosen = await page.getByLabel("Bộ tiêu chí", { exact: true }).evaluate((s) => s.selectedOptions[0].textContent);
  assert.match(chosen, /phiên bản 1\.0\.1/);
  await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Thành phố Hà Nội" });
  await page.getByLabel(/Tìm xã, phường, đặc khu/).fill("hoan kiem");
  const list = page.getByLabel("Xã, phường, đặc khu", { exact: true });
  const option = list.getByRole("option", { name: /Phường Hoàn Kiếm/ }).first();
  await list.selectOption({ value: await option.getAttribute("value") });
  await page.getByRole("radio", { name: /Xã, phường còn lại/ }).check();
  await page.getByLabel("Họ và tên").fill("Nguyễn Thị Lan");
  await page.getByRole("button", { name: "Tạo và bắt đầu nhập số liệu" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();

  await page.evaluate(() => (location.hash = "#/bo-tieu-chi"));
  await page.getByRole("heading", { level: 1, name: "Bộ tiêu chí" }).waitFor();
  await card.getByText("1 bản tự đánh giá trên máy này dùng bộ này.").waitFor();
  await card.getByRole("button", { name: /^Xóa bộ/ }).click();
  await card.getByRole("alertdialog").getByRole("button", { name: "Xóa hẳn" }).click();
  await notice(page, "Không xóa được: 1 bản tự đánh giá trên máy này đang dùng bộ tiêu chí này.");

  // Once the assessment is gone, the set can go too, and stays gone after a reload.
  await page.evaluate(() => (location.hash = "#/"));
  await page.getByRole("button", { name: /^Xóa bản/ }).click();
  await page.getByRole("button", { name: "Xóa hẳn" }).click();
  await page.evaluate(() => (location.hash = "#/bo-tieu-chi"));
  await page.getByRole("heading", { level: 1, name: "Bộ tiêu chí" }).waitFor();
  await card.getByRole("button", { name: /^Xóa bộ/ }).click();
  await card.getByRole("alertdialog").getByRole("button", { name: "Xóa hẳn" }).click();
  await notice(page, "Đã xóa bộ tiêu chí «qd-06-2019» phiên bản 1.0.1 khỏi máy này.");
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Bộ tiêu chí" }).waitFor();
  assert.equal(await page.getByRole("listitem").filter({ hasText: "phiên bản 1.0.1" }).count(), 0);

  assert.deepEqual(problems, []);
  await context.close();
});

test("an assessments file given to the set import, and a set file to the assessments import, say where it goes", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await importSet(page, "tu-danh-gia_00070_2025.json", JSON.stringify({ format: "xa-phu-hop-tre-em/tu-danh-gia", format_version: 2, assessments: [] }));
  await notice(page, /là tệp kết quả tự đánh giá, không phải tệp bộ tiêu chí: hãy nhập nó ở mục «Nhập tệp tự đánh giá»/);
  await page.getByLabel("Chọn tệp JSON", { exact: true }).setInputFiles({
    name: "qd-06-2019.json",
    mimeType: "application/json",
    buffer: readFileSync("public/criteria/qd-06-2019.json"),
  });
  await page.getByText(/đây là tệp bộ tiêu chí, không phải tệp kết quả: nhập nó ở mục «Nhập tệp bộ tiêu chí»/).first().waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("a set file with problems opens in the editor to be finished", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url, { hash: "#/bo-tieu-chi" });
  await page.getByLabel("Mở tệp bộ tiêu chí để soạn tiếp", { exact: true }).setInputFiles({
    name: "ban-nhap.json",
    mimeType: "application/json",
    buffer: Buffer.from(nextVersion((s) => (s.title = ""))),
  });
  await page.getByRole("heading", { level: 1, name: "Soạn bộ tiêu chí" }).waitFor();
  await page.getByText("Còn 1 vấn đề phải sửa trước khi xuất tệp.").waitFor();
  await page.locator(".problem-list").getByText('Bộ tiêu chí: tiêu đề ("title") đang để trống').waitFor();
  await page.getByRole("button", { name: "Đến chỗ sửa" }).click();
  assert.equal(await page.evaluate(() => document.activeElement.id), "soan-bo-Title");
  await page.locator("#soan-bo-Title").fill("Bộ tiêu chí thử nghiệm");
  await page.getByText("Bộ tiêu chí hợp lệ: có thể xuất tệp.", { exact: false }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
