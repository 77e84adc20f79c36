// The appraisal loop across two browsers, with files passed between them and a reload at each
// step: the commune assesses and exports; the province loads the file, appraises (one item
// needs evidence, one is not agreed), reloads, exports the appraisal; the commune imports it,
// sees the statuses, the comment and both scores, reloads, supplements the flagged item and
// exports again; the province loads the new file, sees which flagged item changed, opens the
// next round, agrees, and the dashboard, its filter, the minutes and the CSV say so. More tabs:
// a commune tab open meanwhile shows round 1 as it arrives; where tabs cannot tell each other
// (no BroadcastChannel), a province tab behind the store is set aside, and a commune tab open
// since before round 1 arrived receives round 2 in its place.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { start, openPage, createAssessment, unevenSignatures } from "./harness.mjs";
import { eventually, holdStore } from "./store.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

/** For `openPage`'s `init`: a browser without BroadcastChannel (its tabs cannot follow each
 * other's commits). */
const withoutChannel = () => delete window.BroadcastChannel;

async function reload(page) {
  // A part of the module still being fetched (the charts of «Tổng hợp») would be aborted.
  await page.waitForLoadState("networkidle");
  await page.reload();
  await page.getByRole("heading", { level: 1 }).first().waitFor();
}

async function go(page, hash, heading) {
  await page.evaluate((h) => (location.hash = h), hash);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

async function download(page, button) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: button }).click(),
  ]);
  return { path: await file.path(), name: file.suggestedFilename() };
}

/** Opens an item's «Nguồn số liệu, thuyết minh» unless it is open. */
async function evidence(page, item) {
  const source = page.locator(`#muc-${item.replace(".", "-")}-nguon`);
  if (!(await source.isVisible())) {
    await page
      .locator(`section:has(#muc-${item.replace(".", "-")}-nguon) summary`, { hasText: "Nguồn số liệu, thuyết minh" })
      .click();
  }
}

/** The commune's answers: criterion 1 (4 items), 6 and 7 (rates), the others manual points. */
async function fillAssessment(page, id) {
  const hash = (n) => `#/danh-gia/${id}/tieu-chi/${n}`;
  for (const name of ["Có (50 điểm)", "Có (15 điểm)"]) {
    for (const radio of await page.getByRole("radio", { name }).all()) await radio.check();
  }
  await page.getByLabel(/^Điểm/).first().fill("20");
  await go(page, hash(7), /^Tiêu chí 7\./);
  await page.getByLabel("Số trẻ em dưới 1 tuổi được tiêm chủng đầy đủ").fill("99");
  await page.getByLabel("Tổng số trẻ em dưới 1 tuổi").fill("100");
  await evidence(page, "7.1");
  await page.getByLabel("Nguồn số liệu").fill("Sổ tiêm chủng của trạm y tế");
  await page.getByText("50 điểm / 50").waitFor();
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
}

test("commune → province → commune → province, by files, with a reload at each step", async () => {
  const commune = await env.browser.newContext();
  const province = await env.browser.newContext();
  const { page: c, problems: cProblems } = await openPage(commune, env.server.url);
  const { page: p, problems: pProblems } = await openPage(province, env.server.url);

  // 1. The commune assesses and exports.
  const route = await createAssessment(c);
  const id = route.match(/^#\/danh-gia\/([^/]+)\//)[1];
  await fillAssessment(c, id);
  await reload(c);
  await go(c, "#/", "Các bản tự đánh giá");
  const first = await download(c, "Xuất JSON");
  const firstFile = JSON.parse(readFileSync(first.path, "utf8"));
  const firstSha = firstFile.assessments[0].sha256;
  assert.ok(Array.isArray(firstFile.assessments[0].history), "the record carries its history");
  assert.ok(firstFile.assessments[0].history.length > 0);

  // 2. The province loads it, appraises, reloads, exports the appraisal.
  await go(p, "#/tong-hop", "Tổng hợp kết quả các xã, phường");
  await p.getByLabel("Chọn các tệp JSON của các xã, phường").setInputFiles(first.path);
  await p.getByRole("link", { name: /^Thẩm định / }).waitFor();
  // The outcome comes once the record is stored: only then may the page go.
  await p.locator(".import-tally").filter({ hasText: /^1 bản được thêm vào bảng\.$/ }).waitFor();
  await reload(p);
  await p.getByRole("link", { name: /^Thẩm định / }).click();
  await p.getByRole("heading", { level: 1, name: /^Thẩm định: Phường Hoàn Kiếm/ }).waitFor();
  // A screen of the dashboard: the header marks «Tổng hợp», not the commune's own list.
  const nav = p.getByRole("navigation", { name: "Điều hướng chính" });
  assert.equal(await nav.locator("[aria-current=page]").textContent(), "Tổng hợp");
  assert.equal(await p.title(), "Thẩm định — Phường Hoàn Kiếm năm 2026 — Tự đánh giá xã, phường phù hợp với trẻ em");
  await p.getByLabel("Họ tên người thẩm định").fill("Trần Văn Bình");
  await p.getByRole("button", { name: "Bắt đầu thẩm định" }).click();
  await p.getByRole("group", { name: "Ý kiến thẩm định mục 1.1" }).waitFor();
  for (const group of await p.getByRole("group", { name: /^Ý kiến thẩm định mục / }).all()) {
    await group.getByRole("radio", { name: "Đồng ý", exact: true }).check();
  }
  await p.getByRole("group", { name: "Ý kiến thẩm định mục 7.1" }).getByRole("radio", { name: "Cần bổ sung" }).check();
  await p.locator("#tham-dinh-7-1-nhan-xet").fill("Bổ sung danh sách trẻ được tiêm");
  await p.getByRole("group", { name: "Ý kiến thẩm định mục 1.2" }).getByRole("radio", { name: "Không đồng ý" }).check();
  await p.getByRole("radiogroup", { name: "Mục 1.2: có hay không, theo thẩm định" }).getByRole("radio", { name: "Không (0 điểm)" }).check();
  await p.locator("#tham-dinh-ket-luan").fill("Đề nghị xã bổ sung hồ sơ mục 7.1.");
  await p.locator("#tham-dinh-ngay").fill("01/12/2025");
  await p.locator("#trang-thai-tham-dinh").filter({ hasText: "Trả lại để bổ sung" }).waitFor();
  const selfTotal = firstFile.assessments[0].score.total;
  assert.equal(await p.locator("#diem-tham-dinh").textContent(), `${selfTotal - 15} điểm`);
  await p.getByRole("status").filter({ hasText: "Đã lưu ý kiến thẩm định lúc" }).waitFor();
  await reload(p);
  await p.locator("#trang-thai-tham-dinh").filter({ hasText: "Trả lại để bổ sung" }).waitFor();
  assert.equal(await p.locator("#tham-dinh-7-1-nhan-xet").inputValue(), "Bổ sung danh sách trẻ được tiêm");
  // The item's history says what the figures became: the answer No is a value, not nothing.
  const review12 = p.locator("article", { has: p.getByRole("group", { name: "Ý kiến thẩm định mục 1.2" }) });
  await review12.getByText(/^Lịch sử thay đổi \(\d+\)$/).click();
  await review12.getByText("số liệu thẩm định: (trống) → Không", { exact: true }).waitFor();
  // A second tab on the same appraisal, opened before the first one's next edit: its own edit
  // then finds the store moved on, is set aside with a notice, and it shows what is stored.
  // Without BroadcastChannel, so that it does not follow the first tab's commits.
  const { page: p2, problems: p2Problems } = await openPage(province, env.server.url, {
    hash: await p.evaluate(() => location.hash),
    init: withoutChannel,
  });
  const conclusion = "Đề nghị xã bổ sung hồ sơ mục 7.1 trong tháng 12.";
  assert.equal(await p2.locator("#tham-dinh-ket-luan").inputValue(), "Đề nghị xã bổ sung hồ sơ mục 7.1.");
  await p.locator("#tham-dinh-ket-luan").fill(conclusion);
  await eventually(async () => (await p.getByRole("status").filter({ hasText: "Đã lưu ý kiến thẩm định lúc" }).count()) > 0 && !(await p.getByText("Đang lưu ý kiến thẩm định…").count()), { message: "the first tab saved" });
  await p2.locator("#tham-dinh-ket-luan").fill("Ý kiến của thẻ thứ hai");
  await p2.getByText(/^Bản thẩm định này vừa được lưu ở thẻ hoặc cửa sổ khác\./).waitFor();
  await eventually(async () => (await p2.locator("#tham-dinh-ket-luan").inputValue()) === conclusion, { message: "the second tab shows what is stored" });
  await p2.close();
  assert.deepEqual(p2Problems, []);
  const appraisal = await download(p, "Xuất tệp kết quả thẩm định (JSON)");
  assert.equal(appraisal.name, "tham-dinh_00070_" + firstFile.assessments[0].assessment.year + ".json");
  const appraisalFile = JSON.parse(readFileSync(appraisal.path, "utf8"));
  assert.equal(appraisalFile.kind, "tham-dinh");
  assert.equal(appraisalFile.appraisals[0].appraisal.reviewed.sha256, firstSha, "bound to the record reviewed");
  assert.ok(appraisalFile.appraisals[0].history.length > 0, "the appraisal carries its history");

  // Two more tabs of the commune read the stored appraisals now (choosing a file that is not an
  // appraisal file makes a tab read them) and stay open while the first receives round 1: one
  // follows the other tabs' commits, one cannot (no BroadcastChannel).
  const { page: c2, problems: c2Problems } = await openPage(commune, env.server.url, { init: withoutChannel });
  const { page: c3, problems: c3Problems } = await openPage(commune, env.server.url);
  for (const tab of [c2, c3]) {
    await tab.getByLabel("Chọn tệp kết quả thẩm định").setInputFiles(first.path);
    await tab.getByRole("list", { name: "Kết quả nhận tệp thẩm định" }).getByText(/bị từ chối/).waitFor();
  }

  // 3. The commune imports it, sees statuses and scores, reloads, supplements, exports again.
  await go(c, "#/", "Các bản tự đánh giá");
  // «đã nhận» must mean stored (the page may be closed at once): while a transaction of the
  // page's own holds the appraisals' store, as a slow disk would, it is not said. Read-only:
  // what is stored is read again before deciding what to keep, and that read goes through.
  const release = await holdStore(c, "tham-dinh", "readonly");
  await c.getByLabel("Chọn tệp kết quả thẩm định").setInputFiles(appraisal.path);
  await c.getByText("Đang lưu vào máy…").waitFor();
  await c.waitForTimeout(500);
  assert.equal(await c.getByText(/đã nhận kết quả thẩm định lần 1/).count(), 0, "not said before it is stored");
  await release();
  await c.getByText(/đã nhận kết quả thẩm định lần 1/).waitFor();
  await c3.getByText(/Thẩm định lần 1: Trả lại để bổ sung/).waitFor();
  await c3.close();
  assert.deepEqual(c3Problems, []);
  await reload(c);
  await c.getByText(/Thẩm định lần 1: Trả lại để bổ sung/).waitFor();
  await c.getByRole("link", { name: "Xem kết quả thẩm định" }).first().click();
  await c.getByRole("heading", { level: 1, name: "Kết quả thẩm định" }).waitFor();
  assert.equal(await c.locator("#diem-tham-dinh").textContent(), `${selfTotal - 15} điểm`);
  const supplement = c.getByRole("region", { name: "Các mục cần bổ sung" });
  await supplement.getByText("Nhận xét: Bổ sung danh sách trẻ được tiêm").waitFor();
  await supplement.getByRole("link", { name: /^Mục 7\.1 / }).click();
  await c.getByRole("heading", { level: 1, name: /^Tiêu chí 7\./ }).waitFor();
  const note = c.getByRole("note").filter({ hasText: "Cần bổ sung" });
  await note.getByText("Bổ sung danh sách trẻ được tiêm", { exact: true }).waitFor();
  // The item's history says who asked for it, and when.
  const commune71 = c.locator("section.item", { has: c.locator("#muc-7-1-ten") });
  await commune71.getByText("Lịch sử thay đổi", { exact: true }).click();
  await commune71.getByText("nhận xét thẩm định: (trống) → «Bổ sung danh sách trẻ được tiêm»").waitFor();
  await commune71.getByText("nguồn số liệu: (trống) → «Sổ tiêm chủng của trạm y tế»").waitFor();
  await evidence(c, "7.1");
  await c.getByLabel("Thuyết minh").fill("Đính kèm danh sách 99 trẻ được tiêm đủ mũi, có xác nhận của trạm y tế.");
  await c.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  await reload(c);
  await go(c, `#/danh-gia/${id}/tham-dinh`, "Kết quả thẩm định");
  await c.locator("#tham-dinh-ban-truoc").filter({ hasText: "các mục 7.1" }).waitFor();
  await go(c, "#/", "Các bản tự đánh giá");
  const second = await download(c, "Xuất JSON");
  const secondFile = JSON.parse(readFileSync(second.path, "utf8"));
  assert.notEqual(secondFile.assessments[0].sha256, firstSha);

  // 4. The province loads the new file, sees what changed, opens round 2, agrees.
  await go(p, "#/tong-hop", "Tổng hợp kết quả các xã, phường");
  await p.getByLabel("Chọn các tệp JSON của các xã, phường").setInputFiles(second.path);
  await p.getByText(/xã đã gửi bản mới/).first().waitFor();
  await p.locator(".import-tally").filter({ hasText: /^1 bản thay cho bản cũ hơn đã nạp\.$/ }).waitFor();
  await reload(p);
  await p.getByRole("link", { name: /^Thẩm định / }).click();
  const newer = p.getByRole("region", { name: "Xã đã gửi bản mới" });
  await newer.getByText(/Đã sửa 1\/2 mục được yêu cầu/).waitFor();
  assert.match(await newer.getByRole("listitem").filter({ hasText: "Mục 7.1" }).textContent(), /đã sửa: thuyết minh/);
  assert.match(await newer.getByRole("listitem").filter({ hasText: "Mục 1.2" }).textContent(), /chưa sửa/);
  await p.getByRole("button", { name: "Thẩm định bản mới (lần 2)" }).click();
  const item71 = p.getByRole("group", { name: "Ý kiến thẩm định mục 7.1" });
  await item71.waitFor();
  assert.equal(await item71.getByRole("radio", { name: "Cần bổ sung" }).isChecked(), false, "changed: decided again");
  // The item's history: the commune's changes, from its file, beside the appraisal's own.
  const review71 = p.locator("article", { has: item71 });
  await review71.getByText(/^Lịch sử thay đổi \(\d+\)$/).click();
  await review71.getByText(/Nguyễn Thị Lan/).first().waitFor();
  await review71.getByText(/^thuyết minh: /).waitFor();
  await item71.getByRole("radio", { name: "Đồng ý", exact: true }).check();
  await p.locator("#tham-dinh-ngay").fill("15/12/2025");
  await p.locator("#trang-thai-tham-dinh").filter({ hasText: "Đã thẩm định" }).waitFor();
  await p.getByRole("status").filter({ hasText: "Đã lưu ý kiến thẩm định lúc" }).waitFor();
  await reload(p);
  await p.locator("#trang-thai-tham-dinh").filter({ hasText: "Đã thẩm định" }).waitFor();
  const round2 = await download(p, "Xuất tệp kết quả thẩm định (JSON)");

  // The dashboard: the state and both scores, the filter, the CSV, the minutes.
  await go(p, "#/tong-hop", "Tổng hợp kết quả các xã, phường");
  await p.getByRole("combobox", { name: "Thẩm định", exact: true }).selectOption({ label: "Đã thẩm định" });
  await p.getByText(/Hiển thị 1–1 trong 1 đơn vị/).waitFor();
  await p.getByRole("combobox", { name: "Thẩm định", exact: true }).selectOption({ label: "Trả lại để bổ sung" });
  await p.getByText(/Không có đơn vị nào khớp bộ lọc/).waitFor();
  await p.getByRole("combobox", { name: "Thẩm định", exact: true }).selectOption({ label: "Tất cả" });
  await p.getByRole("button", { name: "Xuất bảng đang lọc (CSV cho Excel)" }).click();
  const [csv] = await Promise.all([
    p.waitForEvent("download"),
    p.getByRole("button", { name: "Tải tệp CSV, dấu phẩy (,)" }).click(),
  ]);
  const lines = readFileSync(await csv.path(), "utf8").split("\r\n");
  assert.match(lines[0], /Thẩm định,Điểm thẩm định,Kết quả thẩm định,Số mục cần bổ sung/);
  assert.match(lines[1], new RegExp(`Đã thẩm định,${selfTotal - 15},`));
  const key = `00070_${firstFile.assessments[0].assessment.year}`;
  await go(p, `#/tong-hop/${key}/bien-ban`, "Biên bản thẩm định");
  assert.equal(await p.locator("#bien-ban-tu-danh-gia").textContent(), String(selfTotal));
  assert.equal(await p.locator("#bien-ban-tham-dinh").textContent(), String(selfTotal - 15));
  // On paper (A4 inside its margins), the two names under the signatures stand at one height,
  // though «ĐẠI DIỆN ĐƠN VỊ ĐƯỢC THẨM ĐỊNH» takes more lines than «NGƯỜI THẨM ĐỊNH».
  const screenSize = p.viewportSize();
  await p.emulateMedia({ media: "print" });
  await p.setViewportSize({ width: 624, height: 900 });
  assert.equal(await p.locator(".report-sign-name").filter({ hasText: /\S/ }).count(), 2);
  assert.deepEqual(await unevenSignatures(p), []);
  await p.emulateMedia({ media: null });
  await p.setViewportSize(screenSize);

  // 5. Round 2 received in the second tab, which has not seen round 1 arrive: it is kept in
  // round 1's place (not set aside as if another tab had won), and says so only then.
  await c2.getByLabel("Chọn tệp kết quả thẩm định").setInputFiles(round2.path);
  await c2.getByText(/đã nhận kết quả thẩm định lần 2\./).waitFor();
  await reload(c);
  await go(c, "#/", "Các bản tự đánh giá");
  await c.getByText(/Thẩm định lần 2: Đã thẩm định/).waitFor();
  // And round 1 chosen again there now: the newer one stays.
  await c2.getByLabel("Chọn tệp kết quả thẩm định").setInputFiles(appraisal.path);
  await c2.getByText(/máy này đã có kết quả thẩm định mới hơn; giữ bản đó\./).waitFor();

  assert.deepEqual(cProblems, []);
  assert.deepEqual(c2Problems, []);
  assert.deepEqual(pProblems, []);
  await commune.close();
  await province.close();
});
