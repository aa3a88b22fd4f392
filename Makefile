# Leverage Lens — every task a contributor or CI runs. Each target installs what it is missing first.
#   make serve   build and serve the app on http://127.0.0.1:8080 (embedded data, no network needed)
#   make test    all three test tiers: native, wasm-bindgen-test in headless Chromium, end-to-end
#   make dist    release build into dist/ (PUBLIC_URL=/sub/path/ SITE_URL=https://…) and its size report

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/.ci/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# Never download anything from trunk.
export TRUNK_OFFLINE := true

.PHONY: serve serve-mock dist size test test-native test-browser test-e2e check bench bench-browser tools test-tools clean

tools:
	@.ci/ensure-tools.sh build

test-tools:
	@.ci/ensure-tools.sh test

serve: tools
	trunk serve --public-url / --address 127.0.0.1 --port 8080

# PUBLIC_URL: where the site's files are served from ("./" works anywhere; "/lens/" for absolute asset URLs).
# SITE_URL: the public address of the folder, for canonical links in the preview cards (optional).
PUBLIC_URL ?= ./
SITE_URL ?=

dist: tools
	trunk build --release --public-url "$(PUBLIC_URL)"
	cargo run -q --example site_pages -- dist "$(PUBLIC_URL)" "$(SITE_URL)"
	@$(MAKE) --no-print-directory size

size:
	@.ci/size-report.sh dist

test: test-tools
	@$(MAKE) --no-print-directory test-native
	@$(MAKE) --no-print-directory test-browser
	@$(MAKE) --no-print-directory dist
	@$(MAKE) --no-print-directory test-e2e

test-native:
	cargo test --workspace

# Browser-only code, compiled to wasm and run in headless Chromium through chromedriver (see webdriver.json).
test-browser:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test -p leverage-lens --target wasm32-unknown-unknown --test browser

# The release dist/ under a sub-path (/lens/) on a plain static server, driven by playwright-core.
# The mock exchange serves the app's own simulated sample, printed from Rust.
test-e2e:
	mkdir -p tests/e2e/artifacts
	cargo run -q -p leverage-lens --example sample_dataset > tests/e2e/artifacts/sample-dataset.json
	cd tests/e2e && node --test --test-concurrency=1

# The mock exchange on http://127.0.0.1:9100 with the embedded sample, for trying live mode by hand: put the
# config.json it prints into dist/ and serve dist/ (e.g. python3 -m http.server -d dist 8080).
serve-mock: test-tools
	mkdir -p tests/e2e/artifacts
	cargo run -q -p leverage-lens --example sample_dataset > tests/e2e/artifacts/sample-dataset.json
	node tests/e2e/mock/cli.mjs --data tests/e2e/artifacts/sample-dataset.json --port 9100

# Native criterion benchmarks of the analytics engine (numbers in README.md).
bench:
	cargo bench -p lens-math --bench engine

# Chart redraw, crosshair and heatmap timings in headless Chromium (release build; numbers in README.md).
bench-browser: test-tools
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test --release -p leverage-lens --target wasm32-unknown-unknown --test bench_browser -- --nocapture

check:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p leverage-lens --target wasm32-unknown-unknown --lib --bins --test browser --test bench_browser -- -D warnings

clean:
	cargo clean
	rm -rf dist
