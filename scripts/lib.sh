# Shared by scripts/run and scripts/test: install what is missing, and nothing else.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_LEPTOS_VERSION=0.3.8
# Must equal the wasm-bindgen version in Cargo.lock, or the build fails on a schema mismatch.
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

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
    # Its release profile links with fat LTO in one codegen unit, single-threaded for minutes,
    # and optimises fully its largest part, a JavaScript compiler (swc) that only minifies a few
    # kilobytes of glue here: a build tool does not need that. These settings only apply to
    # this install.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
      cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
    # Not --locked: its lock file names a yanked crate that the registry no longer serves.
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
      cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

# Background jobs: a shell snippet run beside the foreground work, in its own process group, its
# output in a log that is printed only if it fails. `start_job NAME SNIPPET [finish]` starts one;
# `wait_job NAME` waits for it and fails as it did; `stop_jobs` (when the script ends early)
# stops those still running, except the ones started with `finish` (package installs: a
# package manager stopped halfway leaves the system for the next run to repair), which it
# waits for.
declare -gA JOB_PID JOB_LOG JOB_FINISH
start_job() {
  JOB_LOG[$1]=$(mktemp /tmp/gg-job.XXXXXX)
  JOB_FINISH[$1]=${3:-}
  setsid bash -c "set -euo pipefail; source '$ROOT/scripts/lib.sh'; cd '$ROOT'; $2" \
    >"${JOB_LOG[$1]}" 2>&1 &
  JOB_PID[$1]=$!
  say "$1: started beside the build (log: ${JOB_LOG[$1]})"
}

wait_job() {
  if ! wait "${JOB_PID[$1]}"; then
    cat "${JOB_LOG[$1]}" >&2
    say "$1: failed"
    return 1
  fi
  unset "JOB_PID[$1]"
  rm -f "${JOB_LOG[$1]}"
  say "$1: done"
}

stop_jobs() {
  local name
  for name in "${!JOB_PID[@]}"; do
    if [ -n "${JOB_FINISH[$name]}" ]; then
      wait "${JOB_PID[$name]}" 2>/dev/null || true
    else
      kill -TERM -- "-${JOB_PID[$name]}" 2>/dev/null || true
    fi
  done
}
