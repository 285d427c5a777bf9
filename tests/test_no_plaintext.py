"""Nothing personal in plaintext on disk: the raw bytes of the store and its -wal and -shm
files hold none of the demo's names or free text."""

import re

from vsm_desktop.demo.generator import generate
from vsm_desktop.store.store import Store

from conftest import PASSPHRASE


def needles(store) -> set[bytes]:
    # At least 6 bytes each: a shorter string turns up by chance in megabytes of ciphertext
    # ("King" did, once in a few hundred runs), which would make the test cry wolf.
    found = set()
    for row in store.list_learners():
        found.add(f"{row['legal_forename']} {row['legal_surname']}")
        for key in ("legal_forename", "legal_surname", "preferred_name", "reference", "school"):
            if row.get(key) and len(row[key].encode("utf-8")) >= 6:
                found.add(row[key])
    for (text,) in store.conn.execute(
        "SELECT voice_enjoy FROM reviews WHERE voice_enjoy IS NOT NULL UNION "
        "SELECT strengths FROM reviews WHERE strengths IS NOT NULL UNION "
        "SELECT name FROM contacts UNION SELECT description FROM targets"
    ):
        found.add(text)
        found.update(w for w in re.findall(r"\w{7,}", text))
    encoded = set()
    for text in found:
        encoded.add(text.encode("utf-8"))
        encoded.add(text.encode("utf-16-le"))
    return {e for e in encoded if len(e) >= 6}


def test_demo_store_and_its_wal_hold_no_plaintext(tmp_path):
    path = tmp_path / "demo.vsm"
    store = Store.initialise(path, PASSPHRASE)
    generate(store, 40, seed=11)
    search = needles(store)
    assert len(search) > 200
    # Scan while the store is open and its -wal holds recent pages, then again after closing.
    for phase in ("open", "closed"):
        if phase == "closed":
            store.close()
        files = [p for p in tmp_path.iterdir() if p.name.startswith("demo.vsm")]
        if phase == "open":
            assert {p.name for p in files} >= {"demo.vsm", "demo.vsm-wal", "demo.vsm-shm"}
            assert (tmp_path / "demo.vsm-wal").stat().st_size > 0
        for file in files:
            raw = file.read_bytes()
            hits = [n for n in search if n in raw]
            assert hits == [], f"{file.name} ({phase}): {hits[:5]}"
