// «Đã lưu» survives the browser being killed: Chromium is started on a profile folder of its own,
// driven over the DevTools protocol, and its whole process group killed with SIGKILL (as a crash,
// Android reclaiming memory or a power cut does) 1 s after the last keystroke, and right after an
// assessment is created; started again on the same folder, everything typed is there. The same
// run measures the time from a keystroke to its durable commit (the app announces each commit
// to its other tabs; a listener in the page notes when).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { cspHeader, createAssessment, DIST, PUBLIC_URL } from "./harness.mjs";
import { serve } from "./server.mjs";
import { holdStore, storedAssessments } from "./store.mjs";

let server;
let work;
let profile;
let browserTemp;
before(async () => {
  server = await serve({ root: DIST, publicUrl: PUBLIC_URL, headers: { "content-security-policy": cspHeader() } });
  work = mkdtempSync(join(tmpdir(), "xa-tre-em-ho-so-"));
  profile = join(work, "ho-so");
  // A killed Chromium leaves its singleton socket's folder in its TMPDIR: kept in `work`.
  browserTemp = join(work, "tam");
  mkdirSync(browserTemp);
});
after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

/** Chromium on the profile folder, in a process group of its own; `kill()` is SIGKILL to all. */
async function startBrowser() {
  const child = spawn(
    process.env.CHROMIUM ?? "/usr/bin/chromium",
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    { detached: true, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TMPDIR: browserTemp } },
  );
  const endpoint = await new Promise((resolve, reject) => {
    let text = "";
    child.stderr.on("data", (chunk) => {
      text += chunk;
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (found) resolve(found[1]);
    });
    child.on("exit", (code) => reject(new Error(`chromium exited (${code}): ${text}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const exited = new Promise((resolve) => child.on("exit", resolve));
  return {
    context: browser.contexts()[0],
    kill: async () => {
      process.kill(-child.pid, "SIGKILL");
      await exited;
    },
  };
}

async function open(context, hash = "") {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
  await page.goto(server.url + hash);
  await page.getByRole("heading", { level: 1 }).first().waitFor();
  return { page, problems };
}

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

test("killed 1 s after the last keystroke, and right after creating: nothing is lost", async () => {
  // Created, then killed at once.
  let run = await startBrowser();
  let { page, problems } = await open(run.context);
  const route = await createAssessment(page);
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  await run.kill();

  run = await startBrowser();
  ({ page, problems } = await open(run.context, route));
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  assert.equal((await storedAssessments(page)).length, 1, "the new assessment survived");

  // Typed at a person's pace, with the commits noted as the app announces them.
  await page.evaluate(() => {
    window.e2eKeys = [];
    window.e2eCommits = [];
    addEventListener("keydown", () => window.e2eKeys.push(performance.timeOrigin + performance.now()), true);
    new BroadcastChannel("xa-tre-em").onmessage = (e) => {
      const message = JSON.parse(e.data);
      if (message.kind !== "saved") return;
      const last = Math.max(...message.records.map((r) => r.at));
      window.e2eCommits.push({ at: performance.timeOrigin + performance.now(), last });
    };
  });
  await page.getByRole("radio", { name: "Có (50 điểm)" }).check();
  await page.getByText("Nguồn số liệu, thuyết minh").first().click();
  const source = "Quyết định phân công số 12/QĐ-UBND ngày 05/01/2026";
  const explanation = "Ủy ban nhân dân xã đã phân công một cán bộ phụ trách công tác trẻ em, có văn bản.";
  await page.getByLabel("Nguồn số liệu").first().pressSequentially(source, { delay: 40 });
  await page.getByLabel("Thuyết minh").first().pressSequentially(explanation, { delay: 40 });
  await page.waitForTimeout(1000);
  const { keys, commits } = await page.evaluate(() => ({ keys: window.e2eKeys, commits: window.e2eCommits }));
  assert.deepEqual(problems, []);
  await run.kill();

  run = await startBrowser();
  ({ page, problems } = await open(run.context, route));
  await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  assert.ok(await page.getByRole("radio", { name: "Có (50 điểm)" }).isChecked());
  assert.equal(await page.getByLabel("Nguồn số liệu").first().inputValue(), source);
  assert.equal(await page.getByLabel("Thuyết minh").first().inputValue(), explanation);
  assert.deepEqual(problems, []);
  await run.kill();

  // The figure: from each keystroke to the commit that holds it (a record's `at` is when the
  // app took the edit, in whole milliseconds).
  const latencies = keys.map((key) => {
    const commit = commits.find((c) => c.last >= Math.floor(key) && c.at >= key);
    assert.ok(commit, "every keystroke was committed");
    return commit.at - key;
  });
  const fmt = (ms) => ms.toFixed(1);
  console.log(
    `# keystroke → durable commit over ${latencies.length} keystrokes: median ${fmt(quantile(latencies, 0.5))} ms, ` +
      `p95 ${fmt(quantile(latencies, 0.95))} ms, max ${fmt(Math.max(...latencies))} ms`,
  );
});

/** What `read` gives once it gives `want`, or after 5 s what it gives then: what a closed tab
 * left is written at the next start, or, if the closed tab's lock was not yet free then, as soon
 * as this tab holds the assessment, after which the screen reads it again. */
async function settled(read, want) {
  const end = Date.now() + 5000;
  let got = await read();
  while (got !== want && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    got = await read();
  }
  return got;
}

/** A new assessment, stored, on its first criterion with the source and explanation boxes open. */
async function createdWithTextsOpen(context) {
  const { page, problems } = await open(context);
  const route = await createAssessment(page);
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  await page.getByText("Nguồn số liệu, thuyết minh").first().click();
  return { page, problems, route };
}

test("the tab closed while its writes cannot begin: what it typed is written at the next start", async () => {
  const run = await startBrowser();
  try {
    let { page, problems, route } = await createdWithTextsOpen(run.context);
    // A transaction of the page's own that never ends holds the store of changes: every write
    // of the app waits behind it, as a slow disk or a busy phone would make it wait, until the
    // tab is gone. Only what the app leaves at once while the page hides can survive.
    await holdStore(page, "danh-gia-thay-doi");
    const typed = "Biên bản họp ngày 12/3";
    await page.getByLabel("Thuyết minh").first().fill(typed);
    await page.getByRole("radio", { name: "Có (50 điểm)" }).check();
    assert.match(await page.getByRole("status").textContent(), /Đang lưu/, "nothing could be written");
    assert.deepEqual(problems, []);
    await page.close();

    ({ page, problems } = await open(run.context, route));
    await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
    assert.ok(await settled(() => page.getByRole("radio", { name: "Có (50 điểm)" }).isChecked(), true));
    await page.getByText("Nguồn số liệu, thuyết minh").first().click();
    assert.equal(await settled(() => page.getByLabel("Thuyết minh").first().inputValue(), typed), typed);
    const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("xa-tre-em/chua-ghi/")));
    assert.deepEqual(left, [], "what was left behind is gone once written");
    assert.deepEqual(problems, []);
    await page.close();
  } finally {
    await run.kill();
  }
});

test("the tab closed right after a burst of typing: every key is there when it is opened again", async () => {
  const run = await startBrowser();
  try {
    let { page, problems, route } = await createdWithTextsOpen(run.context);
    const typed = "Biên bản họp ngày 12/3";
    // Fast enough that keys wait for the next write when the tab goes away.
    await page.getByLabel("Thuyết minh").first().pressSequentially(typed, { delay: 5 });
    // A number typed key by key waits with the keys too (written with those that follow).
    await page.getByLabel("Điểm (từ 0 đến 20)").pressSequentially("15", { delay: 5 });
    assert.deepEqual(problems, []);
    await page.close();

    ({ page, problems } = await open(run.context, route));
    await page.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
    await page.getByText("Nguồn số liệu, thuyết minh").first().click();
    assert.equal(await settled(() => page.getByLabel("Thuyết minh").first().inputValue(), typed), typed);
    assert.equal(await settled(() => page.getByLabel("Điểm (từ 0 đến 20)").inputValue(), "15"), "15");
    assert.deepEqual(problems, []);
  } finally {
    await run.kill();
  }
});
