// Home lists from a small summary of each assessment, written with every change (issue 13, Home
// at scale). A browser whose database the previous version wrote (version 2, no summaries)
// upgrades, lists its assessments after reading them whole, and gets their summaries, so the
// next start lists at once; a summary lost later is written again the same way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, createAssessment } from "./harness.mjs";
import { storeDump } from "./store.mjs";

const SUMMARIES = "danh-gia-tom-tat";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

/** What the app stores of one assessment: its snapshot and change records, as stored. */
async function oneAssessment() {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  const dump = await storeDump(page);
  assert.deepEqual(problems, []);
  await context.close();
  return dump;
}

/** Polls the page's store until `check(dump)` holds. */
async function until(page, check) {
  for (let i = 0; i < 100; i++) {
    const dump = await storeDump(page);
    if (check(dump)) return dump;
    await page.waitForTimeout(100);
  }
  assert.fail("the store never reached the expected state");
}

test("a database of the previous version upgrades, lists its assessments and gets their summaries", async () => {
  const source = await oneAssessment();
  const [id] = Object.keys(source["danh-gia"]);
  assert.ok(source[SUMMARIES][id], "this version writes a summary with the assessment");
  const seed = {
    snapshots: source["danh-gia"],
    changes: Object.entries(source["danh-gia-thay-doi"]).map(([key, text]) => {
      const slash = key.lastIndexOf("/");
      return [[key.slice(0, slash), Number(key.slice(slash + 1))], text];
    }),
    // Version 2 had neither the summaries nor the dashboard's rows (version 4).
    stores: Object.keys(source).filter((name) => !["localStorage", SUMMARIES, "tong-hop-dong"].includes(name)),
  };
  const context = await env.browser.newContext();
  // Before the app's first script: the database as version 2 left it. IndexedDB serves opening
  // requests in order, so the app's own (version 4) waits for this one.
  await context.addInitScript((seed) => {
    if (sessionStorage.getItem("e2e-seeded")) return;
    sessionStorage.setItem("e2e-seeded", "1");
    const request = indexedDB.open("xa-tre-em", 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const name of seed.stores) db.createObjectStore(name);
      const tx = request.transaction;
      for (const [key, text] of Object.entries(seed.snapshots)) tx.objectStore("danh-gia").put(text, key);
      for (const [key, text] of seed.changes) tx.objectStore("danh-gia-thay-doi").put(text, key);
    };
    request.onsuccess = () => request.result.close();
  }, seed);
  const { page, problems } = await openPage(context, env.server.url);
  await page.locator(".cards > li").filter({ hasText: "Phường Hoàn Kiếm" }).waitFor();
  await page.getByRole("button", { name: /^Xóa bản Phường Hoàn Kiếm/ }).and(page.locator(":not([disabled])")).waitFor();
  const upgraded = await until(page, (dump) => dump[SUMMARIES]?.[id] !== undefined);
  const summary = JSON.parse(upgraded[SUMMARIES][id]);
  const snapshot = JSON.parse(upgraded["danh-gia"][id]);
  assert.deepEqual(Object.keys(summary.doc).sort(), ["commune", "criteria_set", "id", "year"]);
  assert.equal(summary.doc.commune.name, snapshot.doc.commune.name);
  assert.equal(summary.seq, snapshot.seq);
  assert.equal(summary.updated_at, snapshot.updated_at);
  const [version, stores] = await page.evaluate(
    () => new Promise((resolve) => {
      const r = indexedDB.open("xa-tre-em");
      r.onsuccess = () => {
        resolve([r.result.version, [...r.result.objectStoreNames]]);
        r.result.close();
      };
    }),
  );
  assert.equal(version, 4);
  assert.ok(stores.includes("tong-hop-dong") && stores.includes(SUMMARIES), stores.join(", "));

  // A summary lost (or one that could not follow a change): listed after reading everything,
  // and written again.
  await page.evaluate(
    (id) => new Promise((resolve, reject) => {
      const r = indexedDB.open("xa-tre-em");
      r.onsuccess = () => {
        const tx = r.result.transaction("danh-gia-tom-tat", "readwrite");
        tx.objectStore("danh-gia-tom-tat").delete(id);
        tx.oncomplete = () => {
          r.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
    }),
    id,
  );
  // Fetches still under way (the published criteria sets) would be aborted by the reload.
  await page.waitForLoadState("networkidle");
  await page.reload();
  await page.locator(".cards > li").filter({ hasText: "Phường Hoàn Kiếm" }).waitFor();
  const again = await until(page, (dump) => dump[SUMMARIES]?.[id] !== undefined);
  assert.deepEqual(JSON.parse(again[SUMMARIES][id]), summary);
  // With every summary in place the next start lists from them: the same card, the same count.
  // Fetches still under way (the published criteria sets) would be aborted by the reload.
  await page.waitForLoadState("networkidle");
  await page.reload();
  await page.locator(".cards > li").filter({ hasText: "Phường Hoàn Kiếm" }).waitFor();
  assert.match(await page.locator(".list-count").textContent(), /^1 bản\.$/);
  assert.deepEqual(problems, []);
  await context.close();
});
