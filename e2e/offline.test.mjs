// Every file downloaded once on the first visit; later visits start from the worker's cache
// without the network; offline after the first visit, and an update that neither breaks offline
// use nor loses data.
// Build A is served and visited, then used offline; build B (the next deployment: a marker in
// its page, re-stamped by scripts/sw-build.mjs like a real build, so its sw.js is new) takes
// its place on the server; the page offers the new version, and after the reload B is in
// charge, works offline, and the assessment made under A is still there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { start, openPage, createAssessment, DIST, ANY_PART, partFile } from "./harness.mjs";
import { storedAssessments } from "./store.mjs";

let env;
let work;
const builds = {};

before(async () => {
  work = mkdtempSync(join(tmpdir(), "xa-tre-em-offline-"));
  for (const name of ["a", "b"]) {
    builds[name] = join(work, name);
    cpSync(DIST, builds[name], { recursive: true });
  }
  const index = join(builds.b, "index.html");
  writeFileSync(
    index,
    readFileSync(index, "utf8").replace("<title>", '<meta name="ban-thu" content="B">\n  <title>'),
  );
  execFileSync(process.execPath, ["scripts/sw-build.mjs", builds.b]);
  env = await start();
  env.server.setRoot(builds.a);
});
after(async () => {
  await env.close();
  rmSync(work, { recursive: true, force: true });
});

const buildId = (dir) => /"id":"([0-9a-f]+)"/.exec(readFileSync(join(dir, "sw.js"), "utf8"))[1];

/** Names of this app's caches in the browser: one per build, named after its id. */
const cacheNames = (page) => page.evaluate(() => caches.keys());

/** The home screen, once the app has also fetched the published criteria sets: leaving the
 * page earlier would abort those requests, which the harness counts as problems. */
async function waitForHome(page) {
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  await page.waitForLoadState("networkidle");
}

test("works offline after the first visit; an update is offered, keeps data and offline use", async () => {
  const idA = buildId(builds.a);
  const idB = buildId(builds.b);
  assert.notEqual(idA, idB, "build B is a new build");

  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  assert.deepEqual(
    (await cacheNames(page)).map((n) => n.split("|").pop()),
    [idA],
    "build A precached",
  );
  await page.waitForLoadState("networkidle");
  await createAssessment(page);
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  const card = page.getByRole("listitem").filter({ hasText: "Phường Hoàn Kiếm — năm" });

  await context.setOffline(true);
  await page.goto(env.server.url);
  await waitForHome(page);
  await card.waitFor();
  await page.getByRole("link", { name: "Tạo bản tự đánh giá mới" }).click();
  await page.getByRole("heading", { level: 1, name: "Tạo bản tự đánh giá mới" }).waitFor();
  await context.setOffline(false);

  env.server.setRoot(builds.b);
  await page.goto(env.server.url);
  const prompt = page.getByRole("status").filter({ hasText: "Có phiên bản mới" });
  await prompt.waitFor();
  assert.match(await prompt.textContent(), /Dữ liệu đã lưu trên máy không bị ảnh hưởng/);
  await Promise.all([
    page.waitForEvent("load"),
    prompt.getByRole("button", { name: "Tải lại để dùng phiên bản mới" }).click(),
  ]);
  await waitForHome(page);
  assert.deepEqual(
    (await cacheNames(page)).map((n) => n.split("|").pop()),
    [idB],
    "build B in charge, build A's cache deleted",
  );
  await card.waitFor();

  await context.setOffline(true);
  await page.reload();
  await waitForHome(page);
  assert.equal(
    await page.locator('meta[name="ban-thu"]').getAttribute("content"),
    "B",
    "offline, the page is build B's own copy",
  );
  await card.waitFor();
  await page.getByRole("link", { name: /Phường Hoàn Kiếm — năm/ }).click();
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  // Screens never opened online: their parts of the module come from the worker's cache.
  const own = new URL(page.url()).hash.replace(/\/tieu-chi\/1$/, "");
  for (const [hash, heading] of [
    [`${own}/ket-qua`, "Kết quả tự đánh giá"],
    [`${own}/bao-cao`, "Báo cáo để in"],
    ["#/tong-hop", "Tổng hợp kết quả các xã, phường"],
    ["#/bo-tieu-chi", "Bộ tiêu chí"],
  ]) {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await page.getByRole("heading", { level: 1, name: heading, exact: true }).waitFor();
    if (hash.endsWith("/ket-qua")) await page.locator("figure.chart svg").first().waitFor();
  }
  const stored = await storedAssessments(page);
  assert.equal(stored.length, 1, "the assessment made under build A is still stored");
  await context.setOffline(false);

  assert.deepEqual(problems, []);
  await context.close();
});

test("the first visit downloads every file once; the next asks the network only about updates", async () => {
  env.server.setRoot(builds.a);
  const context = await env.browser.newContext();
  const first = env.server.answers.length;
  const firstAsked = env.server.requests.length;
  const { page, problems } = await openPage(context, env.server.url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.waitForFunction(async () => (await caches.keys()).length === 1);
  await page.waitForLoadState("networkidle");
  const bodies = new Map();
  for (const { path, status } of env.server.answers.slice(first)) {
    // The page is one file whether asked for as the directory or by its name.
    const file = path.endsWith("/") ? `${path}index.html` : path;
    if (status === 200) bodies.set(file, (bodies.get(file) ?? 0) + 1);
  }
  assert.deepEqual(
    [...bodies].filter(([, n]) => n > 1),
    [],
    "no file's body downloaded twice (the worker keeps what the page has)",
  );
  assert.ok([...bodies.keys()].some((p) => p.endsWith(".wasm")), "the app's module was downloaded");
  assert.ok(
    [...bodies.keys()].some((p) => p.endsWith("data/divisions.json")),
    "what the first screen does not need is fetched for offline use",
  );
  // Every part of the module split off (screens, charts) and every chunk they share, although
  // this visit never left Home.
  const parts = readdirSync(builds.a).filter((f) => ANY_PART.test(f));
  assert.ok(parts.some((f) => partFile("split_man_hinh").test(f)), parts.join(", "));
  for (const part of parts) {
    assert.ok([...bodies.keys()].some((p) => p.endsWith(`/${part}`)), `${part} kept for offline use`);
  }

  // On a weak link the user may open a screen while the worker is still fetching: it fetches
  // what the screens Home links to first, then the charts, then the criteria screens' part.
  const askedFirst = env.server.requests.slice(firstAsked);
  const named = (name) => parts.find((f) => partFile(name).test(f));
  const at = (file) => askedFirst.findIndex((p) => p.endsWith(`/${file}`));
  const last = (file) => askedFirst.findLastIndex((p) => p.endsWith(`/${file}`));
  const charts = at(named("split_charts"));
  const needed = [...parts.filter((p) => p.startsWith("chunk_")), named("split_man_hinh"), "data/divisions.json"];
  for (const file of needed) {
    assert.ok(last(file) >= 0 && last(file) < charts, `${file} asked for before the charts`);
  }
  assert.ok(charts < at(named("split_bo_tieu_chi")), "the charts before the criteria screens");

  const second = env.server.requests.length;
  await page.goto(env.server.url);
  await waitForHome(page);
  const asked = env.server.requests.slice(second);
  assert.deepEqual(
    asked.filter((p) => !p.endsWith("/sw.js") && !p.includes("/criteria/")),
    [],
    "the page, the module and every other file come from the worker's cache",
  );
  assert.deepEqual(problems, []);
  await context.close();
});
