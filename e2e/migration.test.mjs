// The first start of this version on what the previous release left in a browser
// (e2e/fixtures/release-profile.json, captured from the release by
// scripts/capture-release-profile.mjs: format 1 and 2 assessments, a backup, a set-aside entry):
// everything moves to IndexedDB without loss, and the old entries go only once moved. Then the
// rules for what cannot be read: a second damage of one id never overwrites the first copy set
// aside, and an entry of a newer format is never overwritten nor misreported.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { start, openPage, createAssessment } from "./harness.mjs";
import { storeDump, storedAssessments, storedBackups } from "./store.mjs";

const PROFILE = JSON.parse(readFileSync(new URL("./fixtures/release-profile.json", import.meta.url), "utf8"));

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

/** A context whose origin holds `entries` in localStorage before the app first runs. */
async function contextWith(entries) {
  const context = await env.browser.newContext({ acceptDownloads: true });
  await context.addInitScript((seed) => {
    if (sessionStorage.getItem("e2e-seeded")) return;
    for (const [key, text] of Object.entries(seed)) localStorage.setItem(key, text);
    sessionStorage.setItem("e2e-seeded", "1");
  }, entries);
  return context;
}

const appKeys = (page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("xa-tre-em/")).sort());

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return readFileSync(await file.path(), "utf8");
}

test("the release's data moves to the new store without loss", async () => {
  const entries = PROFILE.entries;
  const old = Object.entries(entries);
  const envelope = old.find(([k, v]) => k.startsWith("xa-tre-em/danh-gia/") && JSON.parse(v).format === 2);
  const bare = old.find(([k, v]) => k.startsWith("xa-tre-em/danh-gia/") && JSON.parse(v).format === undefined);
  const backup = old.find(([k]) => k.startsWith("xa-tre-em/sao-luu/"));
  const damaged = old.find(([k]) => k.startsWith("xa-tre-em/hong/"));
  assert.ok(envelope && bare && backup && damaged, "the fixture holds every kind of entry");

  const context = await contextWith(entries);
  const { page, problems } = await openPage(context, env.server.url);
  const cards = page.getByRole("list", { name: "Danh sách bản tự đánh giá" }).getByRole("listitem");
  await cards.filter({ hasText: "Phường Hoàn Kiếm — năm" }).waitFor();
  assert.equal(await cards.count(), 2);

  // Both assessments, whole, with their revision, times and export mark.
  const stored = await storedAssessments(page);
  const v2 = JSON.parse(envelope[1]);
  const moved2 = stored.find((s) => s.assessment.id === v2.assessment.id);
  assert.deepEqual(moved2.assessment, v2.assessment);
  assert.equal(moved2.revision, v2.revision);
  assert.equal(moved2.updated_at, v2.updated_at);
  assert.equal(moved2.last_exported_at, v2.last_exported_at);
  const v1 = JSON.parse(bare[1]);
  const moved1 = stored.find((s) => s.assessment.id === v1.id);
  assert.deepEqual(moved1.assessment, v1);
  assert.equal(moved1.revision, 1);

  // The backup, as it was, listed; the damaged entry, raw, downloadable.
  assert.deepEqual(await storedBackups(page), [JSON.parse(backup[1])]);
  const backups = page.getByRole("region", { name: "Bản sao lưu" });
  await backups.getByText(/Phường Hoàn Kiếm — năm/).waitFor();
  const alert = page.getByRole("alert").filter({ hasText: "Có bản lưu không đọc được" });
  assert.equal(await download(page, alert.getByRole("button", { name: "Tải nội dung gốc" })), damaged[1]);

  // The old entries are gone only because the new store holds them.
  assert.deepEqual(await appKeys(page), []);
  const dump = await storeDump(page);
  assert.equal(Object.keys(dump["danh-gia"]).length, 2);
  assert.equal(Object.values(dump["hong"])[0], damaged[1]);

  // The answers are there, and the next start changes nothing.
  await cards.filter({ hasText: "Phường Hoàn Kiếm — năm" }).getByRole("link", { name: "Mở" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  assert.ok(await page.getByRole("radio", { name: "Có (50 điểm)" }).isChecked());
  assert.equal(await page.getByLabel("Nguồn số liệu").first().inputValue(), v2.assessment.answers["1.1"].source);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  assert.deepEqual(await storedAssessments(page), stored);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a second damaged copy of one assessment never overwrites the first one set aside", async () => {
  const context = await contextWith({});
  const { page, problems } = await openPage(context, env.server.url);
  const damage = ['{"format": 2, "revision": 4, "assess', "không phải JSON — lần hai"];
  for (const text of damage) {
    await page.evaluate((t) => localStorage.setItem("xa-tre-em/danh-gia/cung-ma", t), text);
    // The published sets are fetched after Home shows: a reload would abort them.
    await page.waitForLoadState("networkidle");
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  }
  const alert = page.getByRole("alert").filter({ hasText: "Có bản lưu không đọc được" });
  const buttons = alert.getByRole("button", { name: "Tải nội dung gốc" });
  await buttons.first().waitFor();
  assert.equal(await buttons.count(), 2, "both copies are listed");
  const got = [await download(page, buttons.nth(0)), await download(page, buttons.nth(1))];
  assert.deepEqual(got.sort(), [...damage].sort(), "each copy, raw");
  assert.deepEqual(Object.values((await storeDump(page))["hong"]).sort(), [...damage].sort());
  assert.deepEqual(problems, []);
  await context.close();
});

test("an entry of a newer format is left untouched and reported as such", async () => {
  const newer = '{"format": 9, "revision": 4, "assessment": {"id": "moi"}, "khac": true}';
  const context = await contextWith({ "xa-tre-em/danh-gia/moi": newer });
  const { page, problems } = await openPage(context, env.server.url);
  const alert = page.getByRole("alert").filter({ hasText: "Có bản lưu không đọc được" });
  // The app has opened (and created) its database once it reports the first entry; before,
  // the page's own open below would create an empty database of its own.
  await alert.waitFor();
  // And one in the new store, as a later version would write it.
  await page.evaluate(() => new Promise((resolve, reject) => {
    const r = indexedDB.open("xa-tre-em");
    r.onsuccess = () => {
      const tx = r.result.transaction(["danh-gia", "danh-gia-thay-doi"], "readwrite");
      tx.objectStore("danh-gia").put('{"format": 4, "id": "sau", "seq": 3}', "sau");
      tx.objectStore("danh-gia-thay-doi").put('{"format": 4, "doc": "sau", "seq": 3}', ["sau", 3]);
      tx.oncomplete = () => {
        r.result.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  }));
  await page.waitForLoadState("networkidle");
  await page.reload();
  await alert.waitFor();
  const items = alert.getByRole("listitem");
  await items.nth(1).waitFor();
  assert.equal(await items.count(), 2);
  for (const text of await items.allTextContents()) {
    assert.match(text, /phiên bản mới hơn của ứng dụng tạo \(định dạng [49]\)/);
    assert.match(text, /giữ nguyên, không bị ghi đè/);
  }
  assert.equal(await alert.getByRole("button", { name: "Bỏ bản hỏng này" }).count(), 0, "nothing to discard");
  // Working on the side changes neither.
  await createAssessment(page);
  await page.getByRole("radio", { name: "Có (50 điểm)" }).check();
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  await page.goto(env.server.url + "#/");
  // The published sets are being fetched: a reload in the middle would cut that request.
  await page.waitForLoadState("networkidle");
  await page.reload();
  await alert.waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("xa-tre-em/danh-gia/moi")), newer);
  const dump = await storeDump(page);
  assert.equal(dump["danh-gia"].sau, '{"format": 4, "id": "sau", "seq": 3}');
  assert.equal(dump["danh-gia-thay-doi"]["sau/3"], '{"format": 4, "doc": "sau", "seq": 3}');
  assert.deepEqual(problems, []);
  await context.close();
});
