#!/usr/bin/env python3
"""Checks a Maven repository that a release dry run deployed to against Maven Central's rules.

Usage: scripts/check-staging.py [REPOSITORY] [--require-signatures]

REPOSITORY defaults to target/staging-repo (docs/releasing.md says how it is made). For every
artifact in it, what Central refuses to publish without:
  - a POM with its own name and description, and url, licenses (with names), developers and scm
    (url and connection), its own or inherited from a parent in the repository;
  - for a jar: the jar, a -sources jar and a -javadoc jar;
  - an .md5 and a .sha1 beside every file, matching it;
  - with --require-signatures, an .asc beside every file (a dry run is unsigned: reported only).
And what a user needs besides: every dev.herald dependency a POM names (compile or runtime scope,
or pinned by a -bom) is itself in the repository, and a -bom pins every published jar of its
group; every jar names its module stably (a
module-info.class, or an Automatic-Module-Name). Prints one line per problem, then a summary;
exits 1 if there is any problem.
"""

import hashlib
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://maven.apache.org/POM/4.0.0"}
GROUP = "dev.herald"


def text(element, path):
    found = element.find(path, NS)
    return found.text.strip() if found is not None and found.text else ""


def pom_files(repository):
    """(directory, pom path) of the newest POM of each artifact version in the repository."""
    for directory, _, files in os.walk(repository):
        poms = sorted(f for f in files if f.endswith(".pom"))
        if poms:
            yield directory, os.path.join(directory, poms[-1])


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    require_signatures = "--require-signatures" in argv
    repository = os.path.abspath(args[0] if args else "target/staging-repo")
    if not os.path.isdir(repository):
        print(f"check-staging: no repository at {repository}", file=sys.stderr)
        return 1

    poms = {}  # (groupId, artifactId) -> parsed POM
    for _, path in pom_files(repository):
        root = ET.parse(path).getroot()
        group = text(root, "m:groupId") or text(root, "m:parent/m:groupId")
        poms[(group, text(root, "m:artifactId"))] = (path, root)

    def inherited(root, path):
        """The value at path in root or, failing that, in its parents found in the repository."""
        seen = set()
        while root is not None:
            found = root.find(path, NS)
            if found is not None:
                return found
            key = (text(root, "m:parent/m:groupId"), text(root, "m:parent/m:artifactId"))
            if not key[1] or key in seen or key not in poms:
                return None
            seen.add(key)
            root = poms[key][1]
        return None

    problems = []
    files_checked = 0
    unsigned = 0
    for (group, artifact), (path, root) in sorted(poms.items()):
        name = f"{group}:{artifact}"
        for required in ["m:name", "m:description", "m:url", "m:licenses/m:license/m:name",
                         "m:developers/m:developer", "m:scm/m:url", "m:scm/m:connection"]:
            # A module's own name and description (Maven does not inherit the name, and the
            # parent's description would describe the project, not the module); the rest may come
            # from the parent.
            found = root.find(required, NS) if required in ("m:name", "m:description") else inherited(root, required)
            if found is None or (len(found) == 0 and not (found.text or "").strip()):
                problems.append(f"{name}: POM has no {required.replace('m:', '')}")
        packaging = text(root, "m:packaging") or "jar"
        base = path[: -len(".pom")]
        files = [path]
        if packaging == "jar":
            for suffix in [".jar", "-sources.jar", "-javadoc.jar"]:
                if os.path.isfile(base + suffix):
                    files.append(base + suffix)
                else:
                    problems.append(f"{name}: no {os.path.basename(base + suffix)}")
            if os.path.isfile(base + ".jar"):
                with zipfile.ZipFile(base + ".jar") as jar:
                    names = set(jar.namelist())
                    manifest = jar.read("META-INF/MANIFEST.MF").decode() if "META-INF/MANIFEST.MF" in names else ""
                    if "module-info.class" not in names and "Automatic-Module-Name:" not in manifest:
                        problems.append(f"{name}: jar has neither module-info.class nor Automatic-Module-Name")
        for file in files:
            files_checked += 1
            data = open(file, "rb").read()
            for algorithm in ["md5", "sha1"]:
                sidecar = f"{file}.{algorithm}"
                if not os.path.isfile(sidecar):
                    problems.append(f"{name}: no {os.path.basename(sidecar)}")
                elif open(sidecar).read().split()[0].strip() != hashlib.new(algorithm, data).hexdigest():
                    problems.append(f"{name}: {os.path.basename(sidecar)} does not match")
            if not os.path.isfile(file + ".asc"):
                unsigned += 1
                if require_signatures:
                    problems.append(f"{name}: no {os.path.basename(file)}.asc")
        dependencies = root.findall("m:dependencies/m:dependency", NS)
        if artifact.endswith("-bom"):  # what users import: every module it pins must resolve
            dependencies += root.findall("m:dependencyManagement/m:dependencies/m:dependency", NS)
        for dependency in dependencies:
            scope = text(dependency, "m:scope") or "compile"
            key = (text(dependency, "m:groupId"), text(dependency, "m:artifactId"))
            if key[0] == GROUP and scope in ("compile", "runtime", "import") and key not in poms:
                problems.append(f"{name}: depends on {key[0]}:{key[1]}, which is not published")

    # The BOM pins every published library: a module published but missing from it would make its
    # users spell out its version.
    for (group, artifact), (_, root) in sorted(poms.items()):
        if not artifact.endswith("-bom"):
            continue
        pinned = {(text(d, "m:groupId"), text(d, "m:artifactId"))
                  for d in root.findall("m:dependencyManagement/m:dependencies/m:dependency", NS)}
        for key, (_, module) in sorted(poms.items()):
            if key[0] == group and (text(module, "m:packaging") or "jar") == "jar" and key not in pinned:
                problems.append(f"{group}:{artifact}: does not pin {key[0]}:{key[1]}, which is published")

    for problem in problems:
        print(f"check-staging: {problem}")
    signatures = "unsigned (a dry run; see docs/releasing.md)" if unsigned else "signed"
    print(f"check-staging: {len(poms)} artifacts, {files_checked} files, {signatures}: "
          + ("passed" if not problems else f"{len(problems)} problems"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
