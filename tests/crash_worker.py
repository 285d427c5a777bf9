"""Run by test_crash_safety in a subprocess: keeps committing edits and reports each one
after its commit returns, until it is killed."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from vsm_desktop.store.store import Store  # noqa: E402

TEXT_FIELDS = [("reviews", "wellbeing_notes"), ("reviews", "strengths"), ("reviews", "progress_summary"),
               ("learners", "preferred_name")]


def main(path: str) -> None:
    store = Store.open(path, os.environ["VSM_PASSPHRASE"])
    learner = store.resolve_learner("L000001")
    review = store.conn.execute("SELECT id FROM reviews WHERE learner_id = ?", (learner,)).fetchone()[0]
    ids = {"learners": learner, "reviews": review}
    # Continue numbering from what is stored, so values only grow across runs.
    k = 0
    for entity, field in TEXT_FIELDS:
        value = store.get(entity, ids[entity])[field] or ""
        m = re.search(r"(\d+)$", value)
        k = max(k, int(m.group(1)) if m else 0)
    print("ready", flush=True)
    while True:
        k += 1
        entity, field = TEXT_FIELDS[k % len(TEXT_FIELDS)]
        if k % 5 == 0:
            action = store.create("actions", {"review_id": review, "description": f"Action {k}", "description_lang": "en"})
            print(f"created actions {action}", flush=True)
        else:
            changes = {field: f"Edit {k}"}
            if entity == "reviews":
                changes[field + "_lang"] = "en"
            store.update(entity, ids[entity], changes)
            print(f"set {entity} {field} {k}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
