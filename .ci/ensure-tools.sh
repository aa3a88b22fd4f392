#!/usr/bin/env bash
# Installs whatever the build or the tests need and is missing. Idempotent: each step checks first, so a
# second run takes a second or two. Nothing here downloads a prebuilt binary from outside the package
# registries: trunk and wasm-bindgen are compiled by cargo, wasm-opt comes from npm, Chromium from apt.
#
#   .ci/ensure-tools.sh build   # what `make serve` / `make dist` need
#   .ci/ensure-tools.sh test    # the above plus Chromium, chromedriver and the e2e npm packages
set -euo pipefail

cd "$(dirname "$0")/.."
want=${1:-build}
TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly, or trunk tries to download one.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "need root to run: $*" >&2; return 1
  fi
}

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  # 0.22 needs a newer rustc than Debian's machines carry; --locked keeps its dependency tree as released.
  say "installing trunk $TRUNK_VERSION (compiles from crates.io, ~13 min on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

if [ -z "$WASM_BINDGEN_VERSION" ]; then
  say "generating Cargo.lock"
  cargo generate-lockfile
  WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
fi
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  # Without --locked: its lockfile pins a crate version the registry mirror lacks.
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~5 min)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! cmp -s .ci/tools/package-lock.json .ci/tools/node_modules/.installed-lock.json; then
  say "installing wasm-opt from npm binaryen"
  (cd .ci/tools && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.installed-lock.json)
fi

if [ "$want" = test ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! command -v brotli >/dev/null; then
    say "installing chromium, chromium-driver and brotli from apt"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver brotli
  fi
  # Reinstall whenever the lockfile changed since the last install (a stamp copy of it is kept).
  if ! cmp -s tests/e2e/package-lock.json tests/e2e/node_modules/.installed-lock.json; then
    say "installing the e2e test packages"
    (cd tests/e2e && npm ci --no-audit --no-fund && cp package-lock.json node_modules/.installed-lock.json)
  fi
fi
