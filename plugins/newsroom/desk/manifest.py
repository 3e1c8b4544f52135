"""The vendored Decap CMS bundle and its MANIFEST: what was copied from npm, and a check
that the shipped files are exactly those.

``make desk-vendor`` downloads the pinned tarball with ``npm pack`` (npm checks the
registry's integrity; the Makefile checks it against the pinned sha512 too) and runs
``python -m newsroom.desk.manifest <tarball>``, which copies the runtime files (no source
maps, no second ``cms.js`` build) into ``vendor/decap-cms/`` and rewrites ``vendor/MANIFEST``.
The MANIFEST lines are ``sha256sum`` lines, so ``sha256sum -c MANIFEST`` works in ``vendor/``.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import sys
import tarfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
BUNDLE = "decap-cms"
NAME, VERSION, LICENSE = "decap-cms", "3.16.3", "MIT"
TARBALL = f"https://registry.npmjs.org/decap-cms/-/decap-cms-{VERSION}.tgz"
# The registry's dist.integrity for the tarball above (npm view decap-cms@3.16.3 dist.integrity).
INTEGRITY = "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=="
# What the browser loads: the entry, its lazy chunks, the two .wasm modules, the CSS and the
# licence notices of what the bundle contains. ``cms.js`` and its chunks are a second build
# of the same code (for the decap-cms-app import path): not needed.
_WANTED = re.compile(r"package/dist/(decap-cms\.js|[0-9]+\.decap-cms\.js|[0-9a-f]+\.wasm|cms\.css"
                     r"|decap-cms\.js\.LICENSE\.txt)")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def header() -> list[str]:
    return [f"# name: {NAME}", f"# version: {VERSION}", f"# license: {LICENSE} "
            "(third-party notices of the bundle: decap-cms/decap-cms.js.LICENSE.txt)",
            f"# source: {TARBALL}", f"# integrity: {INTEGRITY}",
            "# recreate with `make desk-vendor`; check with `cd vendor && sha256sum -c MANIFEST`"]


def read_manifest(vendor: Path = VENDOR) -> dict[str, str]:
    """``{relative path: sha256}`` as the MANIFEST lists them."""
    listed = {}
    for line in (vendor / "MANIFEST").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            digest, name = line.split(None, 1)
            listed[name.strip()] = digest
    return listed


def shipped_files(vendor: Path = VENDOR) -> set[str]:
    """Every file under ``vendor/`` except the MANIFEST itself (posix, relative)."""
    return {p.relative_to(vendor).as_posix() for p in vendor.rglob("*") if p.is_file()} - {"MANIFEST"}


def verify(vendor: Path = VENDOR) -> list[str]:
    """What differs between the MANIFEST and the files: missing, extra, changed (empty if none)."""
    listed, present = read_manifest(vendor), shipped_files(vendor)
    out = [f"missing: {n}" for n in sorted(set(listed) - present)]
    out += [f"not in MANIFEST: {n}" for n in sorted(present - set(listed))]
    out += [f"changed: {n}" for n in sorted(set(listed) & present) if sha256(vendor / n) != listed[n]]
    return out


def vendor_from(tarball: Path, vendor: Path = VENDOR) -> int:
    """Replace ``vendor/decap-cms/`` with the wanted files of ``tarball``; rewrite MANIFEST."""
    target = vendor / BUNDLE
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tarfile.open(tarball, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and _WANTED.fullmatch(member.name):
                source = tar.extractfile(member)
                assert source is not None
                (target / Path(member.name).name).write_bytes(source.read())
    names = sorted(shipped_files(vendor))
    lines = header() + [f"{sha256(vendor / n)}  {n}" for n in names]
    (vendor / "MANIFEST").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(names)


if __name__ == "__main__":  # make desk-vendor
    print(f"{vendor_from(Path(sys.argv[1]))} files vendored into {VENDOR}")
