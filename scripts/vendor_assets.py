"""Download, pin and check the browser libraries shipped in `autolease/web/static/vendor/`.

    python scripts/vendor_assets.py            # fetch every package, check and write its files
    python scripts/vendor_assets.py --check    # verify the shipped files against VENDOR.toml
    python scripts/vendor_assets.py --update   # fetch and record the sha256 of each file

Each package of VENDOR.toml is fetched as its npm tarball
(https://registry.npmjs.org/<name>/-/<name>-<version>.tgz); the tarball must match the
registry's sha512 integrity, and each listed file the sha256 pinned in the manifest. A file is
written to `vendor/<name>/<version>/<file name>`.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import sys
import tarfile
import tomllib
import urllib.request
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "src/autolease/web/static/vendor"
MANIFEST = VENDOR / "VENDOR.toml"
REGISTRY = "https://registry.npmjs.org"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def target(name: str, version: str, member: str) -> Path:
    return VENDOR / name / version / Path(member).name


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        data: bytes = response.read()
    return data


def integrity(name: str, version: str) -> str:
    meta = json.loads(fetch(f"{REGISTRY}/{name}/{version}"))
    value: str = meta["dist"]["integrity"]
    return value


def download(name: str, version: str) -> dict[str, bytes]:
    tarball = fetch(f"{REGISTRY}/{name}/-/{name}-{version}.tgz")
    algorithm, _, expected = integrity(name, version).partition("-")
    if base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode() != expected:
        raise SystemExit(f"{name} {version}: the tarball does not match the registry's integrity")
    out = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile():
                extracted = tar.extractfile(member)
                assert extracted is not None
                out[member.name.removeprefix("package/")] = extracted.read()
    return out


def write_manifest(packages: list[dict[str, object]]) -> None:
    head = [line for line in MANIFEST.read_text().splitlines() if line.startswith("#")]
    lines = [*head]
    for pkg in packages:
        files = pkg["files"]
        assert isinstance(files, dict)
        lines += ["", "[[package]]", f'name = "{pkg["name"]}"', f'version = "{pkg["version"]}"']
        lines.append("files = { " + ", ".join(f'"{k}" = "{v}"' for k, v in files.items()) + " }")
    MANIFEST.write_text("\n".join(lines) + "\n")


def vendor(update: bool) -> int:
    packages = tomllib.loads(MANIFEST.read_text())["package"]
    for pkg in packages:
        name, version, files = pkg["name"], pkg["version"], pkg["files"]
        contents = download(name, version)
        for member, pinned in files.items():
            data = contents.get(member)
            if data is None:
                raise SystemExit(f"{name} {version}: no file {member!r} in the tarball")
            if update:
                files[member] = sha256(data)
            elif sha256(data) != pinned:
                raise SystemExit(f"{name} {version}: {member} does not match VENDOR.toml")
            path = target(name, version, member)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(VENDOR)}")
    if update:
        write_manifest(packages)
    return 0


def check() -> int:
    problems = []
    for pkg in tomllib.loads(MANIFEST.read_text())["package"]:
        for member, pinned in pkg["files"].items():
            path = target(pkg["name"], pkg["version"], member)
            if not path.is_file():
                problems.append(f"missing {path.relative_to(VENDOR)}")
            elif sha256(path.read_bytes()) != pinned:
                problems.append(f"sha256 differs: {path.relative_to(VENDOR)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="verify the shipped files")
    mode.add_argument("--update", action="store_true", help="record new sha256 values")
    args = parser.parse_args()
    return check() if args.check else vendor(args.update)


if __name__ == "__main__":
    sys.exit(main())
