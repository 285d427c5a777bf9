"""Development aid: fill msgstrs from JSON files of {msgid: msgstr or [six plural forms]}.

Keys are the msgid (the singular one for plurals), or "context\\x04msgid" for entries with a
context. Only empty entries are filled unless --overwrite is given.

    .venv/bin/python scripts/set_translations.py cy .i18n-pending/*.json
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vsm_desktop.i18n import catalogs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("lang")
    parser.add_argument("files", nargs="+")
    parser.add_argument("--overwrite", action="store_true")
    args = parser.parse_args()
    wanted: dict = {}
    for name in args.files:
        wanted.update(json.loads(Path(name).read_text(encoding="utf-8")))
    catalog = catalogs.load(args.lang)
    done = 0
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        key = f"{message.context}\x04{msgid}" if message.context else msgid
        if key not in wanted:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings) and not args.overwrite:
            continue
        value = wanted[key]
        message.string = tuple(value) if isinstance(value, list) else value
        done += 1
    catalogs.po_path(args.lang).write_bytes(catalogs._po_bytes(catalog))
    print(f"{done} set from {len(wanted)} entries")


if __name__ == "__main__":
    main()
