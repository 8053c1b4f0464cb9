#!/usr/bin/env bash
# Herald's test command: installs the system packages the tests need when they are missing (Debian
# or Ubuntu, as root or with passwordless sudo), runs `./mvnw -B deploy -Pimage` to a file
# repository under target/ (the tests, with 15 s of fuzzing per Jazzer target, the release dry run
# and the hub's container image), checks what it produced (scripts/check-staging.py,
# check-consumer.sh, check-image.sh), then runs the unit tests again on the newest JDK in /usr/lib/jvm if it is newer
# than the default one, and ends with one line, "N passed, N failed, N skipped", across both runs.
# Works from any directory; .ci/run calls it. `scripts/test.sh --newest-jdk` only prints the JDK that the second
# run would use ("MAJOR DIRECTORY"), or nothing.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# What the tests need: a command, and the Debian package that provides it. One line each.
REQUIRED=(
  "java openjdk-17-jdk-headless"
  "javac openjdk-17-jdk-headless"
  "curl curl" # the Maven wrapper downloads Maven with it
  "chromium chromium" # the browser tests of herald-examples and herald-testing (the hub's dashboard)
  "node nodejs"       # their tests with Node's EventSource
  "python3 python3"   # scripts/check-staging.py and check-image.sh read POMs and image manifests
  "redis-server redis-server" # herald-redis's cluster tests and the fault suite's cluster nodes
  "redis-sentinel redis-sentinel" # herald-reliability's Sentinel failover test
  "nginx nginx"                   # herald-reliability's cluster behind nginx (docs/nginx-cluster.conf)
)

MIN_JAVA=17
JVM_DIR=/usr/lib/jvm

say() { echo "test.sh: $*" >&2; }

missing_commands() {
  local entry
  for entry in "${REQUIRED[@]}"; do
    command -v "${entry%% *}" >/dev/null 2>&1 || echo "${entry%% *}"
  done
}

package_for() {
  local entry
  for entry in "${REQUIRED[@]}"; do
    if [[ "${entry%% *}" == "$1" ]]; then echo "${entry#* }"; fi
  done
}

# Whether packages can be installed here: apt-get, and root or passwordless sudo.
can_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  [[ "$(id -u)" == 0 ]] || { command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; }
}

as_root() {
  if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo -n "$@"; fi
}

install_missing() {
  local -a missing packages
  mapfile -t missing < <(missing_commands)
  ((${#missing[@]} == 0)) && return 0
  mapfile -t packages < <(for c in "${missing[@]}"; do package_for "$c"; done | sort -u)
  if can_install; then
    say "installing ${packages[*]} (missing: ${missing[*]})"
    if ! {
      as_root apt-get update -q &&
        as_root env DEBIAN_FRONTEND=noninteractive \
          apt-get install -y -q --no-install-recommends "${packages[@]}"
    }; then
      say "apt-get failed"
    fi
    hash -r
    mapfile -t missing < <(missing_commands)
    ((${#missing[@]} == 0)) && return 0
  fi
  say "missing commands: ${missing[*]}"
  say "install these Debian/Ubuntu packages: ${packages[*]}"
  exit 1
}

# The major version of a JDK's java launcher: 8 for 1.8.0_x, 17 for 17.0.15, 25 for 25.
java_major() {
  local version
  version="$("$1" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1 || true)"
  version="${version#1.}"
  echo "${version%%[!0-9]*}"
}

# The major version of the JDK installed in directory $1, from its release file or its launcher.
jdk_major() {
  local version=""
  if [[ -f "$1/release" ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release")"
    version="${version#1.}"
    version="${version%%[!0-9]*}"
  fi
  if [[ -z "$version" ]]; then version="$(java_major "$1/bin/java")"; fi
  echo "$version"
}

# The newest JDK (with javac) in $JVM_DIR, as "MAJOR DIRECTORY"; nothing if there is none.
newest_jdk() {
  local dir major best_major=0 best_dir=""
  for dir in "$JVM_DIR"/*/; do
    dir="${dir%/}"
    [[ -x "$dir/bin/java" && -x "$dir/bin/javac" ]] || continue
    major="$(jdk_major "$dir")"
    if [[ -n "$major" ]] && ((major > best_major)); then
      best_major="$major"
      best_dir="$dir"
    fi
  done
  if [[ -n "$best_dir" ]]; then echo "$best_major $best_dir"; fi
}

default_java() {
  if [[ -n "${JAVA_HOME:-}" ]]; then echo "$JAVA_HOME/bin/java"; else command -v java; fi
}

# Adds the counts of the surefire reports under every module's target/ to the totals (the tests'
# and the fuzzing executions', whose reports are under target/fuzz-reports/).
PASSED=0
FAILED=0
SKIPPED=0
count_reports() {
  local counts
  counts="$(find . \( -path '*/target/surefire-reports/TEST-*.xml' \
    -o -path '*/target/fuzz-reports/*/TEST-*.xml' \) -print0 2>/dev/null |
    xargs -0 -r sed -s -n '0,/<testsuite /{s/.*<testsuite \([^>]*\)>.*/\1/p}' |
    awk '{
      for (i = 1; i <= NF; i++) {
        split($i, kv, "=");
        gsub(/"/, "", kv[2]);
        if (kv[1] == "tests") t += kv[2];
        else if (kv[1] == "failures") f += kv[2];
        else if (kv[1] == "errors") e += kv[2];
        else if (kv[1] == "skipped") s += kv[2];
      }
    } END { printf "%d %d %d\n", t - f - e - s, f + e, s }')"
  read -r p f s <<<"$counts"
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  SKIPPED=$((SKIPPED + s))
}

# Runs Maven with $@; its reports are counted whether it passed or not. Returns Maven's status.
run_maven() {
  local status=0
  find . \( -path '*/target/surefire-reports' -o -path '*/target/fuzz-reports' \) -type d -prune \
    -exec rm -rf {} + 2>/dev/null || true
  "$@" || status=$?
  count_reports
  return "$status"
}

# Runs one check script ($@); counts it as one test, passed or failed. Returns its status.
run_check() {
  local status=0
  "$@" || status=$?
  if ((status == 0)); then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); fi
  return "$status"
}

main() {
  install_missing

  local java major newest status=0
  java="$(default_java)"
  major="$(java_major "$java")"
  if [[ -z "$major" ]] || ((major < MIN_JAVA)); then
    say "the default JDK ($java) is Java ${major:-of an unknown version}; Herald needs $MIN_JAVA or newer"
    say "install openjdk-17-jdk-headless or set JAVA_HOME to a JDK $MIN_JAVA+"
    exit 1
  fi

  # Every module's tests, the fault suite and 15 s of fuzzing per Jazzer target (docs/fuzzing.md);
  # then the release dry run (docs/releasing.md): the published modules deployed to a file
  # repository (nothing installed into ~/.m2), and the hub's container image (docs/hub.md).
  local staging="$PWD/target/staging-repo"
  rm -rf "$staging"
  say "building and testing on JDK $major (./mvnw -B deploy -Pimage to target/staging-repo)"
  run_maven ./mvnw -B deploy -Pimage -Dherald.fuzz=15s -Dmaven.install.skip=true \
    -DaltDeploymentRepository="staging::file://$staging" || status=$?

  # What the build produced, checked as its users meet it: each check counts as one test.
  if ((status == 0)); then
    run_check scripts/check-staging.py "$staging" || status=$?
    run_check scripts/check-consumer.sh "$staging" || status=$?
    if [[ "$(id -u)" == 0 ]]; then
      run_check scripts/check-image.sh --run || status=$?
    else
      run_check scripts/check-image.sh || status=$?
    fi
  fi

  newest="$(newest_jdk)"
  if ((status == 0)) && [[ -n "$newest" ]] && ((${newest%% *} > major)); then
    say "running the unit tests again on JDK ${newest%% *} (${newest#* })"
    run_maven env JAVA_HOME="${newest#* }" ./mvnw -B test || status=$?
  fi
  say "done in $((SECONDS / 60)) min $((SECONDS % 60)) s"
  if ((status != 0 && FAILED == 0)); then
    say "the build failed outside the tests (compilation, formatting, Javadoc…): counted as a failure"
    FAILED=1
  fi
  echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
  return "$status"
}

if [[ "${1:-}" == "--newest-jdk" ]]; then
  # For checking the detection alone: prints the JDK the second test run would use.
  newest_jdk
else
  main
fi
