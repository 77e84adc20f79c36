// What the first screen does not need is not downloaded before it: the commune list comes when
// a screen asks for it, and a failed download says why and can be tried again.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage } from "./harness.mjs";

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
