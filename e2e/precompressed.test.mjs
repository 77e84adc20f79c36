// The compressed copies of the app's code and commune list that scripts/precompress.mjs writes
// into dist/: each is its file again, only files no one edits by hand have them, the service
// worker does not fetch them, and a host that serves them in place of the files (nginx
// `brotli_static`, docs/hosting.md) serves a working app.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { start, openPage, createAssessment, DIST, partFile } from "./harness.mjs";
import { IS_COPY, PRECOMPRESSED } from "../scripts/precompress.mjs";

let env;
before(async () => {
  env = await start({ precompressed: true });
});
after(async () => env.close());

/** Every file of the build, by its path relative to dist (with `/`). */
function files(dir = DIST, prefix = "") {
  return readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? files(join(dir, name), `${prefix}${name}/`) : [prefix + name],
  );
}

test("each copy is its file again; the code has both copies, what may be edited by hand has none", () => {
  const all = files();
  const originals = all.filter((f) => !IS_COPY(f));
  const withCopies = originals.filter(PRECOMPRESSED);
  assert.ok(withCopies.some((f) => f.endsWith("_bg.wasm")), "the main module has copies");
  assert.ok(withCopies.some((f) => partFile("split_charts").test(f)), "the parts have copies");
  assert.ok(withCopies.includes("data/divisions.json"), "the commune list has copies");
  for (const f of ["index.html", "sw.js", "criteria/index.json", "criteria/qd-06-2019.json", "csp.txt"]) {
    assert.ok(originals.includes(f), `${f} is built`);
    assert.ok(!PRECOMPRESSED(f), `${f} may be changed after the build: no copy`);
  }
  for (const f of originals) {
    const bytes = readFileSync(join(DIST, f));
    for (const [suffix, decompress] of [
      [".br", brotliDecompressSync],
      [".gz", gunzipSync],
    ]) {
      const copy = join(DIST, f + suffix);
      if (!PRECOMPRESSED(f)) {
        assert.ok(!existsSync(copy), `${f}${suffix} should not exist`);
        continue;
      }
      assert.ok(existsSync(copy), `${f}${suffix} is missing`);
      const copyBytes = readFileSync(copy);
      assert.ok(copyBytes.length < bytes.length, `${f}${suffix} is smaller`);
      assert.ok(decompress(copyBytes).equals(bytes), `${f}${suffix} is ${f} again`);
    }
  }
  assert.deepEqual(
    all.filter(IS_COPY).sort(),
    withCopies.flatMap((f) => [`${f}.br`, `${f}.gz`]).sort(),
    "no copy without its file",
  );
  const build = JSON.parse(/^const BUILD = (.*); \/\/ filled in/m.exec(readFileSync(join(DIST, "sw.js"), "utf8"))[1]);
  assert.deepEqual(build.files.filter(IS_COPY), [], "the service worker does not precache the copies");
});

test("served from its brotli copies, the app starts, opens the parts and draws the charts", async () => {
  const context = await env.browser.newContext({ serviceWorkers: "block" });
  const seen = env.server.answers.length;
  const { page, problems } = await openPage(context, env.server.url);
  await page.getByRole("heading", { level: 1, name: "Các bản tự đánh giá" }).waitFor();
  const id = (await createAssessment(page)).split("/")[2];
  await page.evaluate((id) => (location.hash = `#/danh-gia/${id}/ket-qua`), id);
  await page.getByRole("heading", { level: 1, name: "Kết quả tự đánh giá" }).waitFor();
  await page.locator("figure.chart svg").first().waitFor();
  const answers = env.server.answers.slice(seen);
  const encoding = (re) => answers.filter((a) => re.test(a.path)).map((a) => a.encoding);
  assert.deepEqual(encoding(/_bg\.wasm$/), ["br"], "the main module came as its brotli copy");
  assert.deepEqual(encoding(partFile("split_man_hinh")), ["br"], "the screens' part too");
  assert.deepEqual(encoding(partFile("split_charts")), ["br"], "the charts' part too");
  assert.deepEqual(encoding(/divisions\.json$/), ["br"], "the commune list too");
  assert.deepEqual(encoding(/\/index\.html$|\/$/), [undefined], "the page itself as it is");
  assert.deepEqual(problems, []);
  await context.close();
});
