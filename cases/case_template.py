"""The case template: the fixed sections of a pilot experience, in the order a peer reads them,
and the completeness score computed from them (shown to the city's editors with what is
missing; the freshness list and digest use it too).

One place for the sections: the page template, the admin panel, the import format and the
score all follow `SECTIONS`.
"""

from dataclasses import dataclass

# The free-text fields of the template, in reading order (import/export and search use them).
TEXT_FIELDS = (
    "background",
    "measures",
    "outcomes",
    "costs",
    "lessons",
    "replicable_points",
    "applicability",
)


def _text(field):
    return lambda page: bool(str(getattr(page, field) or "").strip())


def _related(name):
    # `.all()` works on a saved page and on a revision (an in-memory list of children).
    return lambda page: len(getattr(page, name).all()) > 0


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    filled: object  # page -> bool


SECTIONS = (
    Section("background", "背景与问题", _text("background")),
    Section("measures", "主要做法", _text("measures")),
    Section(
        "outcomes",
        "成效",
        lambda page: _related("indicators")(page) or _text("outcomes")(page),
    ),
    Section("costs", "投入与成本", _text("costs")),
    Section("lessons", "经验与教训", _text("lessons")),
    Section("replicable_points", "可复制要点", _text("replicable_points")),
    Section("applicability", "适用条件", _text("applicability")),
    Section("lead_office", "牵头部门", _text("lead_office")),
    Section("policy_documents", "政策文件", _related("policy_documents")),
    Section("technologies", "相关技术", _related("technologies")),
)


@dataclass(frozen=True)
class Completeness:
    score: int  # 0–100
    filled: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def missing_text(self) -> str:
        return "、".join(self.missing)


def completeness(page) -> Completeness:
    """Share of the template's sections that have content, with the labels still missing."""
    filled, missing = [], []
    for section in SECTIONS:
        (filled if section.filled(page) else missing).append(section.label)
    return Completeness(round(100 * len(filled) / len(SECTIONS)), tuple(filled), tuple(missing))
