// The release build renders under a sub-path on a plain static server, under the CSP, with no
// error of any kind.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, PUBLIC_URL } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

test("home renders under the sub-path with no error", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  assert.equal(
    await page.getByRole("heading", { level: 1 }).textContent(),
    "Các bản tự đánh giá",
  );
  assert.equal(await page.locator("html").getAttribute("lang"), "vi");
  assert.equal(await page.locator("#boot").count(), 0, "the loading shell is gone");
  const wasm = env.server.requests.find((p) => p.endsWith(".wasm"));
  assert.ok(wasm?.startsWith(PUBLIC_URL), `wasm served from the sub-path: ${wasm}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an unknown address shows a Vietnamese not-found screen", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url, { hash: "#/khong-co-trang-nay" });
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Không tìm thấy trang");
  await page.getByRole("link", { name: "Về danh sách bản tự đánh giá" }).click();
  await page.getByRole("heading", { name: "Các bản tự đánh giá" }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test("a module that fails to load gives a message, not a blank page", async () => {
  const context = await env.browser.newContext();
  await context.route("**/*.wasm", (route) => route.abort());
  const page = await context.newPage();
  await page.goto(env.server.url);
  const message = page.getByRole("alert");
  await message.waitFor();
  assert.match(await message.textContent(), /Không tải được ứng dụng/);
  await context.close();
});
