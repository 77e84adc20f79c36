// When the app stops, the page becomes a Vietnamese error screen that still saves every stored
// entry, raw (localStorage and IndexedDB), and the edits the app held only in memory. The app has no honest way to panic on demand (no test-only code paths in the
// product), so the screen is driven the way the panic hook drives it: the same DOM event
// (src/adapters/crash.rs dispatches it; tests/browser_crash_hook.rs checks that a real panic does).
// An uncaught error after start takes the same path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { start, openPage, createAssessment } from "./harness.mjs";
import { storeDump } from "./store.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

const DAMAGED = ["xa-tre-em/hong/abc", '{"format":2,"assessment":{"id":"abc"'];

async function crashScreen(page) {
  const heading = page.getByRole("heading", { level: 1, name: "Công cụ gặp sự cố và đã dừng" });
  await heading.waitFor();
  return heading;
}

test("a panic shows the error screen, whose download holds every stored entry raw", async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  const stored = await page.evaluate(([key, value]) => {
    localStorage.setItem(key, value);
    localStorage.setItem("ung-dung-khac/khoa", "không thuộc công cụ này");
    return Object.fromEntries(
      Object.keys(localStorage)
        .filter((k) => k.startsWith("xa-tre-em/"))
        .map((k) => [k, localStorage.getItem(k)]),
    );
  }, DAMAGED);

  await page.evaluate(() =>
    dispatchEvent(
      new CustomEvent("xa-tre-em:su-co", {
        detail: "panicked at src/ui/views/results.rs:1:1:\nthử nghiệm <b>không phải HTML</b>",
      }),
    ),
  );
  const indexed = await storeDump(page);
  delete indexed.localStorage;
  const heading = await crashScreen(page);
  assert.ok(await heading.evaluate((h) => h === document.activeElement), "focus on the heading");
  assert.equal(await page.locator("#app").count(), 0, "the frozen app is gone");
  await page.getByText("Chi tiết lỗi", { exact: true }).click();
  assert.match(await page.locator("pre").textContent(), /<b>không phải HTML<\/b>/, "shown as text");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Tải xuống toàn bộ dữ liệu (JSON)" }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^xa-tre-em-du-lieu-\d{4}-\d{2}-\d{2}\.json$/);
  const file = JSON.parse(await readFile(await download.path(), "utf8"));
  assert.equal(file.format, "xa-phu-hop-tre-em/du-lieu-tho");
  assert.equal(file.format_version, 2);
  assert.deepEqual(file.entries, stored, "every localStorage entry of the app, raw, and nothing else");
  assert.equal(file.entries[DAMAGED[0]], DAMAGED[1], "an unreadable entry is saved as it is");
  assert.deepEqual(file.indexeddb, indexed, "every IndexedDB entry, raw");
  assert.equal(Object.keys(file.indexeddb["danh-gia"]).length, 1, "the assessment");
  assert.deepEqual(file.unsaved, {}, "everything was saved");
  const total = Object.keys(stored).length +
    Object.values(indexed).reduce((n, entries) => n + Object.keys(entries).length, 0);
  await page
    .getByRole("status")
    .filter({ hasText: `Đã tải xuống ${total} mục dữ liệu.` })
    .waitFor();

  assert.deepEqual(problems, []);
  await page.getByRole("button", { name: "Tải lại trang" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  await context.close();
});

test("an uncaught error after start also ends on the error screen, not a frozen page", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await page.evaluate(() => setTimeout(() => {
    throw new Error("lỗi không lường trước");
  }));
  await crashScreen(page);
  await page.getByText("Chi tiết lỗi", { exact: true }).click();
  assert.match(await page.locator("pre").textContent(), /lỗi không lường trước/);
  assert.deepEqual(problems, ["pageerror: lỗi không lường trước"]);
  await context.close();
});

test("the download holds the edits the app could not store yet", async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  // A newer version of the app upgrades the database in another tab: this one must not write
  // to it any more, so what is typed now stays in memory only.
  await page.evaluate(() => new Promise((resolve, reject) => {
    const r = indexedDB.open("xa-tre-em", 99);
    r.onsuccess = () => {
      r.result.close();
      resolve();
    };
    r.onerror = () => reject(r.error);
  }));
  await page.getByText("Nguồn số liệu, thuyết minh").first().click();
  await page.getByLabel("Thuyết minh").first().fill("Chưa kịp lưu: số liệu của trạm y tế");
  const status = page.getByRole("status").filter({ hasText: "Chưa lưu được" });
  await status.waitFor();
  assert.match(await status.textContent(), /phiên bản mới hơn/);

  await page.evaluate(() => dispatchEvent(new CustomEvent("xa-tre-em:su-co", { detail: "thử" })));
  await crashScreen(page);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Tải xuống toàn bộ dữ liệu (JSON)" }).click(),
  ]);
  const file = JSON.parse(await readFile(await download.path(), "utf8"));
  const unsaved = Object.values(file.unsaved).map((text) => JSON.parse(text));
  assert.ok(
    unsaved.some((r) => JSON.stringify(r.change).includes("Chưa kịp lưu: số liệu của trạm y tế")),
    JSON.stringify(file.unsaved),
  );
  assert.equal(Object.keys(file.indexeddb["danh-gia"]).length, 1, "and what was stored before");
  await page.getByRole("status").filter({ hasText: "gồm cả các thay đổi chưa kịp lưu" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
