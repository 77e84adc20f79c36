// A long explanation costs the same per keystroke as a short one. Explanations of 1 KB, 100 KB
// and 1 MB (paragraphs of prose) are pasted into three items, then typed into — at the end, in
// the middle, a new line, backspaces — and the main thread's work for each keystroke is read
// from a Chromium trace: the CPU time (`tdur`, so a busy machine does not count) of every task
// from the keystroke until the next one: the browser's editing and drawing, the app's handler,
// what it queued, the write to IndexedDB. The same keystrokes in a plain <textarea> of the same
// size in the same page, taking turns with the app's box for three rounds, give the browser's
// own share, so the app's share is what it adds.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, createAssessment } from "./harness.mjs";
import { eventually, storedAssessments } from "./store.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

const FRAME_MS = 16;

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

/** About `bytes` of Vietnamese prose (UTF-8), in paragraphs as a report has them. */
function prose(bytes) {
  const paragraph = "Ủy ban nhân dân xã đã rà soát số liệu trẻ em có hoàn cảnh đặc biệt theo từng thôn. ".repeat(5) + "\n";
  const size = Buffer.byteLength(paragraph);
  return paragraph.repeat(Math.max(1, Math.round(bytes / size)));
}

/** CPU milliseconds of the page's main thread for each keystroke `type` makes. */
async function cpuPerKeystroke(page, cdp, type) {
  const events = [];
  const collect = (d) => events.push(...d.value);
  cdp.on("Tracing.dataCollected", collect);
  const done = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", {
    categories: "devtools.timeline,disabled-by-default-devtools.timeline",
    transferMode: "ReportEvents",
  });
  await type();
  await page.waitForTimeout(400);
  await cdp.send("Tracing.end");
  await done;
  cdp.off("Tracing.dataCollected", collect);
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const own = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  const keys = own
    .filter((e) => e.name === "EventDispatch" && e.args?.data?.type === "keydown")
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const tasks = own.filter((e) => e.name === "RunTask" && e.ph === "X");
  return keys.map((key, i) => {
    const end = keys[i + 1] ?? key + 400_000;
    // The keydown's own task starts a little before its dispatch.
    const spent = tasks.filter((t) => t.ts + t.dur > key && t.ts < end);
    return spent.reduce((n, t) => n + (t.tdur ?? t.dur), 0) / 1000;
  });
}

/** A person editing a long report: at the end, in the middle, a new line, backspaces; `delay`
 * ms between keys. */
async function edit(page, box, delay) {
  await box.evaluate((el) => el.setSelectionRange(el.value.length, el.value.length));
  await page.keyboard.type(" Bo sung cuoi doan.", { delay });
  await page.keyboard.press("Enter", { delay });
  await box.evaluate((el) => el.setSelectionRange(el.value.length >> 1, el.value.length >> 1));
  await page.keyboard.type("them ", { delay });
  for (let k = 0; k < 3; k++) await page.keyboard.press("Backspace", { delay });
}
const KEYSTROKES = 19 + 1 + 5 + 3;
const ROUNDS = 3;

test("1 KB, 100 KB and 1 MB explanations: the app's work per keystroke does not grow with the text", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  await createAssessment(page);
  const cdp = await context.newCDPSession(page);
  // Typing speed, except for 1 MB: the browser alone spends about 50 ms per keystroke there, and
  // keys 40 ms apart would pile up, each one's work counted under the next.
  const sizes = [["1 KB", 1024, 40], ["100 KB", 100 * 1024, 40], ["1 MB", 1024 * 1024, 120]];
  const rows = [];
  for (const [i, [label, bytes, delay]] of sizes.entries()) {
    const text = prose(bytes);
    // The app's text box of item i.
    await page.getByText("Nguồn số liệu, thuyết minh").nth(i).click();
    const box = page.locator("textarea").nth(i);
    await box.focus();
    await page.keyboard.insertText(text);
    await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
    await page.waitForTimeout(500);
    // The app's box and a plain one take turns, so that a slower spell of a shared machine
    // weighs on both alike instead of on whichever was measured then.
    const app = [];
    const browser = [];
    for (let round = 0; round < ROUNDS; round++) {
      await box.focus();
      await page.waitForTimeout(300);
      app.push(...(await cpuPerKeystroke(page, cdp, () => edit(page, box, delay))));
      // The same keystrokes in a plain text box of the same size, outside the app.
      await page.evaluate((t) => {
        const plain = document.createElement("textarea");
        plain.id = "e2e-plain";
        plain.rows = 3;
        plain.value = t;
        document.body.append(plain);
      }, text);
      const plain = page.locator("#e2e-plain");
      await plain.focus();
      await page.waitForTimeout(300);
      browser.push(...(await cpuPerKeystroke(page, cdp, () => edit(page, plain, delay))));
      await plain.evaluate((el) => el.remove());
    }
    assert.equal(app.length, KEYSTROKES * ROUNDS, `${label}: every keystroke measured`);
    rows.push({ label, app, browser });
    // What was typed is what is stored.
    const typed = await box.inputValue();
    await eventually(async () => {
      const [stored] = await storedAssessments(page);
      return Object.values(stored.assessment.answers).some((a) => a.explanation === typed);
    }, { message: `the ${label} explanation stored as typed` });
  }
  const f = (ms) => ms.toFixed(1);
  for (const { label, app, browser } of rows) {
    console.log(
      `# ${label}: main-thread CPU per keystroke in the app median ${f(median(app))} ms, p95 ${f(quantile(app, 0.95))} ms, ` +
        `max ${f(Math.max(...app))} ms; a plain text box of the same size median ${f(median(browser))} ms, ` +
        `max ${f(Math.max(...browser))} ms; the app's own share (median) ${f(median(app) - median(browser))} ms`,
    );
  }
  const share = (row) => median(row.app) - median(row.browser);
  for (const row of rows) {
    assert.ok(share(row) < FRAME_MS, `${row.label}: the app adds ${f(share(row))} ms per keystroke`);
  }
  const [small, , large] = rows;
  assert.ok(
    share(large) < share(small) + 4,
    `1 MB costs the app ${f(share(large))} ms per keystroke, 1 KB ${f(share(small))} ms`,
  );
  // The whole keystroke (the browser's own editing and drawing included) against a frame is a
  // figure of the machine as much as of the app — on the project's shared machine a plain box
  // of 100 KB alone takes 13–14 ms — so it is reported beside its target, not asserted; the
  // app's own share above is what the app answers for.
  for (const row of rows.slice(0, 2)) {
    const total = median(row.app);
    console.log(`# ${row.label}: a keystroke takes ${f(total)} ms in all (target < ${FRAME_MS} ms: ${total < FRAME_MS ? "met" : "NOT met"})`);
  }
  assert.deepEqual(problems, []);
  await context.close();
});
