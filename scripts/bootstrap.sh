#!/usr/bin/env bash
# The one set-up every entry command shares (`npm start`, `npm test`, `.ci/run`): on a machine
# with only Debian's Node (any >= 18) and npm, brings what the project needs, then runs one
# package.json script with pnpm.
#
#   scripts/bootstrap.sh [--redis] <script> [arguments for the script...]
#
# - Node >= 22.19 and the pnpm pinned in package.json's packageManager: when the machine's are
#   missing or older, Node 24 and that pnpm are installed from the npm registry into .tools/
#   (nothing outside the clone changes). With both already present this step does nothing.
# - --redis: redis-server for the integration tests (they start their own on a free port),
#   unless REDIS_URL names one: installed with apt-get when missing and running as root,
#   otherwise one line saying the command to run.
# - pnpm install --frozen-lockfile, then `pnpm run <script>`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tools="$root/.tools"

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }

want_redis=false
if [ "${1:-}" = "--redis" ]; then want_redis=true; shift; fi
script=${1:-}
[ -n "$script" ] || die "usage: scripts/bootstrap.sh [--redis] <package.json script> [arguments...]"
shift

# Tools an earlier run installed come first.
export PATH="$tools/node_modules/.bin:$PATH"

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=19)?0:1)'
}

pnpm_version=$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' package.json)
[ -n "$pnpm_version" ] || die "package.json has no pnpm packageManager pin"
wanted=()
node_ok || wanted+=("node@24")
[ "$(pnpm --version 2>/dev/null || true)" = "$pnpm_version" ] || wanted+=("pnpm@$pnpm_version")
if [ ${#wanted[@]} -gt 0 ]; then
  command -v npm >/dev/null 2>&1 || die "needs npm (Debian: apt-get install -y npm) to fetch ${wanted[*]}"
  say "node $(node --version 2>/dev/null || echo none), pnpm $(pnpm --version 2>/dev/null || echo none): installing ${wanted[*]} into .tools"
  # One npm call: a second call into the same prefix would prune the first one's packages.
  npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error "${wanted[@]}"
  hash -r
fi
node_ok || die "could not provide Node >= 22.19"
[ "$(pnpm --version)" = "$pnpm_version" ] || die "could not provide pnpm $pnpm_version"

if $want_redis && [ -z "${REDIS_URL:-}" ] && ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing redis-server (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq redis-server >/dev/null
  else
    die "the tests need redis-server: run 'sudo apt-get install -y redis-server' (or set REDIS_URL to a Redis they may use)"
  fi
fi

say "node $(node --version), pnpm $(pnpm --version)"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
# No TTY and a changed store (a new HOME) would make pnpm ask before re-creating node_modules:
# re-create them. Warnings and errors still show.
pnpm install --frozen-lockfile --config.confirmModulesPurge=false --loglevel=warn
exec pnpm run --silent "$script" "$@"
