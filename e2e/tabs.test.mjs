// Two tabs on one assessment. Where the browser has no Web Locks, both may write: typing into
// the same item and into different items, interleaved at machine speed, never loses a keystroke —
// each is stored, or in a backup the user is shown. With Web Locks, deleting the assessment in
// one tab while another edits it keeps what was typed, and it can be brought back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, createAssessment } from "./harness.mjs";
import { eventually, storedAssessments, storedBackups } from "./store.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

const saved = (page) => page.getByRole("status").filter({ hasText: "Đã lưu lúc" });

test("without Web Locks, two tabs typing interleaved at machine speed keep every keystroke", async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, "locks", { get: () => undefined, configurable: true });
  });
  const { page: a, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(a);
  await saved(a).waitFor();
  const { page: b, problems: problems2 } = await openPage(context, env.server.url, { hash: route });
  for (const page of [a, b]) {
    await page.getByText("Nguồn số liệu, thuyết minh").nth(0).click();
    await page.getByText("Nguồn số liệu, thuyết minh").nth(1).click();
  }
  const source = (page, n) => page.locator("input[id$='-nguon']").nth(n);
  const tokens = [];
  for (let round = 0; round < 6; round++) {
    // Round by round: both tabs into the same item, then each into its own.
    const targets = round % 2 === 0 ? [0, 0] : [0, 1];
    await Promise.all(
      [a, b].map(async (page, t) => {
        const token = `${"ab"[t]}${round}`;
        tokens.push(token);
        await source(page, targets[t]).press("End");
        await source(page, targets[t]).pressSequentially(` ${token}`, { delay: 0 });
      }),
    );
  }
  for (const page of [a, b]) await eventually(() => saved(page).isVisible(), { message: "both tabs saved" });
  const [stored] = await storedAssessments(a);
  const kept = [JSON.stringify(stored.assessment), ...(await storedBackups(a)).map((x) => JSON.stringify(x))];
  for (const token of tokens) {
    assert.ok(kept.some((k) => k.includes(token)), `${token} is neither stored nor in a backup`);
  }
  // The backups are there for the user, with the other tab's words.
  await a.goto(env.server.url + "#/");
  await a.reload();
  const section = a.getByRole("region", { name: "Bản sao lưu" });
  if ((await storedBackups(a)).length > 0) {
    await section.waitFor();
    assert.equal(await section.getByRole("listitem").count(), (await storedBackups(a)).length);
  }
  assert.deepEqual([...problems, ...problems2], []);
  await context.close();
});

test("deleted in one tab while another edits: what was typed is kept and can be brought back", async () => {
  const context = await env.browser.newContext();
  const { page: editor, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(editor);
  await editor.getByText("Nguồn số liệu, thuyết minh").first().click();
  const source = editor.getByLabel("Nguồn số liệu").first();
  await source.pressSequentially("Báo cáo của trạm y tế", { delay: 10 });
  const { page: home, problems: problems2 } = await openPage(context, env.server.url);
  const card = home.getByRole("list", { name: "Danh sách bản tự đánh giá" }).getByRole("listitem");
  // The editor keeps typing while the other tab deletes.
  const typing = source.pressSequentially(" năm 2026", { delay: 20 }).catch(() => {});
  await card.getByRole("button", { name: /^Xóa bản/ }).click();
  await card.getByRole("button", { name: "Xóa hẳn" }).click();
  await home.getByText(/Đã xóa bản của Phường Hoàn Kiếm/).waitFor();
  await typing;
  // The editing tab is told, stops writing, and offers to bring it back.
  const banner = editor.getByRole("alert").filter({ hasText: "Bản tự đánh giá này đã bị xóa" });
  await banner.waitFor();
  assert.ok(await source.evaluate((el) => el.readOnly), "read-only once deleted");
  const typed = await source.inputValue();
  const [deleted] = await storedAssessments(home, { withDeleted: true });
  assert.ok(deleted.deleted);
  assert.equal(deleted.assessment.answers["1.1"].source, typed, "every keystroke before the deletion kept");
  await banner.getByRole("button", { name: "Khôi phục bản này" }).click();
  await banner.waitFor({ state: "detached" });
  await eventually(async () => (await storedAssessments(editor)).length === 1, { message: "restored" });
  await card.filter({ hasText: "Phường Hoàn Kiếm — năm" }).waitFor();
  // Stored again is not yet editable here: the tab takes the editing lock back first (the
  // banner says so meanwhile), as a user sees before typing.
  await eventually(() => source.isEditable(), { message: "editable again once restored" });
  await source.press("End");
  await source.pressSequentially(" (đã khôi phục)", { delay: 10 });
  await saved(editor).waitFor();
  await editor.reload();
  await editor.getByRole("heading", { level: 1, name: /^Tiêu chí 1\./ }).waitFor();
  assert.equal(await editor.getByLabel("Nguồn số liệu").first().inputValue(), `${typed} (đã khôi phục)`);
  assert.equal(route, new URL(editor.url()).hash);
  assert.deepEqual([...problems, ...problems2], []);
  await context.close();
});

test("«Xóa» pressed on Home while another tab saves the same assessment: the card drawn again asks, nothing breaks", async () => {
  const context = await env.browser.newContext();
  const { page: editor, problems } = await openPage(context, env.server.url);
  await createAssessment(editor);
  await editor.getByText("Nguồn số liệu, thuyết minh").first().click();
  const source = editor.getByLabel("Nguồn số liệu").first();
  await source.pressSequentially("Báo cáo", { delay: 10 });
  await saved(editor).waitFor();
  const { page: home, problems: problems2 } = await openPage(context, env.server.url);
  const card = home.getByRole("list", { name: "Danh sách bản tự đánh giá" }).getByRole("listitem");
  const ask = card.getByRole("button", { name: /^Xóa bản/ });
  await eventually(() => ask.isEnabled(), { message: "the list is read" });
  // The question's answer takes the focus a frame later: frames are held until the other tab's
  // save has drawn the card again, as when both fall within one frame.
  await home.evaluate(() => {
    window.__held = [];
    window.__frame = window.requestAnimationFrame;
    window.requestAnimationFrame = (callback) => window.__held.push(callback);
  });
  const pressed = await ask.elementHandle();
  await pressed.evaluate((button) => button.click());
  await source.pressSequentially(" năm 2026", { delay: 10 });
  await saved(editor).waitFor();
  await home.waitForFunction((button) => !button.isConnected, pressed, { polling: 50, timeout: 30_000 });
  await home.evaluate(() => {
    window.requestAnimationFrame = window.__frame;
    for (const callback of window.__held) callback(performance.now());
  });
  // The question stays asked on the card drawn again, and answers.
  await card.getByRole("button", { name: "Xóa hẳn" }).click();
  await home.getByText(/Đã xóa bản của Phường Hoàn Kiếm/).waitFor();
  assert.deepEqual([...problems, ...problems2], []);
  await context.close();
});
