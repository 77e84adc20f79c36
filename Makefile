# Two commands do everything on a fresh machine:
#   make run    installs what is missing, serves the app at http://127.0.0.1:8080/
#   make test   installs what is missing, runs every check and test (what CI runs)
# and one builds the files to host:
#   make dist PUBLIC_URL=/so-y-te/tre-em/

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
# binaryen 132 from npm must come before anything else called wasm-opt.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CARGO_TERM_COLOR := never

PUBLIC_URL ?= /
E2E_PUBLIC_URL := /so-y-te/tre-em/

.PHONY: run test dist setup lint test-native test-browser test-e2e size size-baseline bench speed bench-dashboard bench-home bench-editor

setup:
	@bash scripts/setup.sh

run: setup
	trunk serve

dist: setup
	trunk build --release --public-url "$(PUBLIC_URL)"
	node scripts/csp.mjs dist
	node scripts/sw-build.mjs dist
	node scripts/precompress.mjs dist

test: setup lint test-native test-browser
	$(MAKE) --no-print-directory dist PUBLIC_URL=$(E2E_PUBLIC_URL)
	$(MAKE) --no-print-directory size test-e2e

lint:
	cargo fmt --all -- --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings

# The exchange format's test vectors, checked by a second implementation (Python) besides
# `cargo test --test exchange_vectors`.
test-native:
	cargo test
	python3 scripts/exchange_file.py selftest
	python3 scripts/exchange_file.py verify tests/vectors/exchange/*.json --expected tests/vectors/exchange/expected.json

# Chromium, stopped by chromedriver, leaves its temporary directories (about 157 MB each) behind:
# they go to a directory removed afterwards.
test-browser:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  TMPDIR="$$tmp" cargo test --target wasm32-unknown-unknown --test 'browser_*'

size:
	node scripts/size-report.mjs dist

# On purpose only: makes this build's sizes the reference `make size` holds later builds to
# (+5%). Run after `make dist PUBLIC_URL=$(E2E_PUBLIC_URL)`; the commit says why they moved.
size-baseline:
	node scripts/size-report.mjs dist --write-baseline

test-e2e:
	E2E_PUBLIC_URL=$(E2E_PUBLIC_URL) node --test --test-concurrency=1 e2e/

bench:
	cargo bench --bench scoring --bench import

speed:
	node scripts/speed-report.mjs

# Dashboard load times for 100, 1,000 and 3,321 files; uses dist/ as `make test` builds it.
bench-dashboard:
	E2E_PUBLIC_URL=$(E2E_PUBLIC_URL) node scripts/bench-dashboard.mjs

# Home with 5,000 stored assessments at 4× CPU slowdown; uses dist/ as `make test` builds it.
bench-home:
	E2E_PUBLIC_URL=$(E2E_PUBLIC_URL) node scripts/home-report.mjs 5000 3

# One keystroke in the criteria editor (13 criteria) at 4× CPU slowdown; uses dist/.
bench-editor:
	E2E_PUBLIC_URL=$(E2E_PUBLIC_URL) node scripts/bench-editor.mjs
