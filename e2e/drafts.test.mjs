// A half-filled form is not lost: the new-assessment form and an unsaved «Thông tin chung» edit
// survive a reload, and an accepted update of the app (build B replacing build A, as in
// offline.test.mjs); saving or giving up the form removes its draft.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, openPage, createAssessment, DIST } from "./harness.mjs";
import { eventually, storeDump } from "./store.mjs";

let env;
let work;
const builds = {};
before(async () => {
  work = mkdtempSync(join(tmpdir(), "xa-tre-em-nhap-"));
  for (const name of ["a", "b"]) {
    builds[name] = join(work, name);
    cpSync(DIST, builds[name], { recursive: true });
  }
  const index = join(builds.b, "index.html");
  writeFileSync(index, readFileSync(index, "utf8").replace("<title>", '<meta name="ban-thu" content="B">\n  <title>'));
  execFileSync(process.execPath, ["scripts/sw-build.mjs", builds.b]);
  env = await start();
  env.server.setRoot(builds.a);
});
after(async () => {
  await env.close();
  rmSync(work, { recursive: true, force: true });
});

const restored = (page) => page.getByRole("status").filter({ hasText: "Đã khôi phục nội dung bạn nhập dở" });

/** Half of the new-assessment form. */
async function halfFill(page) {
  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Thành phố Hà Nội" });
  await page.getByLabel(/Tìm xã, phường, đặc khu/).fill("hoan kiem");
  const list = page.getByLabel("Xã, phường, đặc khu", { exact: true });
  const option = list.getByRole("option", { name: /Phường Hoàn Kiếm/ }).first();
  await list.selectOption({ value: await option.getAttribute("value") });
  await page.getByLabel("Họ và tên").fill("Nguyễn Thị Lan");
}

async function expectHalfFilled(page) {
  await page.getByRole("heading", { level: 1, name: "Tạo bản tự đánh giá mới" }).waitFor();
  await restored(page).waitFor();
  assert.equal(await page.getByLabel("Họ và tên").inputValue(), "Nguyễn Thị Lan");
  assert.equal(
    await page.getByLabel("Tỉnh, thành phố").evaluate((s) => s.selectedOptions[0].textContent.trim()),
    "Thành phố Hà Nội",
  );
  assert.match(
    await page.getByLabel("Xã, phường, đặc khu", { exact: true }).evaluate((s) => s.selectedOptions[0]?.textContent ?? ""),
    /Phường Hoàn Kiếm/,
  );
}

test("a half-filled new assessment and an unsaved «Thông tin chung» survive a reload", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await halfFill(page);
  await page.waitForTimeout(300);
  // The published sets are fetched once the first screen shows: a reload must not abort that.
  await page.waitForLoadState("networkidle");
  await page.reload();
  await expectHalfFilled(page);
  // Given up: the draft goes, and the form is empty next time.
  await page.getByRole("button", { name: "Bỏ nội dung nhập dở" }).click();
  assert.equal(await page.getByLabel("Họ và tên").inputValue(), "");
  // The draft's removal is written in the background: reloaded once it is.
  await eventually(async () => Object.keys((await storeDump(page)).nhap ?? {}).length === 0, {
    message: "the draft is gone from the store",
  });
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Tạo bản tự đánh giá mới" }).waitFor();
  assert.equal(await restored(page).count(), 0);

  // An existing assessment's general information, changed and not saved.
  await page.goto(env.server.url + "#/");
  const route = await createAssessment(page);
  await page.goto(env.server.url + route.replace(/tieu-chi\/1$/, "thong-tin"));
  await page.getByLabel("Chức vụ").fill("Công chức Văn hóa - Xã hội");
  await page.waitForTimeout(300);
  await page.waitForLoadState("networkidle");
  await page.reload();
  await restored(page).waitFor();
  assert.equal(await page.getByLabel("Chức vụ").inputValue(), "Công chức Văn hóa - Xã hội");
  // Saved: the draft goes with it.
  await page.getByRole("button", { name: "Lưu thông tin" }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  await page.goto(env.server.url + route.replace(/tieu-chi\/1$/, "thong-tin"));
  await page.getByRole("heading", { level: 1, name: "Thông tin bản tự đánh giá" }).waitFor();
  assert.equal(await restored(page).count(), 0);
  assert.equal(await page.getByLabel("Chức vụ").inputValue(), "Công chức Văn hóa - Xã hội");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a half-filled form survives an accepted update of the app", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForLoadState("networkidle");
  await halfFill(page);
  await page.waitForTimeout(300);
  env.server.setRoot(builds.b);
  await page.goto(env.server.url);
  const prompt = page.getByRole("status").filter({ hasText: "Có phiên bản mới" });
  await prompt.waitFor();
  await Promise.all([
    page.waitForEvent("load"),
    prompt.getByRole("button", { name: "Tải lại để dùng phiên bản mới" }).click(),
  ]);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  assert.equal(await page.locator('meta[name="ban-thu"]').getAttribute("content"), "B");
  await page.waitForLoadState("networkidle");
  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await expectHalfFilled(page);
  assert.deepEqual(problems, []);
  await context.close();
});
