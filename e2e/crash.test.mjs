// When the app stops, the page becomes a Vietnamese error screen that still saves every stored
// entry, raw. The app has no honest way to panic on demand (no test-only code paths in the
// product), so the screen is driven the way the panic hook drives it: the same DOM event
// (src/adapters/crash.rs dispatches it; tests/browser_crash_hook.rs checks that a real panic does).
// An uncaught error after start takes the same path.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { start, openPage, createAssessment } from "./harness.mjs";

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
  assert.deepEqual(file.entries, stored, "every entry of the app, raw, and nothing else");
  assert.equal(file.entries[DAMAGED[0]], DAMAGED[1], "an unreadable entry is saved as it is");
  assert.ok(Object.keys(stored).some((k) => k.startsWith("xa-tre-em/danh-gia/")));
  await page
    .getByRole("status")
    .filter({ hasText: `Đã tải xuống ${Object.keys(stored).length} mục dữ liệu` })
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
