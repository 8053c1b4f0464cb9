#!/usr/bin/env bash
# Checks that Herald's build is reproducible: builds the working tree twice, in two fresh copies
# under different paths (`./mvnw -o package -DskipTests`: jars, -sources and -javadoc jars, the
# BOM and POMs), and compares the SHA-256 of every jar. Prints the differing ones, if any; exits 1
# then. Takes two full builds (about 5 minutes on 2 cores), so CI does not run it; run it after
# changing the build (docs/releasing.md).
#
# Usage: scripts/check-reproducible.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
work="$(mktemp -d "${TMPDIR:-/tmp}/herald-reproducible.XXXXXX")"
trap 'rm -rf "$work"' EXIT
say() { echo "check-reproducible: $*" >&2; }

for build in first second; do
  mkdir -p "$work/$build/herald"
  # The files git would commit (tracked, or new and not ignored), as they are now.
  (cd "$root" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 tar --create --file - --no-recursion 2>/dev/null) | tar -x -C "$work/$build/herald"
  say "building the $build copy"
  (cd "$work/$build/herald" && ./mvnw -B -q -o package -DskipTests -Dspotless.check.skip=true) \
    >"$work/$build.log" 2>&1 || {
    cat "$work/$build.log" >&2
    say "FAILED: the $build build failed"
    exit 1
  }
  (cd "$work/$build/herald" && find . -path '*/target/*.jar' -not -path '*/target/lib/*' \
    -not -name 'original-*' -print0 | sort -z | xargs -0 sha256sum) >"$work/$build.sums"
done

count="$(wc -l <"$work/first.sums")"
if diff "$work/first.sums" "$work/second.sums" >"$work/diff.txt"; then
  say "passed: $count jars, byte for byte the same in both builds"
else
  grep '^[<>]' "$work/diff.txt" | awk '{print $3}' | sort -u | sed 's/^/differs: /' >&2
  say "FAILED: jars differ between two builds of the same sources"
  exit 1
fi
