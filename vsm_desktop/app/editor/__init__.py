"""The PEP review editor, one module per widget: `common` (the open review's data and what the
widgets share), `rows` (a list's table model), `new_record` (the Add dialog and the school
chooser), `row_form`, `list_panel`, `section` (a section's page and the stack of them), `amend`,
and `review_editor` (the editor itself). Meeting mode shows the same section pages."""

from .common import EditorContext, LISTS, ReviewData, display_name
from .review_editor import CHECKLIST_KEYS, MEETING_KEYS, ReviewEditor, load_review
from .rows import RowsModel
from .section import SectionPage, SectionStack

__all__ = ["CHECKLIST_KEYS", "EditorContext", "LISTS", "MEETING_KEYS", "ReviewData", "ReviewEditor", "RowsModel",
           "SectionPage", "SectionStack", "display_name", "load_review"]
