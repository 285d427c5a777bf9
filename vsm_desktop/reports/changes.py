"""What this connection wrote since the figures were last counted, so that after an edit the
whole authority's figures fold again only the learners it touched (`dashboard.from_summaries`).

Temporary triggers (this connection's, nothing on disk or in the store's schema) note in a
temporary table the learner of every summary row written (migration 0012's tables, which the
store's triggers keep up to date whatever path writes), and a mark for what is not one learner's:
`EVERYTHING` for a school (its name is in its learners' figures), `FUNDING` for the funding
figures' rows, `INTERVENTIONS` for the interventions by kind, `OTHER` for anything else read
again on any change (exclusions). A commit by another connection (another process's sync) is not
seen by these triggers: `PRAGMA data_version` says so, and everything is read again then. Inside a
transaction (what is read may yet be rolled back) nothing is kept.
"""

from __future__ import annotations

import json
import weakref

EVERYTHING, FUNDING, INTERVENTIONS, OTHER = "*", "$", "%", "!"
MARKS = frozenset({EVERYTHING, FUNDING, INTERVENTIONS, OTHER})
_TABLE = "temp.vsm_figures_changed"
MAX_KEPT = 6   # states (periods and days) kept at once, some megabytes each: many asked, start again


def _note(*values: str) -> str:
    # One statement (each costs a sync's apply); a learner noted again costs one look-up. Not
    # OR IGNORE: the outer statement's conflict rule replaces a trigger's (an INSERT OR ABORT on a
    # watched table would fail on a learner noted before).
    new = f"v IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {_TABLE} WHERE learner_id = v)"
    if len(values) == 1:
        return f"INSERT INTO {_TABLE} SELECT v FROM (SELECT {values[0]} AS v) WHERE {new};"
    union = " UNION ALL ".join(f"SELECT {v} AS v" for v in values)
    return f"INSERT INTO {_TABLE} SELECT DISTINCT v FROM ({union}) WHERE {new};"


_MOVED = "CASE WHEN OLD.learner_id IS NOT NEW.learner_id THEN OLD.learner_id END"   # an update's other learner


def _triggers() -> list[tuple[str, str, str]]:
    """(table, event, what it notes)."""
    amended = "CASE WHEN {row}.amended THEN '%s' END" % INTERVENTIONS   # their interventions give way
    out = [
        ("summary_learners", "INSERT", _note("NEW.learner_id")),
        ("summary_learners", "UPDATE", _note("NEW.learner_id", _MOVED)),
        ("summary_learners", "DELETE", _note("OLD.learner_id")),
        ("summary_reviews", "INSERT", _note("NEW.learner_id", amended.format(row="NEW"))),
        ("summary_reviews", "UPDATE", _note("NEW.learner_id", _MOVED,
                                            f"CASE WHEN OLD.amended IS NOT NEW.amended THEN '{INTERVENTIONS}' END")),
        ("summary_reviews", "DELETE", _note("OLD.learner_id", amended.format(row="OLD"))),
        ("enrolments", "INSERT", _note("NEW.learner_id", f"'{FUNDING}'")),
        ("enrolments", "UPDATE", _note("NEW.learner_id", _MOVED, f"'{FUNDING}'")),
        ("enrolments", "DELETE", _note("OLD.learner_id", f"'{FUNDING}'")),
        # A request's learner is its review's.
        ("reviews", "INSERT", _note(f"'{FUNDING}'")),
        ("reviews", "UPDATE OF id, learner_id", _note(f"'{FUNDING}'")),
        ("reviews", "DELETE", _note(f"'{FUNDING}'")),
    ]
    for event in ("INSERT", "UPDATE", "DELETE"):
        out.append(("summary_interventions", event, _note(f"'{INTERVENTIONS}'")))
        out.append(("schools", event, _note(f"'{EVERYTHING}'")))
        out.append(("exclusions", event, _note(f"'{OTHER}'")))
        for table in ("funding_requests", "funding_spend", "funding_allocations"):
            out.append((table, event, _note(f"'{FUNDING}'")))
    return out


class Changes:
    """One connection's notes, handed to each kept state (`state`) as it is asked for."""

    def __init__(self, conn, version):
        self.conn, self.version = conn, version
        self.states: dict = {}

    def state(self, key, make):
        """The state kept under `key` (made by `make()` when there is none); its `noted` set holds
        what was written since it was last brought up to date, and its owner empties it."""
        got = self.states.get(key)
        if got is None:
            if len(self.states) >= MAX_KEPT:
                self.states.clear()
            got = self.states[key] = make()
        return got


_CHANGES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def since(store) -> Changes | None:
    """The store's `Changes`, with what was written since the last call handed to every state;
    None inside a transaction or when the connection cannot keep notes (then read everything)."""
    conn = store.conn
    if conn.in_transaction:
        return None
    # data_version: another connection's commit; schema_version: a table dropped and made again
    # on this one takes its temporary triggers with it.
    version = (id(conn), conn.execute("PRAGMA data_version").fetchone()[0],
               conn.execute("PRAGMA schema_version").fetchone()[0])
    got = _CHANGES.get(store)
    if got is None or got.version != version or got.conn is not conn:
        got = _start(store, conn, version)
        if got is None:
            return None
    rows = conn.execute(f"SELECT learner_id FROM {_TABLE}").fetchall()
    if rows:
        # Only what was read: a note made meanwhile stays for the next count (what it notes was
        # written before the figures read the store, so counting it again is only more work).
        noted = {lid for (lid,) in rows}
        conn.execute(f"DELETE FROM {_TABLE} WHERE learner_id IN (SELECT value FROM json_each(?))",
                     (json.dumps(sorted(noted)),))
        if EVERYTHING in noted:
            got.states.clear()
        for state in got.states.values():
            state.noted |= noted
    return got


def _start(store, conn, version) -> Changes | None:
    try:
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {_TABLE.split('.')[1]} (learner_id TEXT PRIMARY KEY)"
                     " WITHOUT ROWID")
        have = {name for (name,) in conn.execute("SELECT name FROM sqlite_temp_master WHERE type = 'trigger'"
                                                  " AND name LIKE 'vsm_figures_%'")}
        for i, (table, event, body) in enumerate(_triggers()):
            name = f"vsm_figures_{table}_{i}"
            if name not in have:
                conn.execute(f"CREATE TEMP TRIGGER {name} AFTER {event} ON main.{table} BEGIN {body} END")
        conn.execute(f"DELETE FROM {_TABLE}")   # what was noted before is counted from the store itself
    except Exception:   # a store without the tables (an older format read-only): no notes, read everything
        _CHANGES.pop(store, None)
        return None
    got = _CHANGES[store] = Changes(conn, version)
    return got


class _Kept:
    __slots__ = ("noted", "value", "read")

    def __init__(self):
        self.noted: set = set()
        self.read = False
        self.value = None


def kept(store, name, marks: frozenset, read):
    """`read(store.conn)`, read again only when one of `marks` was noted since (or everything is
    read again: another connection's commit, a school); `cohort.unchanged_reads` when no notes
    can be kept."""
    got = since(store)
    if got is None:
        from .cohort import unchanged_reads

        return unchanged_reads(store, name, read)
    state = got.state(("kept", name), _Kept)
    if not state.read or not state.noted.isdisjoint(marks):
        state.value, state.read = read(store.conn), True
    state.noted = set()
    return state.value


def forget() -> None:
    """Drops every kept state (the next figures are counted from the store itself)."""
    for got in list(_CHANGES.values()):
        got.states.clear()
