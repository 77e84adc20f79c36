// Moving assessments by file, in the user's own list: export → import gives back the same
// assessment, and the exported file verifies with the independent implementation of the
// format (scripts/exchange_file.py); a file that implementation writes, and a version 1 file,
// import; every kind of bad file is refused with its own Vietnamese message and changes
// nothing stored; a file for a commune and year already present never overwrites silently
// (both copies shown, the one edited last in use, the other kept as a backup, switchable).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { start, openPage, createAssessment } from "./harness.mjs";
import { go } from "./screens.mjs";
import { eventually, storeDump, storedAssessments, storedBackups } from "./store.mjs";
import { COMMUNES, exchangeFile, makeAssessment, record } from "../scripts/gen-files.mjs";

const HOAN_KIEM = COMMUNES.find((c) => c.code === "00070");

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

/** Everything this app stores (IndexedDB and its localStorage keys), raw. */
const snapshot = storeDump;
const stored = storedAssessments;
const backups = storedBackups;

const json = (name, text) => ({ name, mimeType: "application/json", buffer: Buffer.from(text) });

/** Picks files on the home screen's import panel and waits for the outcome. */
async function importOnHome(page, files) {
  await page.getByLabel("Chọn tệp JSON", { exact: true }).setInputFiles(files);
  await page.getByRole("heading", { name: "Kết quả nhập tệp" }).waitFor();
  return page.getByRole("list", { name: "Kết quả từng tệp" });
}

test("export then import gives back the same assessment", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  await page.getByRole("radio", { name: "Có (50 điểm)" }).check();
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  await page.evaluate(() => (location.hash = "#/"));
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const [original] = await stored(page);
  assert.equal(await page.locator("li.card").getByText("Chưa xuất tệp").count(), 1);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Xuất JSON" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `tu-danh-gia_00070_${original.assessment.year}.json`);
  await page.getByText(/^Đã xuất bản của Phường Hoàn Kiếm năm \d{4} vào tệp «tu-danh-gia_00070_/).waitFor();
  // The card says so at once, not after a reload.
  await page.locator("li.card").getByText(/Xuất tệp lần cuối: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/).waitFor();
  assert.equal(await page.locator("li.card").getByText("Chưa xuất tệp").count(), 0);
  const file = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(file.format, "xa-phu-hop-tre-em/tu-danh-gia");
  assert.equal(file.format_version, 2);
  assert.equal(file.assessments.length, 1);
  const [rec] = file.assessments;
  assert.match(rec.sha256, /^[0-9a-f]{64}$/);
  assert.equal(rec.score.total, 50, "computed scores travel with the file");
  assert.equal(rec.score.verdict_label, "Chưa đủ dữ liệu");
  assert.equal(rec.assessment.commune.code, original.assessment.commune.code);
  assert.equal(rec.assessment.year, original.assessment.year);
  assert.equal(rec.assessment.updated_at, new Date(original.assessment.updated_at).toISOString());
  assert.equal(rec.assessment.answers["1.1"].yes, true);
  // Another implementation of docs/exchange-format.md agrees with the checksum.
  const verified = execFileSync("python3", ["scripts/exchange_file.py", "verify", await download.path()], { encoding: "utf8" });
  assert.match(verified, /#1 00070\/\d{4}: ok/);
  // Exported just now: the warning about unexported changes is gone.
  await eventually(async () => {
    const [afterExport] = await stored(page);
    return afterExport.last_exported_at >= afterExport.updated_at;
  }, { message: "the export mark" });
  // The report follows the user to the next screen, and goes at the move after that.
  const report = page.locator(".notices").getByText(/^Đã xuất bản của Phường Hoàn Kiếm/);
  await go(page, "#/tong-hop");
  assert.equal(await report.count(), 1, "the report is still shown on the next screen");
  await go(page, "#/");
  await report.waitFor({ state: "detached" });

  // Another browser (a fresh profile) opens the file.
  const other = await env.browser.newContext();
  const { page: page2, problems: problems2 } = await openPage(other, env.server.url);
  const list = await importOnHome(page2, await download.path());
  assert.match(await list.textContent(), /đã nhận 1 bản đánh giá.*đã thêm vào danh sách/);
  await page2.getByRole("link", { name: /^Phường Hoàn Kiếm — năm / }).waitFor();
  const [copy] = await stored(page2);
  assert.deepEqual(copy.assessment, original.assessment);
  assert.equal(copy.revision, rec.revision);
  assert.equal(copy.updated_at, original.assessment.updated_at);
  await page2.getByRole("link", { name: "Kết quả" }).click();
  assert.equal(await page2.locator("#tong-diem").textContent(), "50");

  // The same file again changes nothing.
  await page2.evaluate(() => (location.hash = "#/"));
  const before = await snapshot(page2);
  const again = await importOnHome(page2, await download.path());
  await again.getByText("đã có đúng bản này trên máy, không thay đổi gì").waitFor();
  assert.deepEqual(await snapshot(page2), before);

  assert.deepEqual(problems, []);
  assert.deepEqual(problems2, []);
  await context.close();
  await other.close();
});

/** A valid file of Hoàn Kiếm 2025 whose assessment `change` edits; signed after the edit. */
function signed(change) {
  const a = makeAssessment(HOAN_KIEM, { year: 2025 });
  change(a);
  return exchangeFile([a]);
}

/** `text` as Windows Notepad saves it with «Unicode» (UTF-16 LE, a byte-order mark first). */
const utf16 = (text) => Buffer.from(`\ufeff${text}`, "utf16le");

test("each kind of bad file is refused with its own message and changes nothing", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  // Something stored already, so "unchanged" means something.
  // Saved by Notepad: a byte-order mark first.
  await importOnHome(page, json("co-san.json", `\ufeff${signed((a) => (a.year = 2024))}`));
  await page.getByRole("link", { name: /^Phường Hoàn Kiếm — năm 2024/ }).waitFor();
  const before = await snapshot(page);

  const valid = JSON.parse(signed(() => {}));
  const tampered = structuredClone(valid);
  tampered.assessments[0].assessment.answers["1.1"].yes = !tampered.assessments[0].assessment.answers["1.1"].yes;
  const cases = [
    ["cu-phap.json", '{\n  "format": "xa-phu-hop-tre-em/tu-danh-gia"\n  "format_version": 1\n}', /không nhận — Tệp không phải JSON hợp lệ \(dòng 3, cột 3\): thiếu dấu `,` hoặc `}`/],
    ["phien-ban-moi.json", JSON.stringify({ ...valid, format_version: 3 }), /không nhận — Tệp được tạo bởi phiên bản mới hơn của ứng dụng \(định dạng 3;/],
    ["bo-tieu-chi-la.json", signed((a) => (a.criteria_set.version = "9.9.9")), /Bộ tiêu chí «qd-06-2019» phiên bản 9\.9\.9 chưa có trên máy này \(đang có: qd-06-2019 phiên bản 1\.0\.0\)\. Hãy nhập tệp bộ tiêu chí đó/],
    ["ma-xa-la.json", signed((a) => (a.commune.code = "99999")), /Mã đơn vị hành chính "99999" không có trong danh mục 3\.321 xã, phường, đặc khu/],
    ["so-am.json", signed((a) => (a.answers["6.1"].numerator = -5)), /Mục "6\.1": tử số = -5 là số âm\./],
    [
      "sua-tay.json",
      JSON.stringify(tampered),
      /không nhận — Bản đánh giá thứ 1 \(Phường Hoàn Kiếm - mã 00070, năm 2025\): Mã kiểm tra SHA-256 không khớp: nội dung bản ghi khác với nội dung đã được tính mã\. Hoặc tệp đã bị sửa \(hay hỏng\) sau khi xuất, hoặc tệp do một chương trình không tính mã đúng như docs\/exchange-format\.md/,
    ],
    ["qua-lon.json", " ".repeat(21 * 1024 * 1024), /Tệp quá lớn \(21[,.]0 MB\); chỉ nhận tệp đến 20 MB\./],
    // One mark is Notepad's, a second is not JSON.
    ["hai-dau-bom.json", `\ufeff\ufeff${signed(() => {})}`, /không nhận — Tệp không phải JSON hợp lệ \(dòng 1, cột 1\)/],
    ["anh.json", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]), /Tệp không phải văn bản UTF-8 \(lỗi ở byte 0\): có thể đã chọn nhầm tệp/],
    // Edited, then saved by Notepad in another encoding: the message says how to save it again.
    ["unicode.json", utf16(signed(() => {})), /Tệp không phải văn bản UTF-8 \(lỗi ở byte 0\): .*lưu lại bằng mã khác \(trong Notepad, «Lưu thành…» với mã hóa «UTF-8» rồi nạp lại\)/],
    ["bo-tieu-chi.json", readFileSync("public/criteria/qd-06-2019.json", "utf8"), /đây là tệp bộ tiêu chí, không phải tệp kết quả: nhập nó ở mục «Nhập tệp bộ tiêu chí»/],
  ];
  const list = await importOnHome(
    page,
    cases.map(([name, text]) => ({ name, mimeType: "application/json", buffer: Buffer.from(text) })),
  );
  await page.getByText(`Đã kiểm tra ${cases.length} tệp: nhận 0 tệp (0 bản đánh giá), không nhận ${cases.length} tệp.`).waitFor();
  for (const [name, , message] of cases) {
    const item = list.getByRole("listitem").filter({ hasText: name });
    assert.match(await item.textContent(), message, name);
  }
  assert.deepEqual(await snapshot(page), before, "storage unchanged");
  await page.reload();
  await page.getByRole("link", { name: /^Phường Hoàn Kiếm — năm 2024/ }).waitFor();
  assert.equal((await stored(page)).length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the same commune and year: both shown, the newer in use, the other kept and switchable", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const base = makeAssessment(HOAN_KIEM, { year: 2025, quality: 0.9 });
  const at = Date.UTC(2025, 10, 1);
  const older = { ...structuredClone(base), updated_at: at };
  const newer = { ...structuredClone(base), updated_at: at + 86_400_000 };
  newer.answers["1.1"].yes = !base.answers["1.1"].yes; // 50 points apart
  const oldest = { ...structuredClone(base), updated_at: at - 86_400_000 };
  oldest.answers["1.4"].manual_points = 0;
  const total = (a) => record(a).score.total;
  assert.notEqual(total(older), total(newer));

  await importOnHome(page, json("ban-1.json", exchangeFile([older], { revision: 4 })));
  await page.getByRole("link", { name: "Phường Hoàn Kiếm — năm 2025" }).waitFor();
  const [first] = await stored(page);
  assert.equal(first.revision, 4);

  // A newer copy: it is used, the one on this machine becomes the backup.
  let list = await importOnHome(page, json("ban-2.json", exchangeFile([newer], { revision: 2 })));
  const choice = list.getByRole("group", { name: "Hai bản của cùng đơn vị và năm" });
  const rows = choice.getByRole("row");
  assert.deepEqual(await rows.nth(1).locator("th, td").allTextContents().then((c) => [c[0], c[1], c[3]]), [
    "Bản trong tệp (đang dùng)",
    "2",
    String(total(newer)),
  ]);
  assert.deepEqual(await rows.nth(2).locator("th, td").allTextContents().then((c) => [c[0], c[1], c[3]]), [
    "Bản đã có trên máy (bản sao lưu)",
    "4",
    String(total(older)),
  ]);
  let [current] = await stored(page);
  assert.equal(current.assessment.id, first.assessment.id, "same local id");
  assert.equal(current.assessment.updated_at, newer.updated_at);
  assert.ok(current.revision > 4, "the revision moves on, so other tabs see the change");
  let kept = await backups(page);
  assert.equal(kept.length, 1);
  assert.equal(kept[0].assessment.updated_at, older.updated_at);
  assert.equal(kept[0].assessment.answers["1.1"].yes, older.answers["1.1"].yes);

  // The user prefers the copy that was on the machine.
  await choice.getByRole("button", { name: "Dùng bản đã có trên máy thay thế" }).click();
  await choice.getByRole("rowheader", { name: "Bản đã có trên máy (đang dùng)" }).waitFor();
  [current] = await stored(page);
  assert.equal(current.assessment.updated_at, older.updated_at);
  kept = await backups(page);
  assert.equal(kept.length, 1, "one backup, now the other copy");
  assert.equal(kept[0].assessment.updated_at, newer.updated_at);

  // An older copy than the one in use: nothing replaced, the file's copy kept as a backup.
  list = await importOnHome(page, json("ban-cu.json", exchangeFile([oldest], { revision: 1 })));
  const second = list.getByRole("group", { name: "Hai bản của cùng đơn vị và năm" });
  await second.getByRole("rowheader", { name: "Bản đã có trên máy (đang dùng)" }).waitFor();
  await second.getByRole("rowheader", { name: "Bản trong tệp (bản sao lưu)" }).waitFor();
  const [unchanged] = await stored(page);
  assert.deepEqual(unchanged.assessment, current.assessment);
  assert.equal((await backups(page)).length, 2);

  // The choice survives a reload; one card only.
  await page.reload();
  await page.getByRole("link", { name: "Phường Hoàn Kiếm — năm 2025" }).waitFor();
  assert.equal(await page.getByRole("link", { name: /^Phường Hoàn Kiếm — năm/ }).count(), 1);
  assert.equal((await stored(page))[0].assessment.updated_at, older.updated_at);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a file written by another implementation of the format, and a version 1 file, import", async () => {
  // Written as a ministry's script would: only some members, numbers and text spelt its way,
  // signed by scripts/exchange_file.py (Python, written from docs/exchange-format.md).
  const dir = env.work;
  const unsigned = join(dir, "chua-ky.json");
  const signed = join(dir, "tu-python.json");
  writeFileSync(
    unsigned,
    JSON.stringify({
      format: "xa-phu-hop-tre-em/tu-danh-gia",
      format_version: 2,
      app_version: "Kịch bản Python của Sở",
      exported_at: "2025-11-23T08:19:00+07:00",
      assessments: [
        {
          revision: 2,
          assessment: {
            criteria_set: { id: "qd-06-2019", version: "1.0.0" },
            commune: { code: "32248" },
            unit_category: "mien-nui-hai-dao-dbkk",
            year: 2024.0,
            assessor: { name: "Trần Thị Ánh", position: "Công chức văn hóa - xã hội" },
            answers: {
              "1.1": { yes: true, source: "Quyết định 7/QĐ-UBND" },
              "7.1": { numerator: 98.0, denominator: 100, explanation: "Số liệu \"quý IV\"\nđã đối chiếu" },
            },
            updated_at: "2025-11-20T09:00:00+07:00",
          },
        },
      ],
    }),
  );
  execFileSync("python3", ["scripts/exchange_file.py", "sign", unsigned, signed]);
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const list = await importOnHome(page, [signed, "tests/vectors/exchange/v1-cu.json"]);
  await page.getByText("Đã kiểm tra 2 tệp: nhận 2 tệp (3 bản đánh giá), không nhận 0 tệp.").waitFor();
  assert.match(await list.getByRole("listitem").filter({ hasText: "tu-python.json" }).first().textContent(), /đã nhận 1 bản đánh giá/);
  assert.match(await list.getByRole("listitem").filter({ hasText: "v1-cu.json" }).first().textContent(), /đã nhận 2 bản đánh giá/);
  const all = await stored(page);
  const datMui = all.filter((s) => s.assessment.commune.code === "32248").sort((a, b) => b.updated_at - a.updated_at);
  const fromPython = datMui.find((s) => s.assessment.updated_at === Date.UTC(2025, 10, 20, 2));
  assert.ok(fromPython, "the record of the Python file is stored");
  assert.equal(fromPython.assessment.commune.name, "Xã Đất Mũi", "names left out come from the official list");
  assert.equal(fromPython.assessment.answers["7.1"].explanation, "Số liệu \"quý IV\"\nđã đối chiếu");
  await page.getByRole("link", { name: "Phường Hoàn Kiếm — năm 2025" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("«Xuất tất cả» with a backup present: another browser gets the same copy in use and the backup as a backup", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const base = makeAssessment(HOAN_KIEM, { year: 2025, quality: 0.8 });
  const older = { ...structuredClone(base), updated_at: Date.UTC(2025, 10, 1) };
  const newer = { ...structuredClone(base), updated_at: Date.UTC(2025, 10, 2) };
  newer.answers["1.1"].yes = !base.answers["1.1"].yes;
  const other = makeAssessment(COMMUNES.find((c) => c.code === "32248"), { year: 2024 });
  await importOnHome(page, json("cu.json", exchangeFile([older, other], { revision: 2 })));
  await importOnHome(page, json("moi.json", exchangeFile([newer], { revision: 3 })));
  assert.equal((await backups(page)).length, 1, "the older copy is kept as a backup");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Xuất tất cả (JSON)" }).click(),
  ]);
  await page.getByText(/Đã xuất 2 bản tự đánh giá và 1 bản sao lưu vào tệp/).waitFor();
  const file = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.deepEqual(
    file.assessments.map((r) => [r.assessment.commune.code, r.assessment.year, r.backup ?? false]).sort(),
    [["00070", 2025, false], ["00070", 2025, true], ["32248", 2024, false]],
  );
  const verified = execFileSync("python3", ["scripts/exchange_file.py", "verify", await download.path()], { encoding: "utf8" });
  assert.equal(verified.match(/: ok$/gm)?.length, 3, verified);

  // Another browser: nothing refused, the backup restored as a backup.
  const elsewhere = await env.browser.newContext();
  const { page: page2, problems: problems2 } = await openPage(elsewhere, env.server.url);
  const list = await importOnHome(page2, await download.path());
  await page2.getByText("Đã kiểm tra 1 tệp: nhận 1 tệp (3 bản đánh giá), không nhận 0 tệp.").waitFor();
  assert.match(
    await page2.locator(".import-tally").textContent(),
    /^2 bản đã lưu vào danh sách; 1 bản sao lưu đã lưu vào mục «Bản sao lưu»\.$/,
  );
  assert.match(await list.textContent(), /bản sao lưu của máy gửi: đã lưu vào mục «Bản sao lưu»/);
  const current = await stored(page2);
  assert.equal(current.length, 2);
  const hk = current.find((s) => s.assessment.commune.code === "00070");
  assert.equal(hk.assessment.updated_at, newer.updated_at, "the copy in use is the one in use");
  const kept = await backups(page2);
  assert.equal(kept.length, 1);
  assert.equal(kept[0].assessment.updated_at, older.updated_at);
  await page2.getByRole("heading", { name: "Bản sao lưu" }).waitFor();
  // The same file again changes nothing.
  await importOnHome(page2, await download.path());
  assert.match(await page2.locator(".import-tally").textContent(), /^3 bản đã có sẵn trên máy\.$/);
  assert.equal((await backups(page2)).length, 1);

  // The copy in use deleted, then the backup taken back: said once it is back for good, so
  // that a reload at once finds it, and the backup gone.
  const card = page2.locator("li.card").filter({ hasText: "Phường Hoàn Kiếm — năm" });
  await card.getByRole("button", { name: /^Xóa bản/ }).click();
  await card.getByRole("button", { name: "Xóa hẳn" }).click();
  await page2.getByText(/Đã xóa bản của Phường Hoàn Kiếm/).waitFor();
  await eventually(async () => (await stored(page2)).length === 1, { message: "the deletion committed" });
  await page2.getByRole("button", { name: "Dùng bản này" }).click();
  await page2.getByText("Đã dùng lại bản sao lưu.").waitFor();
  await page2.reload();
  await card.waitFor();
  const back = (await stored(page2)).find((s) => s.assessment.commune.code === "00070");
  assert.ok(back, "the assessment is back, not deleted");
  assert.equal((await backups(page2)).length, 0, "its backup is in use, no longer kept aside");
  assert.deepEqual(problems, []);
  assert.deepEqual(problems2, []);
  await context.close();
  await elsewhere.close();
});
