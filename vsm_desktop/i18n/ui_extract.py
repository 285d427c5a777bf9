"""A Babel extractor for Qt Designer files, so ui/*.ui texts are in the same catalog."""

from __future__ import annotations

import xml.etree.ElementTree as ET

TEXT_PROPERTIES = ("text", "title", "windowTitle", "placeholderText", "toolTip", "accessibleName",
                   "accessibleDescription", "statusTip")


def extract_qt_designer(fileobj, keywords, comment_tags, options):
    """Yields (lineno, funcname, message, comments) as Babel's extractors do."""
    data = fileobj.read()
    root = ET.fromstring(data)
    lines = data.decode("utf-8").splitlines() if isinstance(data, bytes) else data.splitlines()
    for prop in root.iter("property"):
        string = prop.find("string")
        if prop.get("name") in TEXT_PROPERTIES and string is not None and string.text and string.get("notr") != "true":
            lineno = next((i + 1 for i, line in enumerate(lines) if f">{_xml_escape(string.text)}<" in line), 0)
            yield lineno, "_", string.text, []


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
