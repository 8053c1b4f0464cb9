#!/usr/bin/env bash
# Makes the base image of Herald's hub image without a Docker daemon or a registry: a Java runtime
# cut from the build's own JDK with jlink, the shared libraries it and Herald's native libraries
# (Netty's epoll transport, SQLite) load, taken from this machine, an unprivileged user "herald"
# (65532:65532) owning /data, and a world-writable /tmp (where those native libraries are unpacked).
# Writes it as a `docker save` archive, which Jib reads as a base image (tar://…): herald-cli's
# "image" profile runs this, then Jib (docs/hub.md, "Container image").
#
# Usage: scripts/image-base.sh OUTPUT.tar
# Needs: jlink and ldd (a JDK 17+ and glibc, as on Debian), GNU tar, sha256sum; run as root or not
# (ownership is set in the archive, not on disk).
set -euo pipefail

output="$1"
# What the hub uses of the JDK: Netty (jdk.unsupported, java.logging), JDBC (java.sql), JWT keys
# (jdk.crypto.ec), the JDK's HTTP client (JWKS), JMX-based metrics (jdk.management), TLS.
modules="java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml"
modules+=",jdk.crypto.ec,jdk.management,jdk.unsupported,jdk.zipfs"
# Loaded by the native libraries inside Herald's dependencies, unpacked at run time: Netty's epoll
# transport (libdl, librt) and sqlite-jdbc (libm, libpthread).
extra_libraries=(libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1)

java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
work="$(mktemp -d "${TMPDIR:-/tmp}/herald-image-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
mkdir -p "$rootfs"/{etc,tmp,data} "$(dirname "$output")"

"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=2 --output "$rootfs/opt/java"

# Every library the runtime links (but its own), by the path the dynamic loader looks for it at,
# as a file.
libraries="$( {
  find "$rootfs/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 |
    xargs -0 ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*ld-linux/ {print $1}'
  libc_dir="$(dirname "$(ldd "$rootfs/opt/java/bin/java" | awk '$1 == "libc.so.6" {print $3}')")"
  for library in "${extra_libraries[@]}"; do echo "$libc_dir/$library"; done
} | grep -v "^$rootfs/" | sort -u)"
while read -r library; do
  mkdir -p "$rootfs$(dirname "$library")"
  cp -L "$library" "$rootfs$library"
done <<<"$libraries"

printf 'root:x:0:0:root:/root:/sbin/nologin\nherald:x:65532:65532:herald:/data:/sbin/nologin\n' \
  >"$rootfs/etc/passwd"
printf 'root:x:0:\nherald:x:65532:\n' >"$rootfs/etc/group"
chmod 1777 "$rootfs/tmp"
chmod 755 "$rootfs/data"

# One layer, the same bytes for the same inputs: sorted, dated 1970, owned by root but /data.
tar --create --file "$work/layer.tar" --directory "$rootfs" --sort=name --format=gnu \
  --mtime=@0 --numeric-owner --owner=0 --group=0 --exclude=./data .
tar --append --file "$work/layer.tar" --directory "$rootfs" --format=gnu --mtime=@0 \
  --numeric-owner --owner=65532 --group=65532 --no-recursion ./data
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d ' ' -f 1)"
java_version="Java $(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$rootfs/opt/java/release")"

cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"User":"65532:65532","WorkingDir":"/data",
  "Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z",
  "created_by":"scripts/image-base.sh: jlink ($java_version; $modules) and the glibc it loads"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["herald-base:local"],"Layers":["layer.tar"]}]' \
  >"$work/manifest.json"
tar --create --file "$output" --directory "$work" --sort=name --format=gnu --mtime=@0 \
  --numeric-owner --owner=0 --group=0 manifest.json config.json layer.tar
echo "image-base: $output ($(du -h "$output" | cut -f 1); $java_version)" >&2
