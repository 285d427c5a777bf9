"""Settings: what an IT team presets for every user of a machine, and what a user chooses.

Read in order, later ones winning: the built-in defaults, the machine-wide file
(`site_config_dir`/settings.json, e.g. /etc/xdg/vsm-desktop/settings.json on Linux,
C:\\ProgramData\\vsm-desktop\\settings.json on Windows), then the user's own file
(`user_config_dir`/settings.json). Only the user's file is ever written. A key the machine
file lists under "locked" cannot be changed by the user. The machine file alone may give the
local authority's school calendar ("calendar", see `domain.calendar.calendar_from_json`).
Every key is documented for IT teams in packaging/README.md.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .files import write_atomically

log = logging.getLogger(__name__)
APP_DIR = "vsm-desktop"


@dataclass
class Settings:
    language: str | None = None          # None until chosen on the first-run screen
    idle_lock_minutes: float = 5.0
    store_path: str | None = None        # None: the default store in the user data folder
    sync_server: str | None = None
    sync_minutes: float = 5.0            # automatic sync while enrolled and unlocked
    ca_bundle: str | None = None
    high_contrast: bool | None = None    # None: as the system asks (View ▸ High contrast sets it)
    locked: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "locked"}


def default_store_path() -> Path:
    """The user's store unless they choose another: store.vsm in the user data folder."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_DIR, appauthor=False)) / "store.vsm"


def machine_file() -> Path:
    import platformdirs

    override = os.environ.get("VSM_MACHINE_SETTINGS")
    return Path(override) if override else Path(platformdirs.site_config_dir(APP_DIR, appauthor=False)) / "settings.json"


def user_file() -> Path:
    import platformdirs

    override = os.environ.get("VSM_USER_SETTINGS")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_DIR, appauthor=False)) / "settings.json"


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        log.warning("ignoring unreadable settings file")
        return {}
    return data if isinstance(data, dict) else {}


def _apply(settings: Settings, data: dict, locked: set[str]) -> None:
    known = {f.name: f for f in fields(Settings)}
    for key, value in data.items():
        if key in known and key != "locked" and key not in locked:
            if key == "idle_lock_minutes":
                if isinstance(value, (int, float)) and 0.05 <= value <= 24 * 60:
                    settings.idle_lock_minutes = float(value)
            elif key == "sync_minutes":
                if isinstance(value, (int, float)) and 0.05 <= value <= 24 * 60:
                    settings.sync_minutes = float(value)
            elif key == "language":
                if value in ("cy", "en"):
                    settings.language = value
            elif key == "high_contrast":
                if value is None or isinstance(value, bool):
                    settings.high_contrast = value
            elif value is None or isinstance(value, str):
                setattr(settings, key, value)


def load() -> Settings:
    settings = Settings()
    machine = _read(machine_file())
    _apply(settings, machine, set())
    locked = machine.get("locked", [])
    settings.locked = [k for k in locked if isinstance(k, str)] if isinstance(locked, list) else []
    _apply(settings, _read(user_file()), set(settings.locked))
    return settings


def save(settings: Settings) -> None:
    """Writes the user's choices atomically; locked keys are left to the machine file."""
    path = user_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {k: v for k, v in settings.to_json().items() if k not in settings.locked}
    write_atomically(path, json.dumps(data, indent=1, ensure_ascii=False))


def machine_calendar():
    """(the local authority's SchoolCalendar, None) from the machine file's "calendar", or
    (None, None) when it gives none, or (None, a sentence saying what is wrong) when it is not valid:
    the usual Welsh pattern is used then. Only the machine file can set it: it is the authority's."""
    from .domain.calendar import calendar_from_json

    data = _read(machine_file()).get("calendar")
    if data is None:
        return None, None
    try:
        return calendar_from_json(data), None
    except ValueError as e:
        log.warning("the machine settings' calendar is not valid; using the usual Welsh term dates")
        return None, str(e)


def machine_logo() -> str | None:
    """The path of the local authority's logo (PNG or SVG) from the machine file's "logo", for the
    first page of a PEP and a pack's cover. Only the machine file can set it: it is the authority's."""
    value = _read(machine_file()).get("logo")
    return value.strip() if isinstance(value, str) and value.strip() else None


ATTACHMENT_MAX_MB = 25.0


def machine_attachment_max_mb() -> float:
    """The largest file that can be attached, in MB (10^6 bytes), from the machine file's
    "attachment_max_mb" (default 25). Only the machine file can set it: the sync server keeps its own."""
    value = _read(machine_file()).get("attachment_max_mb")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0.01 <= value <= 4096:
        return float(value)
    return ATTACHMENT_MAX_MB
