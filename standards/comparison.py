"""Side-by-side comparison of standards of one cell type. Indicators are aligned by their code
(a new version or a derived standard keeps the codes of the indicators it carries over); the
first standard is the baseline that the others are compared with."""

from dataclasses import dataclass, field
from decimal import Decimal

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"
LABELS = {ADDED: "新增", REMOVED: "删除", CHANGED: "分值变化", SAME: ""}


@dataclass
class Row:
    code: str
    name: str
    dimension: str
    cells: list  # one per standard: {"name", "max_score"} or None where the standard lacks it
    status: str = SAME

    @property
    def label(self) -> str:
        return LABELS[self.status]


@dataclass
class Comparison:
    standards: list
    rows: list[Row] = field(default_factory=list)
    summary: list[tuple[str, list]] = field(default_factory=list)

    @property
    def differences(self) -> list[Row]:
        return [row for row in self.rows if row.status != SAME]


def _status(cells: list) -> str:
    base, others = cells[0], cells[1:]
    if base is None:
        return ADDED
    if any(c is None for c in others):
        return REMOVED
    if any(Decimal(str(c["max_score"])) != Decimal(str(base["max_score"])) for c in others):
        return CHANGED
    return SAME


def compare(standards: list) -> Comparison:
    index: dict[str, Row] = {}
    for position, standard in enumerate(standards):
        for dimension, indicator in standard.indicator_list():
            code = indicator["code"]
            row = index.get(code)
            if row is None:
                row = index[code] = Row(code, indicator["name"], dimension, [None] * len(standards))
            row.cells[position] = {"name": indicator["name"], "max_score": indicator["max_score"]}
    rows = list(index.values())
    for row in rows:
        row.status = _status(row.cells)
    summary = [
        ("版本", [s.version or "—" for s in standards]),
        ("总分", [s.max_total for s in standards]),
        ("达标分数线", [s.pass_threshold for s in standards]),
        ("加分上限", [s.bonus_cap for s in standards]),
        ("一票否决项", [len(s.veto_list) for s in standards]),
        ("认定有效期（年）", [s.validity_years for s in standards]),
    ]
    return Comparison(list(standards), rows, summary)
