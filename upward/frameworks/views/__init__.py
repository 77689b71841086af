"""Pages for career frameworks: the library, the matrix, levels, competencies,
import, the draft editor, publishing, history and diffs.

Each view parses its input, checks access with `access.py` (missing and
forbidden both answer 404; drafts exist only for those who may change them),
calls one service or selector and renders. A document is parsed once per
version (`document_of`), so a page costs the same queries however big the
framework is. A write ends in a redirect, or for htmx in the refreshed fragment.
"""

from __future__ import annotations

from upward.frameworks.views.cells import framework_cell
from upward.frameworks.views.editing import (
    framework_competency_add,
    framework_competency_change,
    framework_discard,
    framework_draft,
    framework_edit,
    framework_level_add,
    framework_level_change,
    framework_publish,
)
from upward.frameworks.views.importing import framework_import
from upward.frameworks.views.reading import (
    framework_competency,
    framework_detail,
    framework_diff,
    framework_export,
    framework_history,
    framework_level,
    framework_list,
    framework_version,
)
from upward.frameworks.views.steps import framework_step

__all__ = [
    "framework_cell",
    "framework_competency",
    "framework_competency_add",
    "framework_competency_change",
    "framework_detail",
    "framework_diff",
    "framework_discard",
    "framework_draft",
    "framework_edit",
    "framework_export",
    "framework_history",
    "framework_import",
    "framework_level",
    "framework_level_add",
    "framework_level_change",
    "framework_list",
    "framework_publish",
    "framework_step",
    "framework_version",
]
