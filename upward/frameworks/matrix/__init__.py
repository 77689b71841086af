"""How a framework document reads on a page: the matrix, a level, a competency.

Plain functions over the parsed document (no database): the views pick a
version, these arrange what its document says into rows and columns.
"""

from __future__ import annotations

from upward.frameworks.matrix.changes import CellChange, DiffReport, PartChanges, diff_view
from upward.frameworks.matrix.competency import CompetencyPage, TrackCells, competency_view
from upward.frameworks.matrix.grid import (
    Cell,
    Group,
    Matrix,
    Row,
    ScaleCell,
    ScaleColumn,
    ScaleRow,
    Threshold,
    build_matrix,
    cell,
    counts,
    reads_by_scale,
    scale_cell,
    thresholds,
)
from upward.frameworks.matrix.level import Change, LevelPage, level_view

__all__ = [
    "Cell",
    "CellChange",
    "Change",
    "CompetencyPage",
    "DiffReport",
    "Group",
    "LevelPage",
    "Matrix",
    "PartChanges",
    "Row",
    "ScaleCell",
    "ScaleColumn",
    "ScaleRow",
    "Threshold",
    "TrackCells",
    "build_matrix",
    "cell",
    "competency_view",
    "counts",
    "diff_view",
    "level_view",
    "reads_by_scale",
    "scale_cell",
    "thresholds",
]
