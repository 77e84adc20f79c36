// One keystroke in the criteria editor, in headless Chromium with the CPU slowed 4× (a cheap
// phone), against the release build in dist/ (build it first: `make dist
// PUBLIC_URL=/so-y-te/tre-em/`): a new version drafted from the built-in set of 06/QĐ-TTg (13
// criteria), then KEYS letters typed into criterion 7's name, each from its `input` event to
// the next frame. A report, not a timed test: it fails only if the page shows an error or the
// field loses the focus (the whole editor was once drawn anew at every keystroke).
// Usage: node scripts/bench-editor.mjs [keys] [rounds]
import { start, openPage } from "../e2e/harness.mjs";

const KEYS = Number(process.argv[2] ?? 30);
const ROUNDS = Number(process.argv[3] ?? 3);

async function round(env) {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url, { hash: "#/bo-tieu-chi" });
  await page.getByRole("button", { name: "Soạn phiên bản mới từ bộ này" }).first().click();
  await page.getByRole("heading", { level: 1, name: "Soạn bộ tiêu chí" }).waitFor();
  await page.locator("details.criterion-editor > summary").nth(6).click();
  const field = page.locator("#soan-tc-7-CriterionName");
  await field.focus();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const times = [];
  for (let i = 0; i < KEYS; i++) {
    times.push(
      await field.evaluate(
        (input, letter) =>
          new Promise((resolve) => {
            const start = performance.now();
            input.value += letter;
            input.dispatchEvent(new InputEvent("input", { bubbles: true, data: letter, inputType: "insertText" }));
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
          }),
        "abcdefghij"[i % 10],
      ),
    );
    await page.waitForTimeout(50);
  }
  const focused = await page.evaluate(() => document.activeElement?.id);
  await context.close();
  if (focused !== "soan-tc-7-CriterionName") throw new Error(`the field lost the focus (now on «${focused}»)`);
  if (problems.length) throw new Error(problems.join("\n"));
  return times.sort((a, b) => a - b);
}

const env = await start();
try {
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await round(env));
  const at = (q) => rounds.map((t) => t[Math.min(t.length - 1, Math.floor(t.length * q))]);
  const ms = (xs) => xs.map((x) => x.toFixed(0)).join(" / ");
  console.log(
    `criteria editor, one keystroke → next frame (CPU 4×, ${KEYS} keys, ${ROUNDS} rounds): ` +
      `median ${ms(at(0.5))} ms, p90 ${ms(at(0.9))} ms, max ${ms(at(1))} ms`,
  );
} finally {
  await env.close();
}
