# Shared by scripts/run and scripts/test: install what is missing, and nothing else.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_LEPTOS_VERSION=0.3.8
# Must equal the wasm-bindgen version in Cargo.lock, or the build fails on a schema mismatch.
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages, installed only when missing.
need_apt() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]} from Debian's packages"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
}

# The Rust side of the build: the wasm target, cargo-leptos, the wasm-bindgen CLI, and wasm-opt
# from npm (Debian's binaryen is too old: its output does not hydrate).
need_build_tools() {
  need_quick_build_tools
  need_cargo_tools
}

# The wasm target and wasm-opt: seconds.
need_quick_build_tools() {
  export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
  if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ]; then
    command -v npm >/dev/null || need_apt nodejs npm
    say "installing wasm-opt (binaryen) from npm"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# cargo-leptos and the wasm-bindgen CLI, compiled from crates.io: many minutes, once.
need_cargo_tools() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once; long on two cores)"
    # Its release profile links with fat LTO in one codegen unit, single-threaded for minutes;
    # a build tool does not need that. These settings only apply to this install.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: its lock file names a yanked crate that the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

# Starts need_cargo_tools in the background, its output in a log: both builds then share the
# two cores, each one's single-threaded stretches (big crates, links) leaving a core the other
# can use. wait_for_cargo_tools waits for it and fails as it did.
start_cargo_tools() {
  CARGO_TOOLS_LOG=$(mktemp /tmp/gg-tools.XXXXXX)
  setsid bash -c "set -euo pipefail; source '$ROOT/scripts/lib.sh'; need_cargo_tools" \
    >"$CARGO_TOOLS_LOG" 2>&1 &
  CARGO_TOOLS_PID=$!
  say "installing cargo-leptos and wasm-bindgen-cli if missing, beside the build (log: $CARGO_TOOLS_LOG)"
}

# Stops the background install (when the script ends before it did).
stop_cargo_tools() {
  if [ -n "${CARGO_TOOLS_PID:-}" ]; then
    kill -TERM -- "-$CARGO_TOOLS_PID" 2>/dev/null || true
  fi
}

wait_for_cargo_tools() {
  if ! wait "$CARGO_TOOLS_PID"; then
    cat "$CARGO_TOOLS_LOG" >&2
    say "installing cargo-leptos or wasm-bindgen-cli failed"
    return 1
  fi
  CARGO_TOOLS_PID=
  rm -f "$CARGO_TOOLS_LOG"
}
