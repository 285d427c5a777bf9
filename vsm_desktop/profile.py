"""The person who uses this store: display name and role.

Documents, "finalised by", quality ratings and the change history name this person, never the
computer's login. The name is asked at first run (or given to `vsm-desktop init --name --role`,
or in VSM_NAME/VSM_ROLE), changed under File ▸ Profile…, and replaced by the authority's record
at enrolment. A store made before profiles has its author (often a login) but no role: the
application asks once for the name when it is unlocked.
"""

from __future__ import annotations

import os

from .errors import Refused
from .i18n import N_, _

ENV_NAME = "VSM_NAME"
ENV_ROLE = "VSM_ROLE"
META_NAME = "author"        # kept under its old key: sync and history read it as the author
META_ROLE = "author_role"
MAX_NAME = 100

# The roles a profile can have; the sync server's roles map onto these.
ROLES: dict[str, str] = {
    "designated_person": N_("Designated person"),
    "social_worker": N_("Social worker"),
    "mentor": N_("Mentor or support worker"),
    "coordinator": N_("LACE coordinator"),
    "other": N_("Other"),
}
DEFAULT_ROLE = "designated_person"


def role_label(role: str | None) -> str:
    return _(ROLES[role]) if role in ROLES else ""


def server_role(role: str | None) -> str:
    """A role as the sync server names it, as a profile role."""
    return role if role in ROLES else "other"


def check(name: str, role: str) -> tuple[str, str]:
    """(name, role) as stored, or Refused saying what is wrong."""
    name = " ".join((name or "").split())
    if not name:
        raise Refused(_("Give your name as it should appear on documents, for example “Catrin Ellis”."))
    if len(name) > MAX_NAME:
        raise Refused(_("The name is too long: at most {n} characters.").format(n=MAX_NAME))
    if role not in ROLES:
        raise Refused(_("“{role}” is not a role. Choose one of: {roles}.").format(role=role, roles=", ".join(ROLES)))
    return name, role


def from_environment(name: str | None = None, role: str | None = None) -> tuple[str, str]:
    """The profile given on a command line, else in VSM_NAME/VSM_ROLE; ("", "") when none is."""
    name = name if name is not None else os.environ.get(ENV_NAME, "")
    role = role or os.environ.get(ENV_ROLE, "") or DEFAULT_ROLE
    if not name.strip():
        return "", ""
    return check(name, role)
