#!/usr/bin/env bash
# The server the browser tests run against (see playwright.config.ts): the release build on a
# freshly seeded demo campaign, with the staff accounts of tests/support.ts, and the campaign's
# public log watched by two local witnesses that must both cosign before a checkpoint is
# published. Reads E2E_PORT and E2E_DATA; the witnesses listen on the next two ports.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/release/giving-gallery"

rm -rf "$E2E_DATA"
"$bin" seed-demo
staff() {
  echo "$4" | "$bin" create-staff --email "$1" --name "$2" --role "$3"
}
staff admin@example.org "Ada Admin" admin "admin long passphrase"
staff viewer@example.org "Vic Viewer" viewer "viewer long passphrase"
staff treasurer@example.org "Tess Treasurer" admin "treasurer long passphrase"
staff teams@example.org "Tao Teams" admin "teams long passphrase"

log_key=$("$bin" log-key --campaign little-painters)
witnesses=()
for n in 1 2; do
  listen="127.0.0.1:$((E2E_PORT + n))"
  args=(witness --name "witness.e2e/w$n" --dir "$E2E_DATA/witness$n" --listen "$listen" --log "$log_key")
  vkey=$("$bin" "${args[@]}" --print-key)
  # In the background, in this process group: stopped with the server.
  "$bin" "${args[@]}" >/dev/null &
  witnesses+=(--witness "http://$listen $vkey")
done
"$bin" witnesses --campaign little-painters "${witnesses[@]}" --quorum 2
exec "$bin" serve
