// A full disk, for real: Chromium is told (DevTools' Storage.overrideQuotaForOrigin) that this
// site may use 1 byte, and from the moment it enforces that (it re-reads the quota about every
// 30 s) every IndexedDB write fails with QuotaExceededError. Then: edits stay in memory and
// say so, two tabs typing keep every keystroke (stored or in a backup the user is shown), a
// start on the full disk still lists and exports the assessments, and once there is room again
// everything is saved.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { start, openPage, createAssessment } from "./harness.mjs";
import { eventually, storedAssessments, storedBackups } from "./store.mjs";
import { COMMUNES, exchangeFile, makeAssessment } from "../scripts/gen-files.mjs";

let env;
let context;
let cdp;
let origin;
let first;
let route;
const problems = [];

/** A write of one's own, to see when the browser starts refusing. */
const probe = (page) =>
  page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open("thu-bo-nho");
      r.onupgradeneeded = () => r.result.createObjectStore("s");
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const outcome = await new Promise((resolve) => {
      const tx = db.transaction("s", "readwrite");
      tx.objectStore("s").put("x".repeat(1000), String(Math.random()));
      tx.oncomplete = () => resolve("ok");
      tx.onabort = () => resolve(tx.error?.name);
    });
    db.close();
    return outcome;
  });

before(async () => {
  env = await start();
  context = await env.browser.newContext({ acceptDownloads: true });
  const opened = await openPage(context, env.server.url);
  first = opened.page;
  problems.push(opened.problems);
  route = await createAssessment(first);
  await first.getByRole("radio", { name: "Có (50 điểm)" }).check();
  await first.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  assert.equal(await probe(first), "ok");
  cdp = await context.newCDPSession(first);
  origin = new URL(env.server.url).origin;
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 1 });
  await eventually(async () => (await probe(first)) === "QuotaExceededError", {
    timeout: 120_000,
    message: "the browser to enforce the quota",
  });
});
after(async () => {
  await context.close();
  await env.close();
});

const saveLine = (page) => page.locator(".save-status");

/** "Thử lưu lại", unless the tab's own retry (every few seconds) has saved already. */
async function retry(page) {
  const button = page.getByRole("button", { name: "Thử lưu lại" });
  if (await button.isVisible()) await button.click().catch(() => {});
}

test("a full disk keeps the change in memory and says so", async () => {
  await first.getByRole("radio", { name: "Có (15 điểm)" }).first().check();
  const status = first.getByRole("status").filter({ hasText: "Chưa lưu được" });
  await status.waitFor();
  assert.match(await status.textContent(), /đã đầy/);
  assert.match(await status.textContent(), /Bản sao tạm của thay đổi đã được giữ/);
  assert.ok(await first.getByRole("radio", { name: "Có (15 điểm)" }).first().isChecked(), "kept in memory");
  assert.ok(await first.getByRole("button", { name: "Xuất tệp JSON để giữ lại" }).isVisible());
  assert.ok(await first.getByRole("button", { name: "Thử lưu lại" }).isVisible());
  // «Thử lưu lại» by keyboard, the disk still full: the button is drawn anew (and goes once a
  // retry saves), so the status it sits in takes the focus; the next Tab is the button again.
  await first.getByRole("button", { name: "Thử lưu lại" }).focus();
  await first.keyboard.press("Enter");
  await first.waitForFunction(() => document.activeElement?.id === "trang-thai-luu");
  await status.waitFor();
  await first.keyboard.press("Tab");
  assert.equal(await first.evaluate(() => document.activeElement.textContent), "Thử lưu lại");
});

test("two tabs typing in turn on a full disk: every keystroke is kept", async () => {
  const opened = await openPage(context, env.server.url, { hash: route });
  const second = opened.page;
  problems.push(opened.problems);
  const typed = { first: [], second: [] };
  await first.getByText("Nguồn số liệu, thuyết minh").first().click();
  await second.getByText("Nguồn số liệu, thuyết minh").first().click();
  const source = (page, n) => page.locator("input[id$='-nguon']").nth(n);
  for (let round = 0; round < 3; round++) {
    for (const [name, page] of [["second", second], ["first", first]]) {
      // Whoever is read-only takes over, then types into two items at machine speed.
      await page.getByRole("button", { name: "Sửa ở thẻ này" }).click();
      await page.waitForFunction(() => [...document.querySelectorAll("input[id$='-nguon']")].every((i) => !i.readOnly));
      for (const n of [0, 1]) {
        const text = ` ${name}-${round}-${n}`;
        await source(page, n).press("End");
        await source(page, n).pressSequentially(text, { delay: 0 });
        typed[name].push(text.trim());
      }
      await saveLine(page).filter({ hasText: "Chưa lưu được" }).waitFor();
    }
  }
  // Room again: the tab that edits saves; the other's version goes to a backup.
  await cdp.send("Storage.overrideQuotaForOrigin", { origin });
  await eventually(async () => (await probe(first)) === "ok", { timeout: 120_000, message: "room again" });
  await retry(first);
  await retry(second);
  await first.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor({ timeout: 20_000 });
  await second.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor({ timeout: 20_000 });
  const [stored] = await storedAssessments(first);
  const kept = [JSON.stringify(stored.assessment), ...(await storedBackups(first)).map((b) => JSON.stringify(b))];
  for (const text of [...typed.first, ...typed.second]) {
    assert.ok(kept.some((k) => k.includes(text)), `«${text}» is neither stored nor in a backup`);
  }
  // The backups are shown to the user.
  await second.close();
  await first.goto(env.server.url + "#/");
  await first.reload();
  const section = first.getByRole("region", { name: "Bản sao lưu" });
  await section.waitFor();
  assert.ok((await section.getByRole("listitem").count()) >= 1);
  // Full again, for the next test.
  await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 1 });
  await eventually(async () => (await probe(first)) === "QuotaExceededError", {
    timeout: 120_000,
    message: "the quota again",
  });
});

test("records imported on a full disk are told not stored, with what to do, and are not listed", async () => {
  await first.goto(env.server.url + "#/");
  await first.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const before = (await storedAssessments(first)).length;
  const communes = [
    COMMUNES.find((c) => c.code === "32248"),
    COMMUNES.find((c) => c.code !== "32248" && !c.name.includes("Hoàn Kiếm")),
  ];
  const [a, b] = communes.map((commune) => makeAssessment(commune, { year: 2025 }));
  await first.getByLabel("Chọn tệp JSON", { exact: true }).setInputFiles({
    name: "hai-ban.json",
    mimeType: "application/json",
    buffer: Buffer.from(exchangeFile([a, b])),
  });
  await first.getByRole("heading", { name: "Kết quả nhập tệp" }).waitFor();
  await first.getByText("Đã kiểm tra 1 tệp: nhận 1 tệp (2 bản đánh giá), không nhận 0 tệp.").waitFor();
  assert.match(await first.locator(".import-tally").textContent(), /^2 bản CHƯA LƯU ĐƯỢC \(xem lý do ở từng bản\)\.$/);
  const list = await first.getByRole("list", { name: "Kết quả từng tệp" }).textContent();
  assert.doesNotMatch(list, /đã thêm vào danh sách/);
  assert.equal(list.match(/Chưa lưu: bộ nhớ của trình duyệt dành cho trang này đã đầy/g)?.length, 2);
  assert.match(list, /Bản này vẫn còn nguyên trong tệp/);
  assert.equal((await storedAssessments(first)).length, before, "nothing stored");
  for (const { name } of communes) {
    assert.equal(await first.getByRole("link", { name: `${name} — năm 2025` }).count(), 0, "not listed");
  }
});

test("starting on a full disk still lists the assessments, and they can be exported", async () => {
  await first.reload();
  await first.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const card = first
    .getByRole("list", { name: "Danh sách bản tự đánh giá" })
    .getByRole("listitem")
    .filter({ hasText: "Phường Hoàn Kiếm — năm" });
  await card.waitFor();
  const [download] = await Promise.all([
    first.waitForEvent("download"),
    card.getByRole("button", { name: "Xuất JSON" }).click(),
  ]);
  const file = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(file.assessments.length, 1);
  assert.equal(file.assessments[0].assessment.answers["1.1"].yes, true);
  // Editing goes on in memory, honestly reported, and is saved once there is room.
  await first.getByRole("link", { name: /^Phường Hoàn Kiếm — năm/ }).click();
  await first.getByRole("radio", { name: "Không (0 điểm)" }).first().check();
  await saveLine(first).filter({ hasText: "Chưa lưu được" }).waitFor();
  await cdp.send("Storage.overrideQuotaForOrigin", { origin });
  await eventually(async () => (await probe(first)) === "ok", { timeout: 120_000, message: "room again" });
  await retry(first);
  await first.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  await first.reload();
  await first.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  assert.ok(await first.getByRole("radio", { name: "Không (0 điểm)" }).first().isChecked());
  assert.deepEqual(problems.flat(), []);
});
