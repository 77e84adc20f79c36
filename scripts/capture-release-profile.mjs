// Captures what a released build (localStorage layouts, formats 1 and 2) leaves in a browser:
// usage: node scripts/capture-release-profile.mjs <dist of the release> e2e/fixtures/release-profile.json
// The release is driven like a user: two assessments created and answered, one exported, a
// conflict between two tabs settled (so a backup exists), a damaged entry set aside by a reload.
// One assessment is then also stored in format 1 (a bare assessment, as the first builds wrote
// it). The file lists every `xa-tre-em/` key with its text, for e2e/migration.test.mjs.
import { writeFileSync } from "node:fs";
import { serve } from "../e2e/server.mjs";
import { launch, createAssessment } from "../e2e/harness.mjs";

const [dist, out] = process.argv.slice(2);
if (!dist || !out) throw new Error("usage: capture-release-profile.mjs <dist> <out.json>");
const server = await serve({ root: dist, publicUrl: "/so-y-te/tre-em/" });
const browser = await launch();
const context = await browser.newContext({ acceptDownloads: true });
const page = await context.newPage();
await page.goto(server.url);
await page.getByRole("heading", { level: 1 }).first().waitFor();

await createAssessment(page);
await page.getByRole("radio", { name: "Có (50 điểm)" }).check();
await page.getByText("Nguồn số liệu, thuyết minh").first().click();
await page.getByLabel("Nguồn số liệu").first().fill("Quyết định phân công số 12/QĐ-UBND");
await page.getByLabel("Thuyết minh").first().fill("Đã có quyết định phân công cán bộ phụ trách trẻ em.");
await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
await page.goto(server.url + "#/");
await createAssessment(page, {
  province: "Gia Lai",
  search: "phu my",
  commune: /Phù Mỹ|Phú Mỹ/,
  assessor: "Trần Văn Bình",
});
await page.getByRole("radio", { name: "Không (0 điểm)" }).first().check();
await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
// Exported once: the release records when.
await page.goto(server.url + "#/");
const card = page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" });
await Promise.all([page.waitForEvent("download"), card.getByRole("button", { name: "Xuất JSON" }).click()]);
// A conflict between two tabs, settled: the other version is kept under sao-luu/.
await card.getByRole("link", { name: /Phường Hoàn Kiếm — năm/ }).click();
await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
await page.evaluate(() => {
  const key = Object.keys(localStorage).find((k) => {
    if (!k.startsWith("xa-tre-em/danh-gia/")) return false;
    return JSON.parse(localStorage.getItem(k)).assessment.commune.code === "00070";
  });
  const stored = JSON.parse(localStorage.getItem(key));
  stored.revision += 10;
  stored.assessment.assessor.name = "Người ở thẻ khác";
  localStorage.setItem(key, JSON.stringify(stored));
});
await page.getByRole("radio", { name: "Có (15 điểm)" }).first().check();
const dialog = page.getByRole("alertdialog", { name: "Bản này vừa được sửa ở nơi khác" });
await dialog.getByRole("button", { name: "Giữ bản của thẻ này" }).click();
await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
// A damaged entry, set aside by the next start.
await page.evaluate(() => localStorage.setItem("xa-tre-em/danh-gia/hong-1", '{"format": 2, "revision": 3, "upd'));
await page.goto(server.url + "#/");
await page.reload();
await page.getByRole("alert").filter({ hasText: "Có bản lưu không đọc được" }).waitFor();

const entries = await page.evaluate(() =>
  Object.fromEntries(
    Object.keys(localStorage)
      .filter((k) => k.startsWith("xa-tre-em/"))
      .sort()
      .map((k) => [k, localStorage.getItem(k)]),
  ),
);
// The Gia Lai assessment as format 1 wrote it: the bare assessment, no envelope.
for (const [key, text] of Object.entries(entries)) {
  if (!key.startsWith("xa-tre-em/danh-gia/")) continue;
  const stored = JSON.parse(text);
  if (stored.assessment.assessor.name === "Trần Văn Bình") entries[key] = JSON.stringify(stored.assessment);
}
writeFileSync(out, JSON.stringify({ captured_from: "release f1088b7", entries }, null, 2) + "\n");
console.log(`${Object.keys(entries).length} entries → ${out}`);
await browser.close();
await server.close();
