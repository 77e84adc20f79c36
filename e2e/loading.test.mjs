// What the first screen does not need is not downloaded before it: the commune list and the
// charts (a part of the module split off by scripts/wasm-split.mjs) come when a screen asks for
// them, and a failed download says why instead of stopping the app.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, createAssessment } from "./harness.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

test("home is usable without the commune list; the form fetches it", async () => {
  const context = await env.browser.newContext({ serviceWorkers: "block" });
  const seen = env.server.requests.length;
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const before = env.server.requests.slice(seen);
  assert.ok(!before.some((p) => p.endsWith("data/divisions.json")), before.join("\n"));
  assert.ok(!before.some((p) => /split_\w+\.wasm$/.test(p)), before.join("\n"));
  assert.ok(before.some((p) => p.endsWith("__wasm_split.js")), "the parts' loader comes with the app");

  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Thành phố Hà Nội" });
  assert.ok(env.server.requests.slice(seen).some((p) => p.endsWith("data/divisions.json")));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a failed download of the commune list says why, and «Thử lại» gets it", async () => {
  const context = await env.browser.newContext({ serviceWorkers: "block" });
  let refuse = true;
  await context.route("**/data/divisions.json", (route) =>
    refuse ? route.fulfill({ status: 503, body: "" }) : route.continue(),
  );
  const { page, problems } = await openPage(context, env.server.url, { hash: "#/moi" });
  const alert = page.getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.textContent(), /Không tải được danh mục xã, phường, đặc khu: trang web trả lời lỗi 503/);
  refuse = false;
  await alert.getByRole("button", { name: "Thử lại" }).click();
  await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Thành phố Hà Nội" });
  // The refused download itself shows up as an error status and, its body unread, an abort.
  assert.deepEqual(
    problems.filter((p) => !p.includes("503") && !p.includes("data/divisions.json net::ERR_ABORTED")),
    [],
  );
  await context.close();
});

test("charts that cannot be fetched are said so; the results stay and the app goes on", async () => {
  const context = await env.browser.newContext({ serviceWorkers: "block" });
  await context.route(/split_\w+\.wasm$/, (route) => route.abort());
  const { page, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(page);
  await page.evaluate((h) => {
    location.hash = h;
  }, route.replace(/\/tieu-chi\/1$/, "/ket-qua"));
  await page.getByRole("heading", { level: 1, name: "Kết quả tự đánh giá" }).waitFor();
  await page.getByText("Chưa vẽ được biểu đồ: không tải được phần vẽ biểu đồ").waitFor();
  assert.equal(await page.locator("figure.chart svg").count(), 0);
  // Still running: another screen opens.
  await page.getByRole("link", { name: "Thông tin chung" }).click();
  await page.getByRole("heading", { level: 1, name: "Thông tin bản tự đánh giá" }).waitFor();
  // The refused download (an abort, and the loader's own report of it) is the only problem.
  assert.deepEqual(
    problems.filter(
      (p) =>
        !/split_\w+\.wasm/.test(p) &&
        !p.includes("Failed to fetch") &&
        !p.includes("Failed to load resource: net::ERR_FAILED"),
    ),
    [],
  );
  await context.close();
});
