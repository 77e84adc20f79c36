#!/usr/bin/env bash
# Installs whatever this project needs and is missing; skips what is already there.
# Safe to run again and again: `make run` and `make test` call it first.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. Debian's Chromium and its driver: the browser for wasm-bindgen tests and Playwright.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "apt: chromium chromium-driver"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
fi

# 1b. Python 3 (standard library only): the independent implementation of the exchange format
#     that checks the test vectors (scripts/exchange_file.py).
if ! command -v python3 >/dev/null; then
  say "apt: python3"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3
fi

# 2. The WebAssembly target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup: wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 3. Trunk, pinned (0.22 needs a newer rustc than these machines have).
if ! trunk --version 2>/dev/null | grep -qF " $TRUNK_VERSION"; then
  say "cargo install trunk $TRUNK_VERSION (a few minutes, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# 4. wasm-bindgen-cli at exactly the version Cargo.lock resolves: the crate, the CLI and the
#    test runner must agree. Not --locked: its lockfile pins a crate the registry here lacks.
if [ ! -f Cargo.lock ]; then cargo generate-lockfile; fi
WB_VERSION=$(grep -A1 -x 'name = "wasm-bindgen"' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if ! wasm-bindgen --version 2>/dev/null | grep -qF " $WB_VERSION"; then
  say "cargo install wasm-bindgen-cli $WB_VERSION"
  cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi
if ! grep -qF "wasm_bindgen = \"$WB_VERSION\"" Trunk.toml; then
  echo "Trunk.toml [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen ($WB_VERSION)" >&2
  exit 1
fi

# 5. npm tools from package-lock.json: wasm-opt (binaryen 132), playwright-core, axe-core, terser, csso.
if ! cmp -s package-lock.json node_modules/.installed-lock.json; then
  say "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-lock.json
fi

# 6. twiggy, for the size report's breakdown of the WebAssembly module by contributor.
TWIGGY_VERSION=0.8.0
if ! twiggy --version 2>/dev/null | grep -qF " $TWIGGY_VERSION"; then
  say "cargo install twiggy $TWIGGY_VERSION (a few minutes, once)"
  cargo install --locked twiggy --version "$TWIGGY_VERSION"
fi

# 7. wasm-split-cli: splits the app's module into what the first screen needs and the parts
#    loaded on demand (scripts/wasm-split.mjs, run by Trunk after each build).
WASM_SPLIT_VERSION=0.2.4
if ! cargo install --list | grep -qxF "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "cargo install wasm_split_cli_support $WASM_SPLIT_VERSION (a few minutes, once)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary
fi

# 8. Crates, so that Trunk's offline build finds them.
cargo fetch --locked --quiet
say "ok"
