#!/usr/bin/env bash
# Builds and runs a project that depends on Herald as a user's would (scripts/consumer: it imports
# herald-bom and uses herald-server, herald-client and herald-urlpattern), offline, against the
# artifacts in a Maven repository of Herald's — by default target/staging-repo, what
# `./mvnw deploy -DaltDeploymentRepository=staging::file:target/staging-repo` wrote (docs/releasing.md).
#
# Usage: scripts/check-consumer.sh [REPOSITORY]
#
# Nothing is downloaded and ~/.m2 is not written: the build uses a temporary local repository;
# Herald's artifacts come from REPOSITORY only, and everything else (plugins, Netty, …) from a view
# of ~/.m2/repository without its dev/herald directory, both reached as file:// repositories, the
# only kind an offline Maven may still read (aether.offline.protocols=file).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
repository="$(cd "${1:-$root/target/staging-repo}" && pwd -P)"
cache="${HOME}/.m2/repository"
version="$(sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' "$root/pom.xml" | head -n 1)"

say() { echo "check-consumer: $*" >&2; }

[[ -f "$repository/dev/herald/herald-bom/$version/maven-metadata.xml" ||
  -n "$(find "$repository/dev/herald/herald-bom/$version" -name '*.pom' 2>/dev/null)" ]] || {
  say "no herald-bom $version in $repository: run the release dry run first (docs/releasing.md)"
  exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/herald-consumer.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# ~/.m2/repository without Herald: whatever of Herald it holds (./herald installs there) must not
# stand in for the artifacts under test.
mkdir -p "$work/cache/dev"
for entry in "$cache"/*; do
  [[ "$(basename "$entry")" == dev ]] || ln -s "$entry" "$work/cache/$(basename "$entry")"
done
for entry in "$cache"/dev/*; do
  [[ -e "$entry" && "$(basename "$entry")" != herald ]] && ln -s "$entry" "$work/cache/dev/$(basename "$entry")"
done

cat >"$work/settings.xml" <<SETTINGS
<settings>
  <mirrors>
    <mirror>
      <id>cache</id>
      <mirrorOf>*,!herald</mirrorOf>
      <url>file://$work/cache</url>
    </mirror>
  </mirrors>
  <profiles>
    <profile>
      <id>herald</id>
      <repositories>
        <repository>
          <id>herald</id>
          <url>file://$repository</url>
          <releases><enabled>true</enabled></releases>
          <snapshots><enabled>true</enabled></snapshots>
        </repository>
      </repositories>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>herald</activeProfile>
  </activeProfiles>
</settings>
SETTINGS

cp -r "$root/scripts/consumer" "$work/project"
sed -i "s/HERALD_VERSION/$version/" "$work/project/pom.xml"

mvn=("$root/mvnw" -B -q -o -Daether.offline.protocols=file -s "$work/settings.xml"
  "-Dmaven.repo.local=$work/repo" -f "$work/project/pom.xml")
say "building a consumer of herald-bom $version against $repository"
if ! "${mvn[@]}" compile dependency:build-classpath -Dmdep.outputFile="$work/classpath" \
  >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  say "FAILED: the consumer project does not build"
  exit 1
fi
# Every Herald jar on its class path came from the repository under test.
if grep -o "[^:]*dev/herald/[^:]*" "$work/classpath" | grep -v "^$work/repo/" >&2; then
  say "FAILED: Herald jars from outside the repository under test"
  exit 1
fi
java=java
if [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"; fi
output="$("$java" -cp "$work/project/target/classes:$(cat "$work/classpath")" example.Consumer 2>&1)" || {
  echo "$output" >&2
  say "FAILED: the consumer does not run"
  exit 1
}
if [[ "$output" != *"received: hello"* ]]; then
  echo "$output" >&2
  say "FAILED: the consumer printed no 'received: hello'"
  exit 1
fi
say "passed: built and ran against herald-bom $version ($(grep -o 'dev/herald/[^/]*' "$work/classpath" | sort -u | sed 's:dev/herald/::' | paste -sd ' '))"
