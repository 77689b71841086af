"""How a framework document reads on a page: the matrix, a level, a competency.

Plain functions over the parsed document (no database): the views pick a
version, these arrange what its document says into rows and columns.
"""

from __future__ import annotations

from upward.frameworks.matrix.changes import CellChange, DiffView, PartChanges, diff_view
from upward.frameworks.matrix.competency import CompetencyView, TrackCells, competency_view
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
from upward.frameworks.matrix.level import Change, LevelView, level_view

__all__ = [
    "Cell",
    "CellChange",
    "Change",
    "CompetencyView",
    "DiffView",
    "Group",
    "LevelView",
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
