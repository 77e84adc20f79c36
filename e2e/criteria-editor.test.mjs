// The criteria-set editor end to end, as a province official uses it: a complete 13-criterion
// set built through the form from the fixture (test data, not an official set), its worked
// examples run, exported, published through criteria/index.json in the served build, an
// assessment made with it scored as the examples say; then a new version, published, and the
// assessment moved to it after the before/after of every criterion, and the move undone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, openPage, DIST } from "./harness.mjs";
import { TEST_SET, FULL_MARKS, EXAMPLES, NEXT_VERSION } from "./fixtures/bo-tieu-chi-thu-nghiem.mjs";

let env;
let site;
before(async () => {
  env = await start();
  site = mkdtempSync(join(tmpdir(), "xa-tre-em-bo-tieu-chi-"));
  cpSync(DIST, site, { recursive: true });
  env.server.setRoot(site);
});
after(async () => {
  await env.close();
  rmSync(site, { recursive: true, force: true });
});

/** What a province does to publish: the file next to the app, its name in the index. */
function publish(name, text) {
  writeFileSync(join(site, "criteria", name), text);
  const index = JSON.parse(readFileSync(join(site, "criteria", "index.json"), "utf8"));
  index.sets.push(name);
  writeFileSync(join(site, "criteria", "index.json"), JSON.stringify(index));
}

const exact = (name) => ({ name, exact: true });
/** Every item id of the fixture, in the set's order. */
const ALL_ITEMS = TEST_SET.criteria.flatMap((c, ci) => c.items.map((_, ii) => `${ci + 1}.${ii + 1}`));

async function status(page) {
  return page.locator(".problems [role=status]").innerText();
}

/** Types one item of the fixture into criterion `c` (1-based), item `i`. */
async function typeItem(page, c, i, item) {
  const at = `#soan-tc-${c}-muc-${i}`;
  await page.locator(`${at}-ItemText`).fill(item.text);
  await page.locator(`${at}-ProvenanceSource`).fill(TEST_SET.source);
  await page.locator(`${at}-Rule`).selectOption(item.kind);
  switch (item.kind) {
    case "yes_no":
      await page.locator(`${at}-Rule-diem`).fill(String(item.points));
      return;
    case "manual":
      await page.locator(`${at}-Rule-toi-da`).fill(String(item.max));
      return;
    case "rate":
    case "per_population":
      await page.locator(`${at}-NumeratorLabel`).fill(item.numerator);
      await page.locator(`${at}-DenominatorLabel`).fill(item.denominator);
      if (item.per) await page.locator(`${at}-Per`).fill(String(item.per));
      break;
    case "count":
      await page.locator(`${at}-CountLabel`).fill(item.label);
      break;
  }
  for (const [k, [bound, points]] of item.bands.entries()) {
    if (k > 0) {
      await page.locator(`${at}-Bands`).locator("xpath=..").getByRole("button", exact("Thêm ngưỡng")).click();
    }
    await page.locator(`${at}-Bands-${k + 1}-nguong`).fill(String(bound).replace(".", ","));
    await page.locator(`${at}-Bands-${k + 1}-diem`).fill(String(points));
  }
}

/** Types an example's inputs and expectations into example `n` (1-based). */
async function typeExample(page, n, example) {
  const at = `#soan-vd-${n}`;
  const fold = page.locator("details.example-editor").nth(n - 1);
  await page.locator(`${at}-ExampleName`).fill(example.name);
  const slug = (id) => id.replace(/\W/g, "-");
  const given = [];
  for (const [item, input] of Object.entries(example.inputs)) {
    await fold.getByRole("button", exact("Thêm dữ liệu nhập")).click();
    // The new row takes the first item of the set without an input; point it at the item.
    const free = ALL_ITEMS.find((id) => !given.includes(id));
    if (free !== item) await page.locator(`${at}-nhap-${slug(free)}-muc`).selectOption(item);
    given.push(item);
    const row = `${at}-nhap-${slug(item)}`;
    if ("yes" in input) await page.locator(`${row}-co-khong`).selectOption(input.yes ? "co" : "khong");
    if ("numerator" in input) {
      await page.locator(`${row}-tu-so`).fill(String(input.numerator));
      await page.locator(`${row}-mau-so`).fill(String(input.denominator));
    }
    if ("count" in input) await page.locator(`${row}-so-luong`).fill(String(input.count));
    if ("manual" in input) await page.locator(`${row}-diem`).fill(String(input.manual));
  }
  for (const [item, points] of Object.entries(example.items ?? {})) {
    await fold.getByRole("button", exact("Thêm điểm mong đợi của một mục")).click();
    // The new row takes the first item without an expectation (1.1); point it at the item.
    await page.locator(`${at}-muc-1-1-ma`).selectOption(item);
    await page.locator(`${at}-muc-${item.replace(/\W/g, "-")}-diem`).fill(String(points));
  }
  for (const [criterion, points] of Object.entries(example.criteria ?? {})) {
    await fold.getByRole("button", exact("Thêm điểm mong đợi của một tiêu chí")).click();
    await page.locator(`${at}-tc-1-ma`).selectOption(criterion);
    await page.locator(`${at}-tc-${criterion}-diem`).fill(String(points));
  }
  if (example.total !== undefined) await page.locator(`${at}-tong`).fill(String(example.total));
  for (const [unit, verdict] of Object.entries(example.verdicts ?? {})) {
    await page.locator(`${at}-ket-luan-${unit}`).selectOption(verdict);
  }
}

/** Saves the file the editor exports; returns its text. */
async function exportSet(page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", exact("Xuất tệp bộ tiêu chí")).click(),
  ]);
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8") };
}

/** Enters the fixture's full-marks answers on the criterion screens of assessment `route`. */
async function answerFullMarks(page, route) {
  for (const [c, criterion] of TEST_SET.criteria.entries()) {
    await page.evaluate((h) => (location.hash = h), route.replace(/\/tieu-chi\/\d+$/, `/tieu-chi/${c + 1}`));
    await page.getByRole("heading", { level: 1, name: new RegExp(`^Tiêu chí ${c + 1}\\.`) }).waitFor();
    for (const [i, item] of criterion.items.entries()) {
      const answer = FULL_MARKS[`${c + 1}.${i + 1}`];
      const section = page.locator("section.item").nth(i);
      if ("yes" in answer) await section.getByRole("radio", { name: `Có (${item.points} điểm)` }).check();
      if ("numerator" in answer) {
        const [n, d] = item.kind === "survey"
          ? ["Số người hài lòng", "Số người được hỏi"]
          : [item.numerator, item.denominator];
        await section.getByLabel(n, { exact: true }).fill(String(answer.numerator));
        await section.getByLabel(d, { exact: true }).fill(String(answer.denominator));
      }
      if ("count" in answer) await section.getByLabel(item.label, { exact: true }).fill(String(answer.count));
      if ("manual" in answer) await section.getByLabel(`Điểm (từ 0 đến ${item.max})`).fill(String(answer.manual));
    }
  }
}

test("a province builds, checks, publishes and revises a set; an assessment follows it only when asked", async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, problems } = await openPage(context, env.server.url);

  // --- Build the set from a blank one ---------------------------------------------------------
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", exact("Bộ tiêu chí")).click();
  await page.getByRole("button", exact("Bắt đầu từ bộ trống")).click();
  await page.getByRole("heading", { level: 1, name: "Soạn bộ tiêu chí" }).waitFor();
  assert.match(await status(page), /Còn \d+ vấn đề phải sửa trước khi xuất tệp/);
  // A field shows its own problem and says it is invalid, until it is mended.
  const setId = page.locator("#soan-bo-SetId");
  assert.notEqual((await page.locator("#soan-bo-SetId-loi").innerText()).trim(), "");
  assert.equal(await setId.getAttribute("aria-invalid"), "true");

  await setId.fill(TEST_SET.id);
  await page.locator("#soan-bo-SetId-loi p").waitFor({ state: "detached" });
  assert.equal(await setId.getAttribute("aria-invalid"), null);
  await page.locator("#soan-bo-Title").fill(TEST_SET.title);
  await page.locator("#soan-can-cu-LegalNumber").fill(TEST_SET.legal.number);
  await page.locator("#soan-can-cu-LegalDate").fill(TEST_SET.legal.date);
  await page.locator("#soan-can-cu-LegalIssuer").fill(TEST_SET.legal.issuer);
  await page.locator("#soan-can-cu-LegalTitle").fill(TEST_SET.legal.title);
  await page.locator("#soan-bo-TotalMax").fill(String(TEST_SET.totalMax));
  for (const [u, unit] of TEST_SET.units.entries()) {
    await page.getByRole("button", exact("Thêm loại đơn vị")).click();
    await page.locator(`#soan-loai-${u + 1}-UnitId`).fill(unit.id);
    await page.locator(`#soan-loai-${u + 1}-UnitLabel`).fill(unit.label);
    await page.locator(`#soan-loai-${u + 1}-UnitWording`).fill(unit.wording);
    await page.locator(`#soan-loai-${u + 1}-MinTotal`).fill(String(unit.min));
  }
  for (const [c0, criterion] of TEST_SET.criteria.entries()) {
    const c = c0 + 1;
    await page.getByRole("button", exact("Thêm tiêu chí")).click();
    await page.locator(`#soan-tc-${c}-CriterionName`).fill(criterion.name);
    await page.locator(`#soan-tc-${c}-CriterionMax`).fill(String(criterion.max));
    await page.locator(`#soan-tc-${c}-ProvenanceSource`).fill(TEST_SET.source);
    for (const [i0, item] of criterion.items.entries()) {
      if (i0 > 0) await page.getByRole("button", exact(`Thêm mục vào tiêu chí thứ ${c}`)).click();
      await typeItem(page, c, i0 + 1, item);
    }
  }
  assert.equal(await status(page), "Bộ tiêu chí hợp lệ: có thể xuất tệp.");

  // A mistake is shown next to its field and in the list, and undo takes it back.
  await page.locator("#soan-tc-2-CriterionMax").fill("90");
  const maxProblems = page.locator("#soan-tc-2-CriterionMax-loi");
  await maxProblems.getByText("tổng điểm tối đa các mục (100) khác điểm tối đa của tiêu chí (90)").waitFor();
  assert.equal(await page.locator("#soan-tc-2-CriterionMax").getAttribute("aria-invalid"), "true");
  // The item is above the criterion, the items do not add up to it, nor the criteria to the set.
  assert.match(await status(page), /Còn 3 vấn đề/);
  await page.getByRole("button", { name: /^Hoàn tác: sửa điểm tối đa của tiêu chí thứ 2/ }).click();
  assert.equal(await page.locator("#soan-tc-2-CriterionMax").inputValue(), "100");
  assert.equal(await status(page), "Bộ tiêu chí hợp lệ: có thể xuất tệp.");
  await maxProblems.locator("p").waitFor({ state: "detached" });
  assert.equal(await page.locator("#soan-tc-2-CriterionMax").getAttribute("aria-invalid"), null);

  // --- Worked examples, run on every change -------------------------------------------------
  for (const [n, example] of EXAMPLES.entries()) {
    await page.getByRole("button", exact("Thêm ví dụ kiểm tra")).click();
    await typeExample(page, n + 1, example);
  }
  assert.equal(await status(page), "Bộ tiêu chí hợp lệ: có thể xuất tệp. Cả 2 ví dụ kiểm tra đều đúng.");
  // A wrong expectation fails, with the difference.
  await page.locator("#soan-vd-2-muc-2-1-diem").fill("60");
  await page.getByText("Mục 2.1: mong đợi 60 điểm, tính được 70 điểm (chênh +10 điểm)").first().waitFor();
  assert.match(await status(page), /1\/2 ví dụ kiểm tra sai/);
  await page.locator("#soan-vd-2-muc-2-1-diem").fill("70");
  assert.match(await status(page), /Cả 2 ví dụ kiểm tra đều đúng/);

  // The preview scores with the draft as an assessor would see it.
  await page.getByLabel("Tiêu chí xem trước").selectOption({ label: `Tiêu chí 2. ${TEST_SET.criteria[1].name}` });
  const preview = page.locator(".preview-frame");
  await preview.getByLabel(TEST_SET.criteria[1].items[0].numerator, { exact: true }).fill("9");
  await preview.getByLabel(TEST_SET.criteria[1].items[0].denominator, { exact: true }).fill("10");
  await preview.getByText("70 điểm / 100").waitFor();

  // The draft survives a reload.
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Soạn bộ tiêu chí" }).waitFor();
  assert.equal(await page.locator("#soan-bo-SetId").inputValue(), TEST_SET.id);
  assert.match(await status(page), /Cả 2 ví dụ kiểm tra đều đúng/);

  // --- Export and publish ---------------------------------------------------------------------
  const first = await exportSet(page);
  assert.equal(first.name, "thu-nghiem-e2e_1.0.0.json");
  const exported = JSON.parse(first.text);
  assert.equal(exported.criteria.length, 13);
  assert.equal(exported.examples.length, 2);
  assert.deepEqual(exported.criteria[1].items[0].rule.bands, [
    { min: 80, points: 40 }, { min: 90, points: 70 }, { min: 95, points: 100 },
  ]);
  publish(first.name, first.text);
  await page.getByRole("button", exact("Bỏ bản nháp")).click();
  await page.getByRole("alertdialog").getByRole("button", exact("Bỏ bản nháp")).click();
  await page.getByRole("heading", { level: 1, name: "Bộ tiêu chí" }).waitFor();

  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Bộ tiêu chí" }).waitFor();
  const card = page.getByRole("listitem").filter({ hasText: TEST_SET.title });
  await card.getByText("do trang web đăng tải (tệp «thu-nghiem-e2e_1.0.0.json»)").waitFor();

  // --- An assessment made with the published set scores as the examples say -----------------
  await page.goto(`${env.server.url}#/moi`);
  await page.getByRole("heading", { level: 1, name: "Tạo bản tự đánh giá mới" }).waitFor();
  await page.getByLabel("Bộ tiêu chí").selectOption({ label: `${TEST_SET.title} — ${TEST_SET.legal.number} (phiên bản 1.0.0)` });
  await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Thành phố Hà Nội" });
  await page.getByLabel(/Tìm xã, phường, đặc khu/).fill("hoan kiem");
  const list = page.getByLabel("Xã, phường, đặc khu", { exact: true });
  const option = list.getByRole("option", { name: /Phường Hoàn Kiếm/ }).first();
  await list.selectOption({ value: await option.getAttribute("value") });
  await page.getByRole("radio", { name: /Loại A thử nghiệm/ }).check();
  await page.getByLabel("Họ và tên").fill("Nguyễn Thị Lan");
  await page.getByRole("button", { name: "Tạo và bắt đầu nhập số liệu" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  const route = new URL(page.url()).hash;
  const id = route.match(/^#\/danh-gia\/([^/]+)\//)[1];
  await answerFullMarks(page, route);
  await page.evaluate((h) => (location.hash = h), `#/danh-gia/${id}/ket-qua`);
  await page.getByRole("heading", { level: 1, name: "Kết quả tự đánh giá" }).waitFor();
  const results = await page.locator("main").innerText();
  assert.match(results, /\b970\b/, "the total of the first example");
  assert.match(results, /Đạt/);

  // --- A new version: the count band of criterion 4 moves; the examples catch it ----------------
  await page.goto(`${env.server.url}#/bo-tieu-chi`);
  await card.getByRole("button", exact("Soạn phiên bản mới từ bộ này")).click();
  await page.getByRole("heading", { level: 1, name: "Soạn bộ tiêu chí" }).waitFor();
  assert.equal(await page.locator("#soan-bo-Version").inputValue(), NEXT_VERSION.version);
  // Each criterion and example shows its own fields (each reads its own part of the draft: a
  // part once provided in a way that reached the siblings showed the last one's everywhere).
  for (const [c, criterion] of TEST_SET.criteria.entries()) {
    assert.equal(await page.locator(`#soan-tc-${c + 1}-CriterionName`).inputValue(), criterion.name);
    assert.equal(await page.locator(`#soan-tc-${c + 1}-muc-1-ItemText`).inputValue(), criterion.items[0].text);
  }
  for (const [e, example] of EXAMPLES.entries()) {
    assert.equal(await page.locator(`#soan-vd-${e + 1}-ExampleName`).inputValue(), example.name);
  }
  const { criterion, band, from } = NEXT_VERSION.countBand;
  await page.locator(`details.criterion-editor`).nth(criterion - 1).locator("summary").click();
  await page.locator(`#soan-tc-${criterion}-muc-1-Bands-${band}-nguong`).fill(String(from));
  await page.getByText(`Tổng điểm: mong đợi 970 điểm, tính được ${NEXT_VERSION.total} điểm (chênh −30 điểm)`).first().waitFor();
  assert.match(await status(page), /Còn 1 vấn đề.*1\/2 ví dụ kiểm tra sai/);
  await page.locator("details.example-editor").nth(0).locator("summary").click();
  await page.locator("#soan-vd-1-tong").fill(String(NEXT_VERSION.total));
  assert.equal(await status(page), "Bộ tiêu chí hợp lệ: có thể xuất tệp. Cả 2 ví dụ kiểm tra đều đúng.");

  // The change log, readable and printable.
  await page.getByRole("link", exact("So sánh với bộ gốc")).click();
  await page.getByRole("heading", { level: 1, name: "Thay đổi giữa hai phiên bản bộ tiêu chí" }).waitFor();
  const log = await page.locator("article.compare").innerText();
  assert.match(log, /Phiên bản\s+1\.0\.0\s+1\.0\.1/);
  assert.match(log, /Mục 4\.1: cách chấm điểm/);
  assert.match(log, /từ 4 → 60 điểm/);
  assert.match(log, /từ 5 → 60 điểm/);
  await page.goBack();
  await page.getByRole("heading", { level: 1, name: "Soạn bộ tiêu chí" }).waitFor();

  const second = await exportSet(page);
  assert.equal(second.name, "thu-nghiem-e2e_1.0.1.json");
  publish(second.name, second.text);

  // --- The assessment keeps its version; the user is told, sees before/after, moves, undoes -----
  // A new visit: the app reads criteria/index.json again.
  await page.goto(`${env.server.url}#/danh-gia/${id}/tieu-chi/1`);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  await page.getByText(/Đã có bộ tiêu chí «thu-nghiem-e2e» phiên bản 1\.0\.1 mới hơn\. 1 bản tự đánh giá/).waitFor();
  await page.getByRole("link", exact("Xem điểm thay đổi thế nào và chuyển phiên bản")).click();
  await page.getByRole("heading", { level: 1, name: "Phiên bản bộ tiêu chí" }).waitFor();
  const table = page.locator("table.move-table");
  const row4 = table.getByRole("row", { name: /Tiêu chí 4\./ });
  assert.deepEqual(await row4.getByRole("cell").allInnerTexts(), ["60 / 60", "30 / 60"]);
  assert.deepEqual(
    await table.getByRole("row", { name: /Tổng điểm/ }).getByRole("cell").allInnerTexts(),
    ["970 (ngưỡng 900)", "940 (ngưỡng 900)"],
  );
  assert.deepEqual(await table.getByRole("row", { name: /Kết quả/ }).getByRole("cell").allInnerTexts(), ["Đạt", "Đạt"]);
  await page.getByRole("button", exact("Chuyển sang phiên bản 1.0.1")).click();
  await page.getByText("Đã chuyển từ phiên bản 1.0.0 sang phiên bản 1.0.1").waitFor();
  await page.getByText("Đây là phiên bản mới nhất của bộ này trên máy.").waitFor();
  await page.getByRole("link", exact("Kết quả")).click();
  await page.getByRole("heading", { level: 1, name: "Kết quả tự đánh giá" }).waitFor();
  assert.match(await page.locator("main").innerText(), /\b940\b/);

  // The move is recorded and undone.
  await page.goto(`${env.server.url}#/danh-gia/${id}/bo-tieu-chi`);
  await page.getByRole("button", exact("Hoàn tác lần chuyển")).click();
  await page.getByText("Đã hoàn tác: bản này lại chấm theo phiên bản 1.0.0.").waitFor();
  const history = await page.getByRole("region", { name: "Các lần đổi phiên bản" }).innerText();
  assert.match(history, /từ phiên bản 1\.0\.0 sang 1\.0\.1/);
  assert.match(history, /từ phiên bản 1\.0\.1 sang 1\.0\.0 \(hoàn tác\)/);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Phiên bản bộ tiêu chí" }).waitFor();
  await page.getByRole("button", exact("Chuyển sang phiên bản 1.0.1")).waitFor();

  assert.deepEqual(problems, []);
  await context.close();
});
