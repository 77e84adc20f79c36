// "Kết quả" and the printable report, driven through the UI like an assessor would: create an
// assessment, fill every criterion, read the results, print the report. The expected total and
// verdict are worked out here from public/criteria/qd-06-2019.json, independently of the
// scoring engine in Rust. Hostile text typed into the assessor's name, a source and an
// explanation must come out as text, with no dialog, no script and no CSP violation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { start, openPage, cutWords } from "./harness.mjs";

const SET = JSON.parse(readFileSync("public/criteria/qd-06-2019.json", "utf8"));
const PROVINCE = "04"; // Cao Bằng
const COMMUNE = "01294"; // Xã Lý Bôn
const CATEGORY = "con-lai"; // "Xã, phường còn lại", 850 points

const HOSTILE_NAME = `<img src=x onerror="window.__pwned='name'">Nguyễn Văn A`;
const HOSTILE_POSITION = `"><svg onload="window.__pwned='position'">`;
const HOSTILE_NOTE = `<script>window.__pwned='note'</script></svg><b>đậm</b>`;
const HOSTILE_SOURCE = `"><img src=x onerror=alert(1)>`;

// The worked example, typed into the UI below. By hand, from the set:
//   1.1 Có → 50, 1.2 Có → 15, 1.3 Không → 0, 1.4 manual → 10       criterion 1:  75 / 100
//   6.1 19/20 = 95% ≥ 95 → 50, 6.2 3/3 = 100% ≥ 100 → 75             criterion 6: 125 / 125
//   7.1 49/50 = 98% ≥ 98 → 50                                         criterion 7:  50 / 50
//   2.1, 3.1, 4.1, 5.1, 8.1, 9.1, 10.1, 11.1, 12.1 manual → 40 each   9 × 40 = 360
//   13.1 manual → 0                                                   criterion 13: 0
//   total 75 + 125 + 50 + 360 + 0 = 610 < 850, and criterion 13 is at 0 → "Chưa đạt".
const ANSWERS = {
  "1.1": { yes: true },
  "1.2": { yes: true },
  "1.3": { yes: false },
  "1.4": { manual: 10 },
  "6.1": { ratio: [19, 20] },
  "6.2": { ratio: [3, 3] },
  "7.1": { ratio: [49, 50] },
  ...Object.fromEntries(
    ["2.1", "3.1", "4.1", "5.1", "8.1", "9.1", "10.1", "11.1", "12.1"].map((id) => [id, { manual: 40 }]),
  ),
  "13.1": { manual: 0 },
};

/** Points of one answer under its rule, for the rule kinds the example uses. */
function itemPoints(rule, answer) {
  switch (rule.kind) {
    case "yes_no":
      return answer.yes ? rule.points : 0;
    case "manual":
      return answer.manual;
    case "rate": {
      const [n, d] = answer.ratio;
      const rate = (n * 100) / d;
      const band = rule.bands.filter((b) => rate >= b.min).at(-1);
      assert.ok(band, "the example stays within the encoded bands");
      return band.points;
    }
    default:
      throw new Error(`rule ${rule.kind} not used by the example`);
  }
}

function expected() {
  const perCriterion = SET.criteria.map((c) => ({
    id: c.id,
    name: c.name,
    points: c.items.reduce((sum, item) => sum + itemPoints(item.rule, ANSWERS[item.id]), 0),
  }));
  const total = perCriterion.reduce((sum, c) => sum + c.points, 0);
  const threshold = SET.unit_categories.find((u) => u.id === CATEGORY).min_total;
  const zero = perCriterion.filter((c) => c.points === 0);
  const reasons = [
    ...zero.map((c) => `Tiêu chí ${c.id} (${c.name}) đang 0 điểm`),
    ...(total < threshold
      ? [`Còn thiếu ${threshold - total} điểm so với ngưỡng ${threshold} (tổng hiện tại ${total} điểm)`]
      : []),
  ];
  return { perCriterion, total, threshold, reasons, verdict: reasons.length ? "Chưa đạt" : "Đạt" };
}

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

/** Counts dialogs and remembers any script that ran from injected markup. */
function watchForInjection(page) {
  const dialogs = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return {
    dialogs,
    pwned: () => page.evaluate(() => window.__pwned ?? null),
  };
}

async function go(page, hash, heading) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

/** Home → "Tạo bản tự đánh giá mới" → the form; returns the new assessment's id. */
async function createAssessment(page, { year, name, position }) {
  await go(page, "#/", "Các bản tự đánh giá");
  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByRole("heading", { level: 1, name: "Tạo bản tự đánh giá mới" }).waitFor();
  await page.locator("#tinh").selectOption(PROVINCE);
  await page.locator("#tim-xa").fill("ly bon");
  await page.locator("#xa").selectOption(COMMUNE);
  await page.locator(`input[name="loai-don-vi"][value="${CATEGORY}"]`).check();
  await page.locator("#nam").fill(String(year));
  await page.locator("#ho-ten").fill(name);
  await page.locator("#chuc-vu").fill(position);
  await page.getByRole("button", { name: "Tạo và bắt đầu nhập số liệu" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  const id = new URL(page.url()).hash.match(/^#\/danh-gia\/([^/]+)\//)?.[1];
  assert.ok(id, `assessment id in ${page.url()}`);
  return id;
}

const domId = (itemId, part) => `#muc-${itemId.replace(/[^A-Za-z0-9]/g, "-")}-${part}`;

/** Types one answer on the current criterion screen. */
async function answer(page, itemId, a) {
  if ("yes" in a) {
    const group = page.getByRole("radiogroup", { name: `Mục ${itemId}: có hay không` });
    await group.getByRole("radio", { name: a.yes ? /^Có/ : /^Không/ }).check();
  } else if ("manual" in a) {
    await page.locator(domId(itemId, "diem")).fill(String(a.manual));
  } else {
    await page.locator(domId(itemId, "tu-so")).fill(String(a.ratio[0]));
    await page.locator(domId(itemId, "mau-so")).fill(String(a.ratio[1]));
  }
}

async function fillCriterion(page, id, number, itemIds) {
  await go(page, `#/danh-gia/${id}/tieu-chi/${number}`, new RegExp(`^Tiêu chí ${number}\\.`));
  for (const itemId of itemIds) await answer(page, itemId, ANSWERS[itemId]);
}

async function noteAndSource(page, itemId, note, source) {
  const item = page.locator("section.item", { has: page.locator(domId(itemId, "ten")) });
  await item.locator("summary", { hasText: "Nguồn số liệu, thuyết minh" }).click();
  await page.locator(domId(itemId, "nguon")).fill(source);
  await page.locator(domId(itemId, "thuyet-minh")).fill(note);
}

test("results and report agree with the worked example, and hostile text stays text", async () => {
  const want = expected();
  assert.equal(want.total, 610, "the hand computation above");
  assert.equal(want.verdict, "Chưa đạt");

  const context = await env.browser.newContext({ viewport: { width: 360, height: 740 } });
  // The print dialog cannot be driven headless: record that the button asked for it.
  await context.addInitScript(() => {
    window.print = () => {
      window.__printed = (window.__printed ?? 0) + 1;
    };
  });
  const { page, problems } = await openPage(context, env.server.url);
  const injection = watchForInjection(page);

  // An earlier year of the same commune, for the comparison chart.
  const earlier = await createAssessment(page, { year: 2024, name: "Trần Thị B", position: "Công chức" });
  await fillCriterion(page, earlier, 1, ["1.1"]);

  const id = await createAssessment(page, {
    year: 2026,
    name: HOSTILE_NAME,
    position: HOSTILE_POSITION,
  });
  await fillCriterion(page, id, 1, ["1.1", "1.2", "1.3", "1.4"]);
  await noteAndSource(page, "1.1", HOSTILE_NOTE, HOSTILE_SOURCE);

  // Part-way: criterion 1 only (50 + 15 + 0 + 10 = 75), so the verdict must wait for data;
  // how far the total is from the threshold is said already.
  await go(page, `#/danh-gia/${id}/ket-qua`, "Kết quả tự đánh giá");
  assert.equal(await page.locator("#tong-diem").textContent(), "75");
  assert.equal(await page.locator("#ket-qua").textContent(), "Chưa đủ dữ liệu");
  const missing = SET.criteria.flatMap((c) => c.items.map((i) => i.id)).filter((i) => !i.startsWith("1."));
  assert.deepEqual(await page.locator(".result-conclusion .reasons li").allTextContents(), [
    `Còn thiếu dữ liệu ở ${missing.length} mục: ${missing.join(", ")}`,
    `Còn thiếu ${want.threshold - 75} điểm so với ngưỡng ${want.threshold} (tổng hiện tại 75 điểm)`,
  ]);
  assert.equal(await page.locator("#con-thieu + ul > li").count(), missing.length);

  // Every other criterion.
  for (const [index, criterion] of SET.criteria.entries()) {
    if (criterion.id === "1") continue;
    await fillCriterion(page, id, index + 1, criterion.items.map((i) => i.id));
  }

  await go(page, `#/danh-gia/${id}/ket-qua`, "Kết quả tự đánh giá");
  assert.equal(await page.locator("#tong-diem").textContent(), String(want.total));
  assert.match(await page.locator(".result-total").textContent(), new RegExp(`ngưỡng ${want.threshold} điểm`));
  assert.equal(await page.locator("#ket-qua").textContent(), want.verdict);
  assert.deepEqual(await page.locator(".result-conclusion .reasons li").allTextContents(), want.reasons);
  assert.equal(await page.locator("#con-thieu ~ p").first().textContent(), "Mọi mục đã có dữ liệu hợp lệ.");

  // Points per criterion, in set order; each row links to its criterion screen.
  const rows = page.locator(".data-table tbody tr");
  assert.equal(await rows.count(), SET.criteria.length);
  for (const [i, c] of want.perCriterion.entries()) {
    const cells = await rows.nth(i).locator("th, td").allTextContents();
    // A criterion at 0 refuses recognition on its own: its row says so.
    const flag = c.points === 0 ? "0 điểm — chưa được công nhận" : "";
    assert.equal(cells[0], `${c.id}. ${c.name}${flag}`);
    assert.equal(cells[1], String(c.points));
    assert.equal(await rows.nth(i).evaluate((r) => r.classList.contains("row-blocking")), c.points === 0);
    const link = rows.nth(i).getByRole("link");
    assert.equal(await link.getAttribute("href"), `#/danh-gia/${id}/tieu-chi/${i + 1}`);
  }

  // The criterion at 0 comes first in the gap analysis, then the largest gains: 1.3 can still
  // bring 15 points.
  const gains = page.locator("#co-the-tang ~ ol > li");
  assert.match(await gains.first().textContent(), /^Tiêu chí đang 0 điểm Mục 13\.1 \(tiêu chí 13\)/);
  assert.match(await gains.nth(1).textContent(), /^Mục 1\.3 \(tiêu chí 1\).*có thể thêm 15 điểm$/);

  // Three charts (points, percent, comparison with 2024), drawn to the screen's width.
  const charts = page.locator("figure.chart svg");
  // Drawn by the part of the module loaded on first use: they follow the rest of the screen.
  await charts.nth(2).waitFor();
  assert.equal(await charts.count(), 3);
  assert.deepEqual(await page.locator("figure.chart figcaption").allTextContents(), [
    "Điểm đạt được và điểm tối đa theo tiêu chí",
    "Tỷ lệ điểm đạt được so với điểm tối đa (%)",
    "So sánh điểm theo tiêu chí: năm 2024 và năm 2026",
  ]);
  for (let i = 0; i < 3; i++) {
    const box = await charts.nth(i).boundingBox();
    assert.ok(box.width > 250 && box.width <= 360, `chart ${i} fits 360 px: ${box.width}`);
  }
  const family = await charts.first().locator("text").first().getAttribute("font-family");
  assert.match(family, /sans-serif$/, "the page's font, with Vietnamese glyphs");
  assert.match(await charts.first().textContent(), /Điểm đạt được/);

  // The report: hostile text as text, everything else in order.
  await go(page, `#/danh-gia/${id}/bao-cao`, "Báo cáo để in");
  const report = page.locator("article.report");
  assert.equal(
    await report.locator(".report-title").textContent(),
    "Báo cáo kết quả tự đánh giá xã Lý Bôn phù hợp với trẻ em năm 2026",
  );
  assert.equal(await report.locator(".report-issuer").textContent(), "UBND XÃ LÝ BÔN");
  // The page's title names the report and the commune: «Lưu dưới dạng PDF» proposes it as the
  // file's name.
  assert.equal(await page.title(), "Báo cáo tự đánh giá — Xã Lý Bôn năm 2026 — Tự đánh giá xã, phường phù hợp với trẻ em");
  assert.match(await report.locator(".report-date").textContent(), /^Lý Bôn, ngày \d\d tháng \d+ năm \d{4}$/);
  assert.equal(await report.locator(".report-sign-name").textContent(), HOSTILE_NAME);
  assert.equal(await report.locator(".report-explanations dd").textContent(), HOSTILE_NOTE);
  const reportText = await report.textContent();
  assert.ok(reportText.includes(HOSTILE_POSITION), "position as text");
  assert.ok(reportText.includes(HOSTILE_SOURCE), "source as text");
  assert.equal(await page.locator("main img, main script, main b, main svg:not(.chart-svg)").count(), 0);
  assert.equal(await report.locator("svg.chart-svg").count(), 3);

  // The file for the province, from where the official finishes.
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Xuất tệp JSON" }).click(),
  ]);
  assert.equal(file.suggestedFilename(), `tu-danh-gia_${COMMUNE}_2026.json`);
  await page.getByRole("button", { name: "In báo cáo / Lưu PDF" }).click();
  assert.equal(await page.evaluate(() => window.__printed), 1);
  assert.equal(await page.locator(".report-actions [role=alert]").count(), 0, "no print error");

  // Every criterion filled, on the phone: no word of the report cut across lines (but the
  // hostile texts, typed without spaces, may wrap anywhere).
  const typed = [HOSTILE_NAME, HOSTILE_POSITION, HOSTILE_NOTE, HOSTILE_SOURCE];
  assert.deepEqual(await cutWords(page, typed), []);

  // Under print media: the app's chrome is gone and the report carries every criterion.
  await page.emulateMedia({ media: "print" });
  // As wide as an A4 page inside its margins (210 − 30 − 15 mm): no word cut there either.
  await page.setViewportSize({ width: 624, height: 900 });
  assert.deepEqual(await cutWords(page, typed), []);
  assert.equal(await page.locator(".app-header").isVisible(), false);
  assert.equal(await page.locator(".report-actions").isVisible(), false);
  const printed = await report.innerText();
  for (const c of SET.criteria) assert.ok(printed.includes(c.name), `printed: ${c.name}`);
  assert.ok(printed.includes(`Kết quả tự đánh giá: ${want.verdict}`), "printed verdict");
  for (const reason of want.reasons) assert.ok(printed.includes(reason), `printed: ${reason}`);
  assert.ok(printed.includes("chưa đối chiếu văn bản gốc"), "unverified items marked on paper");
  // The criterion at 0 is flagged on paper too, on its own row.
  const blocking = report.locator(".report-blocking");
  assert.equal(await blocking.count(), 1);
  assert.match(await blocking.innerText(), /^Tiêu chí 13\..*0 điểm: chưa đủ điều kiện công nhận/s);
  assert.ok(printed.includes("TM. ỦY BAN NHÂN DÂN"));
  const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
  assert.equal(pdf.subarray(0, 5).toString("latin1"), "%PDF-");
  const pages = pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
  assert.ok(pages >= 2, `an A4 report of several pages: ${pages}`);

  assert.deepEqual(injection.dialogs, []);
  assert.equal(await injection.pwned(), null);
  assert.deepEqual(problems, []);
  await context.close();
});
