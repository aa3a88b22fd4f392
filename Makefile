# Leverage Lens — every task a contributor or CI runs. Each target installs what it is missing first.
#   make serve   build and serve the app on http://127.0.0.1:8080 (the embedded sample where no venue answers)
#   make test    all three test tiers: native, wasm-bindgen-test in headless Chromium, end-to-end
#   make dist    release build into dist/ (PUBLIC_URL=/sub/path/ SITE_URL=https://…) and its size report
#   make fuzz    a million mutated inputs against every reader of outside input
#   make soak    ten minutes of live mode against a misbehaving mock exchange

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/.ci/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
# Never download anything from trunk.
export TRUNK_OFFLINE := true

.PHONY: serve serve-mock dist dist-debug size test test-native test-browser test-e2e e2e-data check bench bench-browser bench-load fuzz soak tools test-tools clean

tools:
	@.ci/ensure-tools.sh build

test-tools:
	@.ci/ensure-tools.sh test

# A debug build with the static pages written around it, on a plain static server (as a host serves it).
serve: dist-debug
	node .ci/serve.mjs dist-debug 8080

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
	@$(MAKE) --no-print-directory dist-debug
	@$(MAKE) --no-print-directory test-e2e

# A debug build (arithmetic overflow panics there instead of wrapping): make serve, and the hostile-links test.
dist-debug: tools
	trunk build --public-url ./ --dist dist-debug
	cargo run -q --example site_pages -- dist-debug ./

# Includes a 10,000-input slice of the fuzzer (tests/fuzz).
test-native:
	cargo test --workspace

# Browser-only code, compiled to wasm and run in headless Chromium through chromedriver (see webdriver.json).
test-browser:
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test -p leverage-lens --target wasm32-unknown-unknown --test browser

# The release dist/ under a sub-path (/lens/) on a plain static server, driven by playwright-core.
# The mock exchange serves the app's own simulated sample, printed from Rust.
# Includes a 60 s soak (tests/e2e/soak.test.mjs).
test-e2e: e2e-data
	cd tests/e2e && node --test --test-concurrency=1

e2e-data:
	mkdir -p tests/e2e/artifacts
	cargo run -q -p leverage-lens --example sample_dataset > tests/e2e/artifacts/sample-dataset.json

# One million mutated inputs across the venue parsers, stream parsers, snapshots, config.json and links.
fuzz:
	FUZZ_INPUTS=1000000 cargo test --test fuzz -- --nocapture

# Ten minutes of live mode against the mock with random faults (make test runs one minute of it).
soak: test-tools dist e2e-data
	cd tests/e2e && SOAK_SECONDS=600 node --test soak.test.mjs

# The mock exchange on http://127.0.0.1:9100 with the embedded sample, for trying live mode by hand: put the
# config.json it prints into dist/ and serve dist/ (e.g. python3 -m http.server -d dist 8080).
serve-mock: test-tools e2e-data
	node tests/e2e/mock/cli.mjs --data tests/e2e/artifacts/sample-dataset.json --port 9100

# Native criterion benchmarks of the analytics engine (numbers in README.md).
bench:
	cargo bench -p lens-math --bench engine

# First-visit load timings as a phone and a desktop see them (numbers in README.md).
bench-load: test-tools dist
	cd tests/e2e && node bench-load.mjs

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
	rm -rf dist dist-debug
