"""The components VSM Desktop is built from, with their versions and licences (for the About box).

From a checkout they are read from the installed distributions' metadata: the desktop's own
requirements, followed to the leaves, without the ones only the sync server uses. In the bundle
they come from `licences/components.json`, which packaging/vsm-desktop.spec writes at build time
from exactly the modules it bundled, beside a copy of each component's licence texts.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "vsm-desktop"
# Requirements of the reference sync server (vsm_server), which the desktop never imports.
SERVER_ONLY = frozenset({"starlette", "uvicorn", "sqlalchemy", "psycopg"})
LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", re.IGNORECASE)
_CLASSIFIER = "License :: OSI Approved :: "
# Distributions whose metadata names no licence; read from the licence text they ship.
_STATED_IN_TEXT = {"sqlcipher3": "Zlib"}


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str
    files: tuple[str, ...] = ()     # licence texts: absolute in a checkout, relative to the bundle when frozen


def normalised(name: str) -> str:
    """A distribution's name as pip compares it: PySide6_Essentials is pyside6-essentials."""
    return re.sub(r"[-_.]+", "-", name).lower()


def licence_of(meta) -> str:
    """A short licence name from a distribution's metadata: the SPDX expression, the short
    License field, or the classifier, in that order."""
    if normalised(meta["Name"]) in _STATED_IN_TEXT:
        return _STATED_IN_TEXT[normalised(meta["Name"])]
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 60:
        return field
    classifiers = [c[len(_CLASSIFIER):] for c in meta.get_all("Classifier") or [] if c.startswith(_CLASSIFIER)]
    if classifiers:
        return " / ".join(classifiers)
    return field.splitlines()[0][:60] if field else "?"


def from_distribution(dist: metadata.Distribution) -> Component:
    texts = tuple(sorted(str(dist.locate_file(f)) for f in dist.files or ()
                         if ".dist-info" in str(f) and LICENCE_FILE.search(f.name)))
    return Component(dist.metadata["Name"], dist.version, licence_of(dist.metadata), texts)


def _requirement_name(requirement: str) -> str | None:
    if "extra ==" in requirement.replace("extra==", "extra =="):
        return None
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return match.group(1) if match else None


def installed(root: str = DISTRIBUTION, skip: frozenset[str] = SERVER_ONLY) -> list[Component]:
    """`root`'s requirements and theirs, as installed (a requirement not installed here is left out)."""
    found: dict[str, Component] = {}
    waiting = [root]
    while waiting:
        name = waiting.pop()
        if normalised(name) in found or normalised(name) in skip:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if normalised(name) != normalised(root):
            found[normalised(name)] = from_distribution(dist)
        else:
            found[normalised(name)] = None
        waiting.extend(n for n in map(_requirement_name, dist.requires or ()) if n)
    return sorted((c for c in found.values() if c is not None), key=lambda c: c.name.lower())


def for_modules(top_level: set[str]) -> list[Component]:
    """The distributions that provide these top-level modules (what a bundle holds)."""
    owners = metadata.packages_distributions()
    names = {dist for module in top_level for dist in owners.get(module, ())}
    return sorted((from_distribution(metadata.distribution(n)) for n in names
                   if normalised(n) != DISTRIBUTION and normalised(n) not in SERVER_ONLY), key=lambda c: c.name.lower())


def native() -> list[Component]:
    """What is not a Python distribution: the interpreter, SQLCipher and its OpenSSL, the font."""
    import sqlcipher3

    connection = sqlcipher3.connect(":memory:")
    try:
        connection.execute("PRAGMA key = 'version'")
        cipher = connection.execute("PRAGMA cipher_version").fetchone()[0].split()[0]
        provider = connection.execute("PRAGMA cipher_provider_version").fetchone()
    finally:
        connection.close()
    found = [
        Component("Python", ".".join(map(str, sys.version_info[:3])), "PSF-2.0"),
        Component("SQLCipher", f"{cipher} (SQLite {sqlcipher3.sqlite_version})", "BSD-3-Clause"),
    ]
    if provider and provider[0]:
        found.append(Component("OpenSSL", provider[0].replace("OpenSSL ", "").split()[0], "Apache-2.0"))
    found.append(Component("Noto Sans", "2.004", "OFL-1.1", ("resources/fonts/OFL.txt",)))
    return found


def bundle_dir() -> Path | None:
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else None


def listing_path() -> Path | None:
    bundle = bundle_dir()
    return bundle / "licences" / "components.json" if bundle else None


def to_json(components: list[Component]) -> str:
    return json.dumps([asdict(c) for c in components], indent=1, ensure_ascii=False) + "\n"


def from_json(text: str) -> list[Component]:
    return [Component(d["name"], d["version"], d["licence"], tuple(d.get("files", ()))) for d in json.loads(text)]


def licence_text(component: Component) -> str:
    """The component's licence texts, one after another; a relative path is inside the bundle
    (or the checkout, from source)."""
    base = bundle_dir() or Path(__file__).resolve().parent.parent
    texts = []
    for name in component.files:
        path = Path(name) if Path(name).is_absolute() else base / name
        try:
            texts.append(path.read_text(encoding="utf-8", errors="replace").strip())
        except OSError:
            continue
    return "\n\n".join(texts)


def bundled() -> list[Component]:
    """Everything VSM Desktop runs on: from the bundle's listing when frozen, else as installed."""
    listing = listing_path()
    if listing is not None:
        return from_json(listing.read_text(encoding="utf-8"))
    return native() + installed()
