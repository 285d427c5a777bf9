"""What this installation is and where its data lives: the About box's facts, and the text a
user copies for their IT service desk. Paths only, never a learner's name or any record."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from pathlib import Path

from . import APP_NAME, __version__, components, settings
from .i18n import _


@dataclass(frozen=True)
class Place:
    label: str          # translated
    path: str
    note: str = ""      # translated


def program_folder() -> Path:
    """The bundle's folder when frozen, else the checkout the package runs from."""
    bundle = components.bundle_dir()
    return bundle.parent if bundle else Path(__file__).resolve().parent.parent


def calendar_note() -> str:
    calendar, problem = settings.machine_calendar()
    if problem:
        return _("The calendar in the settings for this computer cannot be used, so the usual Welsh "
                 "term dates apply: {problem}").format(problem=problem)
    if calendar is not None:
        return _("Your local authority's term dates, from the settings for this computer.")
    return _("The usual Welsh term dates and bank holidays.")


def places(store_path: Path, current: settings.Settings) -> list[Place]:
    machine = settings.machine_file()
    if machine.exists():
        machine_note = _("Set by your IT team.")
        if current.locked:
            machine_note += " " + _("Locked: {keys}.").format(keys=", ".join(sorted(current.locked)))
    else:
        machine_note = _("None on this computer.")
    listing = components.listing_path()
    found = [
        Place(_("Your store"), str(store_path),
              _("Encrypted with SQLCipher (AES-256); the passphrase is never stored.")),
        Place(_("Your settings"), str(settings.user_file())),
        Place(_("Settings for this computer"), str(machine), machine_note),
        Place(_("Program"), str(program_folder())),
    ]
    if listing is not None:
        found.append(Place(_("Licence texts"), str(listing.parent)))
    return found


def system() -> str:
    return f"{platform.system()} {platform.release()} ({platform.machine()}), Python {platform.python_version()}"


def support_text(store_path: Path, current: settings.Settings) -> str:
    """Plain text to paste into a message to the IT service desk."""
    lines = [f"{APP_NAME} {__version__}" + (" (bundle)" if components.bundle_dir() else ""), system()]
    lines += [f"{place.label}: {place.path}" + (f" ({place.note})" if place.note else "")
              for place in places(store_path, current)]
    lines.append(_("School calendar") + ": " + calendar_note())
    return "\n".join(lines) + "\n"
