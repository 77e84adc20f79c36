// What an assessment costs in storage after a realistic editing session: every item of the 13
// criteria answered through the screens, its source and explanation typed key by key (with
// corrections), then the screen left (a snapshot is written and runs of keystrokes merged). The
// figure is printed; the test holds the history compact: keystrokes of one field make one change,
// and the whole (snapshot + history) stays within a few times the document itself.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, createAssessment } from "./harness.mjs";
import { eventually, storeDump, storedAssessments } from "./store.mjs";

let env;
before(async () => {
  env = await start();
});
after(async () => env.close());

test("storage used by an assessment after a realistic editing session", async () => {
  const context = await env.browser.newContext();
  const { page, problems } = await openPage(context, env.server.url);
  const route = await createAssessment(page);
  let keystrokes = 0;
  let fields = 0;
  for (let n = 1; n <= 13; n++) {
    await page.goto(env.server.url + route.replace(/\/\d+$/, `/${n}`));
    await page.getByRole("heading", { level: 1, name: new RegExp(`^Tiêu chí ${n}\\.`) }).waitFor();
    const items = page.locator("section.item");
    const count = await items.count();
    for (let i = 0; i < count; i++) {
      const item = items.nth(i);
      const yes = item.getByRole("radio", { name: /^Có/ });
      if (await yes.count()) await yes.check();
      const numbers = item.locator("input[inputmode='decimal']");
      for (let k = 0; k < (await numbers.count()); k++) {
        await numbers.nth(k).fill(String(40 + 7 * k));
        keystrokes += 2;
      }
      await item.getByText("Nguồn số liệu, thuyết minh").click();
      const source = `Báo cáo năm 2026 của UBND xã, mục ${n}.${i + 1}`;
      await item.locator("input[id$='-nguon']").pressSequentially(source, { delay: 0 });
      const explanation =
        `Số liệu được tổng hợp từ sổ theo dõi của cán bộ phụ trách, đối chiếu với báo cáo của ` +
        `trạm y tế và các thôn; đã kiểm tra lại với danh sách hộ gia đình.`;
      const box = item.locator("textarea");
      await box.pressSequentially(explanation, { delay: 0 });
      for (let b = 0; b < 4; b++) await box.press("Backspace");
      await box.pressSequentially("ình.", { delay: 0 });
      await item.getByText("Đã kiểm tra").click();
      keystrokes += source.length + explanation.length + 8 + 1;
      fields += 3;
    }
  }
  await page.getByRole("status").filter({ hasText: "Đã lưu lúc" }).waitFor();
  // Leaving the screens: the snapshot is written and the runs merged.
  await page.goto(env.server.url + "#/");
  const [stored] = await storedAssessments(page);
  const id = stored.assessment.id;
  const dump = await eventually(async () => {
    const d = await storeDump(page);
    const snapshot = JSON.parse(d["danh-gia"][id]);
    return snapshot.seq === stored.revision ? d : null;
  }, { message: "the snapshot written on leaving" });
  const bytes = (text) => Buffer.byteLength(text);
  const records = Object.entries(dump["danh-gia-thay-doi"]).filter(([k]) => k.startsWith(`${id}/`));
  const snapshotBytes = bytes(dump["danh-gia"][id]);
  const historyBytes = records.reduce((n, [, v]) => n + bytes(v), 0);
  const documentBytes = bytes(JSON.stringify(stored.assessment));
  console.log(
    `# a realistic session: ${keystrokes} keystrokes in ${fields} fields; stored: snapshot ${snapshotBytes} B, ` +
      `history ${records.length} records ${historyBytes} B, total ${snapshotBytes + historyBytes} B ` +
      `(the assessment itself: ${documentBytes} B as JSON)`,
  );
  assert.ok(records.length <= fields + 40, `${records.length} records for ${fields} fields: keystrokes not merged`);
  assert.ok(snapshotBytes + historyBytes < 5 * documentBytes, "the history stays within a few times the document");
  assert.deepEqual(problems, []);
  await context.close();
});
