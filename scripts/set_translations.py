"""Development aid: fill Welsh msgstrs from a JSON file of {msgid: msgstr or [six forms]}.

    .venv/bin/python scripts/set_translations.py cy translations.json
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from vsm_desktop.i18n import catalogs  # noqa: E402


def main(lang: str, source: str) -> None:
    wanted = json.loads(Path(source).read_text(encoding="utf-8"))
    catalog = catalogs.load(lang)
    done = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key in wanted:
            value = wanted[key]
            message.string = tuple(value) if isinstance(value, list) else value
            done += 1
    catalogs.po_path(lang).write_bytes(catalogs._po_bytes(catalog))
    print(f"{done} of {len(wanted)} set")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
