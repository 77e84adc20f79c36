// A walk through every screen of the app, with some data typed in so that scores, charts and
// the report have something to show. The CSP and accessibility tests run their checks on each
// screen; a screen added to the app belongs here.
import { createAssessment } from "./harness.mjs";

const h1 = (page) =>
  page.evaluate(() => document.querySelector("h1")?.textContent.trim() ?? "");

/** Moves to `hash` and waits until the new screen's heading is there and the page is idle. */
async function go(page, hash) {
  const before = await h1(page);
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.waitForFunction((old) => {
    const text = document.querySelector("h1")?.textContent.trim() ?? "";
    return text !== "" && text !== old;
  }, before);
  await settle(page);
}

async function settle(page) {
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * Calls `check(name)` on every screen, in order: home, the new-assessment form, two criterion
 * screens, results, report, the dashboard empty and with a commune's exported file (its
 * table, results and report), the not-found screen. `page` must show home.
 */
export async function visitEveryScreen(page, check) {
  await settle(page);
  await check("Trang chủ (danh sách, chưa có bản nào)");

  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByRole("heading", { level: 1, name: "Tạo bản tự đánh giá mới" }).waitFor();
  await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Thành phố Hà Nội" });
  await page.getByRole("button", { name: "Tạo và bắt đầu nhập số liệu" }).click();
  await page.getByRole("alert").filter({ hasText: "Chưa thể lưu" }).waitFor();
  await settle(page);
  await check("Tạo bản tự đánh giá mới (có lỗi nhập)");

  await page.getByRole("link", { name: "Hủy" }).click();
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const route = await createAssessment(page);
  const id = route.match(/^#\/danh-gia\/([^/]+)\//)[1];
  await page.getByRole("radio", { name: "Có (50 điểm)" }).check();
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  await settle(page);
  await check("Tiêu chí 1");

  await go(page, `#/danh-gia/${id}/tieu-chi/7`);
  await page.getByLabel("Số trẻ em dưới 1 tuổi được tiêm chủng đầy đủ").fill("99");
  await page.getByLabel("Tổng số trẻ em dưới 1 tuổi").fill("100");
  await page.getByText("50 điểm / 50").waitFor();
  await settle(page);
  await check("Tiêu chí 7 (tỷ lệ)");

  await go(page, `#/danh-gia/${id}/ket-qua`);
  await check("Kết quả");
  await go(page, `#/danh-gia/${id}/bao-cao`);
  await check("Báo cáo");
  await go(page, "#/tong-hop");
  await check("Tổng hợp (chưa nạp tệp)");
  await go(page, "#/");
  await check("Trang chủ (có một bản)");

  // The province's side: the commune's exported file, loaded on the dashboard.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Xuất JSON" }).click(),
  ]);
  await go(page, "#/tong-hop");
  await page.getByLabel("Chọn các tệp JSON của các xã, phường").setInputFiles(await download.path());
  const results = page.getByRole("link", { name: /^Kết quả của / });
  await results.waitFor();
  await settle(page);
  await check("Tổng hợp (đã nạp một tệp)");
  const dashboard = new URL(page.url()).hash;
  await results.click();
  await page.getByRole("link", { name: "← Về bảng tổng hợp" }).waitFor();
  await settle(page);
  await check("Tổng hợp: kết quả của một đơn vị");
  await go(page, dashboard);
  await page.getByRole("link", { name: /^Báo cáo của / }).click();
  await page.getByRole("link", { name: "← Về bảng tổng hợp" }).waitFor();
  await settle(page);
  await check("Tổng hợp: báo cáo của một đơn vị");
  await go(page, "#/");
  await go(page, "#/khong-co-trang-nay");
  await check("Không tìm thấy trang");
}
