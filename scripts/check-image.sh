#!/usr/bin/env bash
# Checks the hub's container image that `./mvnw -Pimage -pl herald-cli -am package` writes
# (herald-cli/target/herald-hub-image.tar, a `docker load` archive): its configuration (an
# unprivileged user, /data a volume, port 8080 exposed, `herald hub` as the entrypoint, the
# environment that makes it listen on all addresses and keep history in /data) and its files (a
# Java runtime, the classpath Jib wrote, /data owned by that user). With --run, as root, it also
# boots the image as a container runtime would, without one: its layers unpacked, /proc mounted,
# chroot as the image's user with the image's environment (but 127.0.0.1 and a free port), and
# checks that the hub answers /healthz and writes its SQLite history into /data.
# Prints "passed" or what is wrong; exits 1 on a problem.
#
# Usage: scripts/check-image.sh [--run] [IMAGE.tar]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
run=false
if [[ "${1:-}" == "--run" ]]; then
  run=true
  shift
fi
image="${1:-$root/herald-cli/target/herald-hub-image.tar}"

say() { echo "check-image: $*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}
[[ -f "$image" ]] || fail "no image at $image (./mvnw -Pimage -pl herald-cli -am package -DskipTests)"

work="$(mktemp -d "${TMPDIR:-/tmp}/herald-image-check.XXXXXX")"
mounted=()
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  for mount in "${mounted[@]}"; do umount "$mount" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

tar -xf "$image" -C "$work"
# The configuration: every rule, each a line "problem" when broken.
problems="$(python3 - "$work" 2>"$work/config.txt" <<'PY'
import json, sys
work = sys.argv[1]
config = json.load(open(f"{work}/config.json"))["config"]
user = config.get("User", "")
env = dict(e.split("=", 1) for e in config.get("Env", []))
entrypoint = config.get("Entrypoint") or []
rules = [
    (user.split(":")[0] not in ("", "0", "root"), f"the user is not unprivileged: {user!r}"),
    ("/data" in (config.get("Volumes") or {}), "/data is not a volume"),
    ("8080/tcp" in (config.get("ExposedPorts") or {}), "port 8080 is not exposed"),
    (entrypoint[-2:] == ["dev.herald.cli.HeraldCommand", "hub"], f"the entrypoint is not herald hub: {entrypoint}"),
    (env.get("HERALD_HOST") == "0.0.0.0", "HERALD_HOST is not 0.0.0.0"),
    (env.get("HERALD_DATA_DIR") == "/data", "HERALD_DATA_DIR is not /data"),
]
for ok, problem in rules:
    if not ok:
        print(problem)
print("ENV " + " ".join(f"{k}={v}" for k, v in env.items()), file=sys.stderr)
print("USER " + user, file=sys.stderr)
print("ENTRYPOINT " + " ".join(entrypoint), file=sys.stderr)
PY
)"
[[ -z "$problems" ]] || fail "$problems"
user="$(sed -n 's/^USER //p' "$work/config.txt")"

# The files, layer after layer as a runtime stacks them.
mkdir "$work/rootfs"
layers="$(python3 -c "import json,sys; print(' '.join(json.load(open(sys.argv[1]))[0]['Layers']))" "$work/manifest.json")"
listing="$work/listing.txt"
for layer in $layers; do
  tar -tvzf "$work/$layer" 2>/dev/null >>"$listing"
  tar -xzf "$work/$layer" -C "$work/rootfs" 2>/dev/null
done
for file in opt/java/bin/java app/jib-classpath-file etc/passwd lib64/ld-linux-x86-64.so.2; do
  [[ -e "$work/rootfs/$file" ]] || fail "no /$file in the image"
done
grep -Eq "^d[^ ]* ${user%%:*}/${user##*:} .* \./data/?$" "$listing" ||
  fail "/data is not owned by $user"
grep -q "^[^:]*:x:${user%%:*}:" "$work/rootfs/etc/passwd" || fail "user ${user%%:*} is not in /etc/passwd"

if ! $run; then
  say "passed: $(basename "$image"): user $user, volume /data, port 8080, herald hub (not run)"
  exit 0
fi
[[ "$(id -u)" == 0 ]] || fail "--run needs root (mount, chroot)"
mkdir -p "$work/rootfs/proc" "$work/rootfs/dev"
# A machine that refuses these mounts (a container without the privilege) cannot boot the image:
# the configuration and files were checked, so that is said, not failed.
if ! mount -t proc proc "$work/rootfs/proc" 2>/dev/null; then
  say "passed: $(basename "$image"): user $user, volume /data, port 8080, herald hub (not run: /proc cannot be mounted here)"
  exit 0
fi
mounted+=("$work/rootfs/proc")
mount --bind /dev "$work/rootfs/dev" || fail "cannot bind /dev for the image"
mounted+=("$work/rootfs/dev")
chroot="$(PATH="$PATH:/usr/sbin:/sbin" command -v chroot)" || fail "no chroot"
port="$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")"
mapfile -t environment < <(sed -n 's/^ENV //p' "$work/config.txt" | tr ' ' '\n')
entrypoint="$(sed -n 's/^ENTRYPOINT //p' "$work/config.txt")"
# The image's environment and entrypoint, but on 127.0.0.1 and a free port (the working directory
# does not matter: HERALD_DATA_DIR is absolute).
# shellcheck disable=SC2086
env -i "${environment[@]}" HERALD_HOST=127.0.0.1 HERALD_PORT="$port" \
  HERALD_JWT_SECRET=check-image-secret-of-at-least-32-bytes \
  "$chroot" --userspec="$user" "$work/rootfs" $entrypoint \
  >"$work/hub.log" 2>&1 &
pid=$!
healthy=false
for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
    healthy=true
    break
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.5
done
if ! $healthy; then
  cat "$work/hub.log" >&2
  fail "the hub in the image did not answer /healthz"
fi
[[ -f "$work/rootfs/data/herald.db" ]] || fail "the hub wrote no /data/herald.db"
[[ "$(stat -c %u "$work/rootfs/data/herald.db")" == "${user%%:*}" ]] || fail "/data/herald.db is not the user's"
say "passed: $(basename "$image"): user $user, volume /data, port 8080, herald hub; ran: /healthz ok, /data/herald.db written"
