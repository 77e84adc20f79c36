// The policy of dist/csp.txt (scripts/csp.mjs), sent as a header like a hardened host, holds on
// every screen: no `securitypolicyviolation` at all. In particular `style-src` has no
// 'unsafe-inline', so a style attribute in injected markup (the SVG charts) would show here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, openPage, cspHeader } from "./harness.mjs";
import { visitEveryScreen } from "./screens.mjs";

let env;
before(async () => {
  env = await start({ csp: true });
});
after(async () => env.close());

test("the policy has no 'unsafe-inline' and no 'unsafe-eval'", () => {
  const policy = cspHeader();
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.match(policy, /style-src 'self'(;|$)/);
});

test("no screen triggers a Content-Security-Policy violation", async () => {
  const context = await env.browser.newContext();
  // Recorded from the very start of every document, before any script of the page runs.
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener(
      "securitypolicyviolation",
      (e) => {
        window.__violations.push(`${e.violatedDirective} ${e.blockedURI} «${e.sample}»`);
      },
      true,
    );
  });
  const { page, problems } = await openPage(context, env.server.url);
  const seen = [];
  await visitEveryScreen(page, async (screen) => {
    const violations = await page.evaluate(() => window.__violations.splice(0));
    seen.push(screen);
    assert.deepEqual(violations, [], `violations on «${screen}»`);
  });
  assert.ok(seen.length >= 11, `visited ${seen.join(", ")}`);
  assert.deepEqual(problems, []);
  await context.close();
});
