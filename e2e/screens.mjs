// A walk through every screen of the app, with some data typed in so that scores, charts, the
// report, the import results and the backups have something to show. The CSP, accessibility
// and phone tests run their checks on each screen.
//
// A screen added to the app belongs here: one `screen("Tên màn hình", async (page, walk) => …)`
// line in SCREENS, at the point of the walk where it can be reached. The function moves from
// the previous screen to the new one and waits until it is drawn; `walk` carries what earlier
// steps learnt (`walk.id`: the assessment being filled in; `walk.file`: its exported file).
import { readFileSync } from "node:fs";
import { createAssessment } from "./harness.mjs";
import { COMMUNES, exchangeFile, makeAssessment } from "../scripts/gen-files.mjs";

const h1 = (page) =>
  page.evaluate(() => document.querySelector("h1")?.textContent.trim() ?? "");

/** Moves to `hash` and waits until the new screen's heading is there and the page is idle. */
export async function go(page, hash) {
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

export async function settle(page) {
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

const screen = (name, reach) => ({ name, reach });

/** Waits for the save line to say the last change is stored. */
const saved = (page) => page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();

/** Criterion `n` of the assessment being filled in. */
const criterion = (n) =>
  screen(`Tiêu chí ${n}`, async (page, walk) => {
    await go(page, `#/danh-gia/${walk.id}/tieu-chi/${n}`);
    if (n === 7) {
      await page.getByLabel("Số trẻ em dưới 1 tuổi được tiêm chủng đầy đủ").fill("99");
      await page.getByLabel("Tổng số trẻ em dưới 1 tuổi").fill("100");
      await page.getByText("50 điểm / 50").waitFor();
    }
    if (n === 13) {
      // A criterion at 0 points: flagged as blocking in the list, results and report.
      await page.locator("input[id$='-diem']").first().fill("0");
      await page.getByText("Tiêu chí đang 0 điểm").first().waitFor();
    }
    await settle(page);
  });

/** Every screen in the order of the walk; see the top of the file to add one. */
export const SCREENS = [
  screen("Trang chủ (danh sách, chưa có bản nào)", async (page) => settle(page)),
  screen("Tạo bản tự đánh giá mới (có lỗi nhập)", async (page) => {
    await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
    await page.getByRole("heading", { level: 1, name: "Tạo bản tự đánh giá mới" }).waitFor();
    await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Thành phố Hà Nội" });
    await page.getByRole("button", { name: "Tạo và bắt đầu nhập số liệu" }).click();
    await page.getByRole("alert").filter({ hasText: "Chưa thể lưu" }).waitFor();
    await settle(page);
  }),
  screen("Tiêu chí 1 (một mục «Không»: 0 điểm)", async (page, walk) => {
    await page.getByRole("link", { name: "Hủy" }).click();
    await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
    const route = await createAssessment(page);
    walk.id = route.match(/^#\/danh-gia\/([^/]+)\//)[1];
    await page.getByRole("radio", { name: "Có (50 điểm)" }).check();
    await saved(page);
    await page.getByRole("radio", { name: "Không (0 điểm)" }).nth(1).check();
    await page.getByText("0 điểm / 15").waitFor();
    await saved(page);
    await settle(page);
  }),
  ...Array.from({ length: 12 }, (_, i) => criterion(i + 2)),
  screen("Kết quả", async (page, walk) => go(page, `#/danh-gia/${walk.id}/ket-qua`)),
  screen("Báo cáo", async (page, walk) => go(page, `#/danh-gia/${walk.id}/bao-cao`)),
  screen("Thông tin chung (sửa)", async (page, walk) => go(page, `#/danh-gia/${walk.id}/thong-tin`)),
  screen("Tổng hợp (chưa nạp tệp)", async (page) => go(page, "#/tong-hop")),
  screen("Trang chủ (có một bản)", async (page, walk) => {
    await go(page, "#/");
    // The commune's exported file, for the province's side and for the import below.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Xuất JSON" }).click(),
    ]);
    walk.file = await download.path();
    walk.fileName = download.suggestedFilename();
    await settle(page);
  }),
  screen("Tổng hợp (đã nạp một tệp)", async (page, walk) => {
    await go(page, "#/tong-hop");
    await page.getByLabel("Chọn các tệp JSON của các xã, phường").setInputFiles(walk.file);
    await page.getByRole("link", { name: /^Kết quả của / }).waitFor();
    walk.dashboard = new URL(page.url()).hash;
    await settle(page);
  }),
  screen("Tổng hợp: kết quả của một đơn vị", async (page) => {
    await page.getByRole("link", { name: /^Kết quả của / }).click();
    await page.getByRole("link", { name: "← Về bảng tổng hợp" }).waitFor();
    await settle(page);
  }),
  screen("Tổng hợp: báo cáo của một đơn vị", async (page, walk) => {
    await go(page, walk.dashboard);
    await page.getByRole("link", { name: /^Báo cáo của / }).click();
    await page.getByRole("link", { name: "← Về bảng tổng hợp" }).waitFor();
    await settle(page);
  }),
  screen("Thẩm định: bắt đầu", async (page, walk) => {
    await go(page, walk.dashboard);
    await page.getByRole("link", { name: /^Thẩm định / }).click();
    await page.getByRole("button", { name: "Bắt đầu thẩm định" }).waitFor();
    walk.appraisal = new URL(page.url()).hash;
    await settle(page);
  }),
  screen("Thẩm định: ý kiến từng mục, số liệu thẩm định", async (page) => {
    await page.getByLabel("Họ tên người thẩm định").fill("Trần Văn Bình");
    await page.getByRole("button", { name: "Bắt đầu thẩm định" }).click();
    await page.getByRole("group", { name: "Ý kiến thẩm định mục 1.1" }).getByRole("radio", { name: "Không đồng ý" }).check();
    await page.getByRole("radiogroup", { name: "Mục 1.1: có hay không, theo thẩm định" }).getByRole("radio", { name: "Không (0 điểm)" }).check();
    await page.locator("#tham-dinh-1-1-nhan-xet").fill("Chưa có quyết định phân công");
    await page.getByRole("group", { name: "Ý kiến thẩm định mục 7.1" }).getByRole("radio", { name: "Cần bổ sung" }).check();
    await page.getByRole("status").filter({ hasText: "Đã lưu ý kiến thẩm định lúc" }).waitFor();
    await page.getByText(/^Lịch sử thay đổi \(\d+\)$/).first().click();
    await settle(page);
  }),
  screen("Biên bản thẩm định", async (page, walk) => go(page, walk.appraisal.replace(/\/tham-dinh$/, "/bien-ban"))),
  screen("Danh sách kết quả thẩm định", async (page) => go(page, "#/tong-hop/danh-sach-tham-dinh")),
  screen("Trang chủ: nhận kết quả thẩm định", async (page, walk) => {
    await go(page, walk.appraisal);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Xuất tệp kết quả thẩm định (JSON)" }).click(),
    ]);
    await go(page, "#/");
    await page.getByLabel("Chọn tệp kết quả thẩm định").setInputFiles(await download.path());
    await page.getByText(/đã nhận kết quả thẩm định lần 1/).waitFor();
    await settle(page);
  }),
  screen("Kết quả thẩm định (xã)", async (page, walk) => go(page, `#/danh-gia/${walk.id}/tham-dinh`)),
  screen("Biên bản thẩm định (xã)", async (page, walk) => go(page, `#/danh-gia/${walk.id}/bien-ban-tham-dinh`)),
  screen("Tiêu chí 7: ý kiến thẩm định, lịch sử thay đổi", async (page, walk) => {
    await go(page, `#/danh-gia/${walk.id}/tieu-chi/7`);
    await page.getByRole("note").filter({ hasText: "Cần bổ sung" }).waitFor();
    const item = page.locator("section.item", { has: page.locator("#muc-7-1-ten") });
    await item.getByText("Lịch sử thay đổi", { exact: true }).click();
    await item.locator(".history-list").waitFor();
    await settle(page);
  }),
  screen("Trang chủ: kết quả nhập tệp và bản sao lưu", async (page, walk) => {
    // A change after the export, then the older file imported: the two copies side by side,
    // the one not in use kept as a backup.
    await go(page, `#/danh-gia/${walk.id}/tieu-chi/1`);
    await page.getByRole("radio", { name: "Có (15 điểm)" }).nth(1).check();
    await saved(page);
    await go(page, "#/");
    await page.getByLabel("Chọn tệp JSON", { exact: true }).setInputFiles({
      name: walk.fileName,
      mimeType: "application/json",
      buffer: readFileSync(walk.file),
    });
    await page.getByRole("heading", { name: "Kết quả nhập tệp" }).waitFor();
    await page.getByRole("heading", { name: "Bản sao lưu" }).waitFor();
    await settle(page);
  }),
  screen("Trang chủ: nhiều bản (tìm kiếm, chia trang)", async (page) => {
    // 30 more communes' files imported on Home: the list is paged and searchable.
    const more = COMMUNES.slice(100, 130).map((c) => makeAssessment(c, { year: 2025 }));
    await page.getByLabel("Chọn tệp JSON", { exact: true }).setInputFiles({
      name: "tu-danh-gia_30-ban.json",
      mimeType: "application/json",
      buffer: Buffer.from(exchangeFile(more)),
    });
    await page.getByRole("navigation", { name: "Trang của danh sách" }).waitFor();
    await page.getByLabel(/^Tìm bản tự đánh giá/).waitFor();
    await settle(page);
  }),
  screen("Bộ tiêu chí", async (page) => go(page, "#/bo-tieu-chi")),
  screen("Soạn bộ tiêu chí (tiêu chí 6 mở: tỷ lệ, các ngưỡng)", async (page) => {
    await page.getByRole("button", { name: "Soạn phiên bản mới từ bộ này" }).click();
    await page.getByRole("heading", { level: 1, name: "Soạn bộ tiêu chí" }).waitFor();
    await page.locator("details.criterion-editor").nth(5).locator("summary").click();
    await page.locator("details.example-editor").nth(2).locator("summary").click();
    await settle(page);
  }),
  screen("So sánh hai phiên bản bộ tiêu chí", async (page) => {
    await page.getByRole("link", { name: "So sánh với bộ gốc" }).click();
    await page.getByRole("heading", { level: 1, name: "Thay đổi giữa hai phiên bản bộ tiêu chí" }).waitFor();
    await settle(page);
  }),
  screen("Phiên bản bộ tiêu chí của một bản", async (page, walk) => go(page, `#/danh-gia/${walk.id}/bo-tieu-chi`)),
  screen("Không tìm thấy trang", async (page) => go(page, "#/khong-co-trang-nay")),
];

/**
 * Calls `check(name)` on every screen of SCREENS, in order. `page` must show home, with no
 * assessment stored.
 */
export async function visitEveryScreen(page, check) {
  const walk = {};
  for (const { name, reach } of SCREENS) {
    await reach(page, walk);
    await check(name);
  }
}
