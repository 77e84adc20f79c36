// What the first screen does not need is not downloaded before it: the commune list, the charts
// and the screens Home does not need (parts of the module split off by scripts/wasm-split.mjs)
// come when a screen asks for them, and a failed download says why instead of stopping the app.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { start, openPage, createAssessment, DIST, ANY_PART, partFile } from "./harness.mjs";
import { chartsFont, putInPlace } from "../scripts/charts-font.mjs";
import { COMMUNES, exchangeFile, makeAssessment } from "../scripts/gen-files.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

/** The stylesheets fetched with the first part (src/adapters/styles.rs). */
const ON_DEMAND_CSS = /\/(assessment|dashboard|report|criteria)-[0-9a-f]+\.css$/;

/** A page's problems but those of a part's refused download: its abort, and the loader's report of it. */
const besidesRefused = (problems, part) =>
  problems.filter(
    (p) =>
      !new RegExp(`split_${part}(-[0-9a-f]{16})?\\.wasm`).test(p) &&
      !/\/(assessment|dashboard|report|criteria)-[0-9a-f]+\.css /.test(p) &&
      !p.includes("Failed to fetch") &&
      !p.includes("Failed to load resource: net::ERR_FAILED"),
  );

test("home is usable without the commune list; the form fetches it", async () => {
  const context = await env.browser.newContext({ serviceWorkers: "block" });
  const seen = env.server.requests.length;
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const before = env.server.requests.slice(seen);
  assert.ok(!before.some((p) => p.endsWith("data/divisions.json")), before.join("\n"));
  assert.ok(!before.some((p) => ANY_PART.test(p)), before.join("\n"));
  assert.ok(before.some((p) => p.endsWith("__wasm_split.js")), "the parts' loader comes with the app");
  assert.ok(before.some((p) => /\/app-[0-9a-f]+\.css$/.test(p)), before.join("\n"));
  assert.deepEqual(before.filter((p) => ON_DEMAND_CSS.test(p)), [], "the other screens' stylesheets wait");

  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByLabel("Tỉnh, thành phố").waitFor();
  // A screen of the part is drawn once its stylesheets are in force, never bare.
  const sheets = await page.evaluate(() =>
    [...document.querySelectorAll("link[data-on-demand]")].map((l) => `${l.disabled} ${l.sheet !== null}`),
  );
  assert.deepEqual(sheets, Array(4).fill("false true"));
  assert.equal(env.server.requests.slice(seen).filter((p) => ON_DEMAND_CSS.test(p)).length, 4);
  await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Thành phố Hà Nội" });
  assert.ok(env.server.requests.slice(seen).some((p) => p.endsWith("data/divisions.json")));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a first visit, with nothing stored, fetches no part at all; what another tab stores still shows on its Home", async () => {
  const context = await env.browser.newContext({ serviceWorkers: "block" });
  const seen = env.server.requests.length;
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  await page.getByText("Chưa có bản tự đánh giá nào").waitFor();
  await page.waitForTimeout(1000);
  const parts = env.server.requests.slice(seen).filter((p) => ANY_PART.test(p));
  assert.deepEqual(parts, [], "nothing stored: nothing for the screens' part to read");

  // This tab started without reading anything, yet it follows the others.
  const { page: other, problems: otherProblems } = await openPage(context, env.server.url);
  await createAssessment(other);
  await page.getByRole("heading", { level: 2, name: /Phường Hoàn Kiếm/ }).waitFor();
  assert.deepEqual(problems, []);
  assert.deepEqual(otherProblems, []);
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
  await context.route(partFile("split_charts"), (route) => route.abort());
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
        !/split_[a-z_]+(-[0-9a-f]{16})?\.wasm/.test(p) &&
        !p.includes("Failed to fetch") &&
        !p.includes("Failed to load resource: net::ERR_FAILED"),
    ),
    [],
  );
  await context.close();
});

// Each screen group in a part: the screen opened while its part cannot be fetched, the heading
// it shows once fetched, and how the failure names it. `prepare`, in an earlier page of the same
// browser (the part not refused), makes what the screen shows and gives its address.
const SCREEN_PARTS = [
  { part: "man_hinh", hash: "#/moi", heading: "Tạo bản tự đánh giá mới", what: "tự đánh giá" },
  {
    part: "man_hinh",
    prepare: async (page) => {
      const route = await createAssessment(page);
      await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
      return route.replace(/\/tieu-chi\/1$/, "/ket-qua");
    },
    heading: "Kết quả tự đánh giá",
    what: "kết quả",
  },
  { part: "man_hinh", hash: "#/tong-hop", heading: "Tổng hợp kết quả các xã, phường", what: "«Tổng hợp»" },
  { part: "bo_tieu_chi", hash: "#/bo-tieu-chi", heading: "Bộ tiêu chí", what: "bộ tiêu chí" },
];

for (const { part, hash, prepare, heading, what } of SCREEN_PARTS) {
  test(`a screen whose part cannot be fetched (${part}, ${what}) says so; «Thử lại» gets it; Home never waited for it`, async () => {
    const context = await env.browser.newContext({ serviceWorkers: "block" });
    let refuse = false;
    await context.route(partFile(`split_${part}`), (route) =>
      refuse ? route.abort() : route.continue(),
    );
    // The network is down for the screens' stylesheets too.
    await context.route(ON_DEMAND_CSS, (route) => (refuse ? route.abort() : route.continue()));
    let target = hash;
    if (prepare) {
      const { page, problems } = await openPage(context, env.server.url);
      target = await prepare(page);
      await page.waitForLoadState("networkidle");
      assert.deepEqual(problems, []);
      await page.close();
    }
    refuse = true;
    const seen = env.server.requests.length;
    const { page, problems } = await openPage(context, env.server.url);
    await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
    const home = env.server.requests.slice(seen);
    if (prepare) {
      // A card to score: Home draws it, asks for the part that reads the criteria sets, and
      // says why there is no score yet.
      await page.getByText("Chưa tính được điểm: không tải được phần ứng dụng đọc bộ tiêu chí").waitFor();
    } else {
      assert.ok(!home.some((p) => ANY_PART.test(p)), home.join("\n"));
    }
    await page.evaluate((h) => {
      location.hash = h;
    }, target);
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.equal(
      await alert.locator("p").textContent(),
      `Không tải được phần ứng dụng của màn hình ${what} (có thể do mạng). Dữ liệu trên máy ` +
        "không bị ảnh hưởng; hãy thử lại khi có mạng.",
    );
    assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Chưa tải được màn hình");
    refuse = false;
    await alert.getByRole("button", { name: "Thử lại" }).click();
    await page.getByRole("heading", { level: 1, name: heading, exact: true }).waitFor();
    assert.equal(await page.getByRole("alert").count(), 0);
    // The stylesheets that failed with the part came with it: the screen is not drawn bare.
    const sheets = await page.evaluate(() =>
      [...document.querySelectorAll("link[data-on-demand]")].map(
        (l) => `${l.disabled} ${l.hasAttribute("data-failed")} ${(l.sheet?.cssRules.length ?? 0) > 0}`,
      ),
    );
    assert.deepEqual(sheets, Array(4).fill("false false true"));
    // The refused download (an abort, and the loader's own report of it) is the only problem.
    assert.deepEqual(
      besidesRefused(problems, part),
      [],
    );
    await context.close();
  });
}

test("every part is named after its content, and the loader asks for those names", () => {
  const loader = readFileSync(join(DIST, "__wasm_split.js"), "utf8");
  const parts = readdirSync(DIST).filter((f) => ANY_PART.test(f));
  assert.ok(parts.length >= 4, parts.join(", "));
  for (const file of parts) {
    const hash = /-([0-9a-f]{16})\.wasm$/.exec(file)?.[1];
    const bytes = readFileSync(join(DIST, file));
    assert.equal(hash, createHash("sha256").update(bytes).digest("hex").slice(0, 16), file);
    assert.ok(loader.includes(`"./${file}"`), `the loader asks for ${file}`);
  }
});

test("the charts part carries the Latin and Vietnamese part of charts-rs's font, not the whole font", () => {
  const { original, subset } = chartsFont();
  assert.ok(subset.length < original.length / 4, `${subset.length} B of ${original.length} B`);
  for (const file of readdirSync(DIST).filter((f) => f.endsWith(".wasm"))) {
    const bytes = readFileSync(join(DIST, file));
    assert.equal(bytes.indexOf(original), -1, `the whole font is in ${file}`);
    let copies = 0;
    for (let at = bytes.indexOf(subset); at >= 0; at = bytes.indexOf(subset, at + 1)) copies += 1;
    assert.equal(copies, partFile("split_charts").test(file) ? 1 : 0, file);
  }
});

test("the font is put in place without moving anything, and the build stops if it is not there once", () => {
  const original = Buffer.from("FONT-full-font-bytes");
  const subset = Buffer.from("FONT-part");
  const before = Buffer.from("module head|");
  const after = Buffer.from("|module tail");
  const module = Buffer.concat([before, original, after]);
  const shipped = putInPlace(module, original, subset);
  assert.equal(shipped.length, module.length);
  assert.deepEqual(
    shipped,
    Buffer.concat([before, subset, Buffer.alloc(original.length - subset.length), after]),
  );
  assert.throws(() => putInPlace(Buffer.concat([before, after]), original, subset), /font is not in the module/);
  assert.throws(
    () => putInPlace(Buffer.concat([before, original, original, after]), original, subset),
    /more than once/,
  );
  assert.throws(() => putInPlace(module, subset, original), /larger than the font/);
});

test("an import on Home whose checking part cannot be fetched says so and stores nothing; choosing again imports", async () => {
  const context = await env.browser.newContext({ serviceWorkers: "block" });
  let refuse = true;
  let asked = 0;
  await context.route(partFile("split_man_hinh"), (route) => {
    asked += 1;
    return refuse ? route.abort() : route.continue();
  });
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  await page.getByLabel("Chọn tệp JSON", { exact: true }).waitFor();
  assert.equal(asked, 0, "Home does not fetch the checking code before a file is chosen");
  const file = {
    name: "tu-danh-gia_00070_2025.json",
    mimeType: "application/json",
    buffer: Buffer.from(exchangeFile([makeAssessment(COMMUNES[0], { year: 2025 })])),
  };
  const input = page.getByLabel("Chọn tệp JSON", { exact: true });
  await input.setInputFiles(file);
  await page
    .getByRole("status")
    .filter({
      hasText:
        "Không tải được phần ứng dụng dùng để kiểm tra tệp (có thể do mạng). Chưa nhập gì, dữ liệu " +
        "trên máy không đổi; hãy chọn lại tệp khi có mạng.",
    })
    .waitFor();
  assert.ok(asked > 0, "the checking code was asked for when the file was chosen");
  assert.equal(await page.locator(".cards > li").count(), 0);
  refuse = false;
  await input.setInputFiles(file);
  await page.locator(".import-summary").waitFor();
  await page.locator(".cards > li").filter({ hasText: COMMUNES[0].name }).waitFor();
  // The refused download (an abort, and the loader's own report of it) is the only problem.
  assert.deepEqual(
    besidesRefused(problems, "man_hinh"),
    [],
  );
  await context.close();
});

test("an appraisal file chosen on Home while its reading part cannot be fetched is said so, nothing received", async () => {
  const context = await env.browser.newContext({ serviceWorkers: "block" });
  let asked = 0;
  await context.route(partFile("split_man_hinh"), (route) => {
    asked += 1;
    return route.abort();
  });
  const { page, problems } = await openPage(context, env.server.url);
  const input = page.getByLabel("Chọn tệp kết quả thẩm định");
  await input.waitFor({ state: "attached" });
  await page.locator("#tep-tham-dinh:not([disabled])").waitFor({ state: "attached" });
  assert.equal(asked, 0, "Home does not fetch the reading code before a file is chosen");
  await input.setInputFiles({ name: "tham-dinh_00070_2025.json", mimeType: "application/json", buffer: Buffer.from("{}") });
  await page
    .getByText(
      "Không tải được phần ứng dụng dùng để đọc tệp thẩm định (có thể do mạng). Chưa nhận gì, dữ " +
        "liệu trên máy không đổi; hãy chọn lại tệp khi có mạng.",
    )
    .waitFor();
  assert.ok(asked > 0);
  assert.equal(await page.getByRole("link", { name: "Xem kết quả thẩm định" }).count(), 0);
  assert.deepEqual(
    besidesRefused(problems, "man_hinh"),
    [],
  );
  await context.close();
});
