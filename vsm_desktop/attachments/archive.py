"""Subject access: a learner's record with every attached file, as one zip, and its import.

`export-json --learner ID --with-attachments --out FILE.zip` writes `record.json` (the usual
export), `files/<sha256><ext>` for each file and `manifest.json` (each file's SHA-256, size and
which attachments use it). Files are streamed into the zip chunk by chunk. `import-json FILE.zip`
checks every file against the manifest and its hash first, then stores the files and imports the
record: all or nothing (files whose record could not be imported are removed again).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from ..errors import Refused
from ..files import atomic_file
from ..i18n import _
from . import content, detect

RECORD = "record.json"
MANIFEST = "manifest.json"
FORMAT = "vsm-desktop-subject-access"


def write_zip(store, learner_id: str, out: Path | str) -> dict:
    """Writes the zip; returns the manifest."""
    from ..store import export

    data = export.export_learner(store, learner_id)
    items = content.listing(store, learner_id)
    files: dict[str, dict] = {}
    for item in items:
        entry = files.setdefault(item["sha256"], {"sha256": item["sha256"], "size": item["size"], "mime": item["mime"],
                                                  "attachments": [], "included": item["state"] == content.HERE})
        entry["attachments"].append(item["id"])
    with atomic_file(out, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(RECORD, export.dumps(data))
        for sha, entry in files.items():
            if not entry["included"]:
                continue
            entry["path"] = f"files/{sha}{detect.EXTENSIONS.get(entry['mime'], '')}"
            compress = zipfile.ZIP_DEFLATED if entry["mime"] in (detect.TEXT,) else zipfile.ZIP_STORED
            info = zipfile.ZipInfo(entry["path"], date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = compress
            with z.open(info, "w", force_zip64=entry["size"] > 1 << 30) as member:
                for chunk in content.chunks(store.conn, sha):
                    member.write(chunk)
        manifest = {"format": FORMAT, "format_version": 1, "learner_id": learner_id, "files": list(files.values())}
        z.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return manifest


def is_zip(path: Path | str) -> bool:
    return zipfile.is_zipfile(path)


def import_zip(store, path: Path | str) -> dict[str, int]:
    """Imports a subject-access zip into this store, all or nothing."""
    from ..store import export

    damaged = Refused(_("{path} is damaged or not a VSM Desktop export with attachments; nothing was imported.").format(
        path=path))
    try:
        z = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise damaged from None
    with z:
        try:
            manifest = json.loads(z.read(MANIFEST).decode("utf-8"))
            data = json.loads(z.read(RECORD).decode("utf-8"))
            files = [f for f in manifest["files"] if f.get("included")]
            names = set(z.namelist())
            for f in files:
                if not isinstance(f.get("sha256"), str) or f.get("path") not in names:
                    raise damaged
        except (KeyError, ValueError, TypeError, UnicodeDecodeError, zipfile.BadZipFile):
            raise damaged from None
        for f in files:   # every file checked before anything is written
            digest, size = hashlib.sha256(), 0
            with z.open(f["path"]) as member:
                while chunk := member.read(content.CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
            if digest.hexdigest() != f["sha256"] or size != f["size"]:
                raise Refused(_("A file in {path} does not match its fingerprint (SHA-256) in the manifest; nothing "
                                "was imported.").format(path=path))
        # The files first, then the record (as content.attach: the two are in different files).
        with store.transaction():
            for f in files:
                with z.open(f["path"]) as member:
                    content._write_blob(store.conn, member, content.Scanned(f["sha256"], f["size"], f.get("mime") or ""),
                                        f["path"])
        shas = [f["sha256"] for f in files]
        try:
            with store.transaction():
                counts = export.import_export(store, data)
                content.stored(store, shas)
        except BaseException:
            content.forget_attaching(store, shas)
            raise
    counts["files"] = len(files)
    return counts
