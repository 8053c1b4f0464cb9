#!/usr/bin/env bash
# Installs and builds the reference servers and floor tools of the shared bench folder
# (../shared/bench beside the repository) into a cache directory outside the repository, where
# `./herald bench compare` finds them. Nothing it installs or builds belongs in the repository.
#
#   herald-bench/scripts/install-references.sh [c] [nchan] [node] [vertx] [webflux]   (default: all)
#
# Environment: HERALD_BENCH_CACHE (default ~/.cache/herald-bench), HERALD_SHARED_BENCH (default
# ../shared/bench beside the repository). nchan needs root or passwordless sudo for apt-get
# (Debian/Ubuntu: nginx-light, libnginx-mod-nchan); node needs node and npm; vertx and webflux need
# a JDK 17+ and Maven (mvn, or the repository's ./mvnw); c needs gcc.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
shared="${HERALD_SHARED_BENCH:-$root/../shared/bench}"
cache="${HERALD_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/herald-bench}"
NCHAN_MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so

say() { echo "install-references: $*" >&2; }

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo -n "$@"; fi
}

fresh_copy() { # fresh_copy FOLDER: $shared/FOLDER -> $cache/FOLDER, keeping node_modules/ and target/
  mkdir -p "$cache/$1"
  cp -R "$shared/$1/." "$cache/$1/"
  chmod -R u+w "$cache/$1"
}

maven() {
  if command -v mvn >/dev/null 2>&1; then mvn "$@"; else "$root/mvnw" "$@"; fi
}

install_c() {
  fresh_copy c
  (cd "$cache/c" && gcc -O2 -o fanout fanout.c && gcc -O2 -o sseload sseload.c)
  say "c: $cache/c/fanout and $cache/c/sseload"
}

install_nchan() {
  if [[ ! -f "$NCHAN_MODULE" ]] || ! command -v nginx >/dev/null 2>&1; then
    say "nchan: apt-get install nginx-light libnginx-mod-nchan"
    # Keep the package's scripts from starting the system nginx service (it would listen on :80).
    local policy=/usr/sbin/policy-rc.d added=""
    if [[ ! -e "$policy" ]]; then
      as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod +x $policy"
      added=1
    fi
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      nginx-light libnginx-mod-nchan || { [[ -n "$added" ]] && as_root rm -f "$policy"; exit 1; }
    if [[ -n "$added" ]]; then as_root rm -f "$policy"; fi
  fi
  fresh_copy nchan
  say "nchan: $(nginx -v 2>&1), config in $cache/nchan"
}

install_node() {
  command -v node >/dev/null 2>&1 || { say "node: node is not installed (apt-get install nodejs npm)"; exit 1; }
  fresh_copy node
  # sse-hub.mjs imports both packages; ES modules resolve them from node_modules beside the script.
  (cd "$cache/node" && npm install --no-audit --no-fund --loglevel=error express@5 better-sse@0.16 >/dev/null)
  say "node: $(node --version), express $(node -p "require('$cache/node/node_modules/express/package.json').version")"
}

install_java() { # install_java vertx|webflux
  fresh_copy "$1"
  (cd "$cache/$1" && maven -q -B package dependency:build-classpath -Dmdep.outputFile=cp.txt)
  say "$1: $cache/$1/cp.txt and target/classes"
}

[[ -d "$shared" ]] || { say "no shared bench folder at $shared (set HERALD_SHARED_BENCH)"; exit 1; }
mkdir -p "$cache"
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(c nchan node vertx webflux); fi
for t in "${targets[@]}"; do
  case "$t" in
    c) install_c ;;
    nchan) install_nchan ;;
    node) install_node ;;
    vertx | webflux) install_java "$t" ;;
    *) say "unknown reference '$t' (c, nchan, node, vertx, webflux)"; exit 2 ;;
  esac
done
say "done: $cache"
