"""Match suggestions: pure scoring of two profiles, with the reasons in words.

Nothing here touches the database; `matchmaking.selectors` turns posts and pages into `Profile`s.

A score is out of 100 and has three parts:

* **Waste categories (50)** — each of the wanted side's categories counts its best relation to a
  category of the other side: the same category 100 %, the other side's category is a parent
  (ancestor) of it 80 % (a facility licensed for 危险废物 covers HW17), the other side's category is
  a child (descendant) of it 60 % (an HW17 facility covers only part of a 危险废物 need), no
  relation 0 %. The part is 50 × the mean over the wanted categories. Without any overlap there
  is no suggestion at all.
* **Region (30)** — the best tier over every pair of places of the two sides (an offer's places
  are its location and the areas it serves; a technology's are its provider's and its reference
  cases' cities): same city or area 30, same province 24, same city cluster (京津冀, 长三角,
  粤港澳, 成渝 …) 18, same 东/中/西部/东北 12, elsewhere or unknown 0.
* **Capacity (20)** — only between a need and an offer that both give tonnes per year: 20 when the
  capacity covers the need, otherwise 20 × capacity ÷ need. When either figure is missing, or the
  other side is a technology, case or city (no capacity to compare), 10 — neutral, so a missing
  figure neither sinks nor lifts a suggestion.

**Treatment stage** (收集/运输/利用/处置/监管) — what a technology does, and what a post asks for
or offers (read from its words: 处置, 填埋, 无害化 … → 处置). When both sides name stages and none is
shared, there is no suggestion: a need for fly-ash disposal is not served by a supervision
platform for 危险废物, however well the categories overlap. When they share one, the explanation
says so; when either side names none, stages do not count.

Worked example: a need for HW17 表面处理废物, 500 t/yr in 中山市, and an offer for 危险废物,
2 000 t/yr in 广州市 → categories 50 × 80 % = 40, region same province (广东省) 24, capacity covers
the need 20: 84 points.

Ties are broken by the category part, then the region part, then the newer candidate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

CATEGORY_POINTS = 50
REGION_POINTS = 30
CAPACITY_POINTS = 20
NEUTRAL_CAPACITY = CAPACITY_POINTS / 2

EXACT, BROADER, NARROWER = 1.0, 0.8, 0.6

SAME_CITY = ("same_city", 1.0, "同城")
SAME_PROVINCE = ("same_province", 0.8, "同省")
SAME_CLUSTER = ("same_cluster", 0.6, "同一城市群")
SAME_MACRO = ("same_macro", 0.4, "同一区域")
ELSEWHERE = ("elsewhere", 0.0, "不同区域")

NEED, OFFER, TECHNOLOGY, CASE, CITY = "need", "offer", "technology", "case", "city"
KIND_LABELS = {NEED: "需求", OFFER: "能力", TECHNOLOGY: "技术", CASE: "试点经验", CITY: "试点城市"}


@dataclass(frozen=True)
class Category:
    """A waste category with the ids of its ancestors, nearest first (e.g. HW17 → (危险废物,))."""

    id: int
    label: str
    ancestor_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Place:
    """Where something is: a city- or province-level region with what proximity compares."""

    code: str
    name: str
    province_code: str
    province_name: str
    clusters: frozenset[str] = frozenset()
    macro: str = ""

    @property
    def label(self) -> str:
        if self.code == self.province_code:
            return self.name
        return f"{self.province_name}{self.name}"


@dataclass(frozen=True)
class Profile:
    """What matching knows about a post, technology, case or city."""

    key: str
    kind: str
    title: str
    url: str = ""
    categories: tuple[Category, ...] = ()
    places: tuple[Place, ...] = ()
    tonnage: Decimal | None = None
    stages: tuple[str, ...] = ()
    appeared_at: datetime | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Suggestion:
    candidate: Profile
    score: float
    category_points: float
    region_points: float
    capacity_points: float
    reasons: tuple[str, ...]

    @property
    def summary(self) -> str:
        return f"匹配度 {self.score:g} 分"

    @property
    def explanation(self) -> str:
        return "；".join(self.reasons) + "。"


def _points(value: float) -> float:
    return round(value, 1)


def _amount(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def category_relation(wanted: Category, other: Category) -> float:
    """How well `other` covers `wanted`: 1.0 same, 0.8 other is an ancestor (the parent category
    covers its children), 0.6 other is a descendant (covers part of it), 0.0 unrelated."""
    if wanted.id == other.id:
        return EXACT
    if other.id in wanted.ancestor_ids:
        return BROADER
    if wanted.id in other.ancestor_ids:
        return NARROWER
    return 0.0


def _relation_words(wanted: Category, other: Category, weight: float) -> str:
    if weight == EXACT:
        return f"{wanted.label} 一致"
    if weight == BROADER:
        return f"{wanted.label} 属于 {other.label}（上级类别涵盖下级，按 80% 计）"
    return f"{wanted.label} 包含 {other.label}（仅部分对应，按 60% 计）"


def category_score(wanted: tuple[Category, ...], other: tuple[Category, ...]):
    """(points out of 50, reason) for how `other`'s categories cover every wanted category."""
    if not wanted or not other:
        return 0.0, "废物类别：无对应类别"
    weights, parts = [], []
    for category in wanted:
        best, best_other = 0.0, None
        for candidate in other:
            weight = category_relation(category, candidate)
            if weight > best:
                best, best_other = weight, candidate
        weights.append(best)
        parts.append(
            _relation_words(category, best_other, best)
            if best_other
            else f"{category.label} 无对应"
        )
    points = _points(CATEGORY_POINTS * sum(weights) / len(weights))
    return points, f"废物类别 {points:g}/{CATEGORY_POINTS} 分：" + "，".join(parts)


def region_tier(a: Place, b: Place):
    """The proximity tier of two places: same city > same province > same city cluster > same
    东/中/西部/东北 > elsewhere. Returns (name, weight, label) from the tier constants."""
    if a.code == b.code:
        return SAME_CITY
    if a.province_code == b.province_code:
        return SAME_PROVINCE
    if a.clusters & b.clusters:
        return SAME_CLUSTER
    if a.macro and a.macro == b.macro:
        return SAME_MACRO
    return ELSEWHERE


def _region_words(tier, a: Place, b: Place, points: float) -> str:
    name = tier[0]
    tail = f"（{tier[2]}，{points:g}/{REGION_POINTS} 分）"
    if name == "same_city":
        return f"地区：同在{a.label}{tail}"
    if name == "same_province":
        return f"地区：同在{a.province_name}，{a.label} / {b.label}{tail}"
    if name == "same_cluster":
        cluster = "、".join(sorted(a.clusters & b.clusters))
        return f"地区：同属{cluster}城市群，{a.label} / {b.label}{tail}"
    if name == "same_macro":
        return f"地区：同属{a.macro}地区，{a.label} / {b.label}{tail}"
    return f"地区：{a.label} / {b.label}{tail}"


def region_score(wanted: tuple[Place, ...], other: tuple[Place, ...]):
    """(points out of 30, reason) for the closest pair of places of the two sides."""
    best = None
    for a in wanted:
        for b in other:
            tier = region_tier(a, b)
            if best is None or tier[1] > best[0][1]:
                best = (tier, a, b)
    if best is None:
        return 0.0, f"地区：未标明所在地区（0/{REGION_POINTS} 分）"
    tier, a, b = best
    points = _points(REGION_POINTS * tier[1])
    return points, _region_words(tier, a, b, points)


def capacity_score(need: Decimal | None, capacity: Decimal | None, *, other_kind: str = OFFER):
    """(points out of 20, reason): full marks when the annual capacity covers the need, else in
    proportion; neutral 10 when a figure is missing or the other side has no capacity."""
    if other_kind != OFFER:
        label = KIND_LABELS.get(other_kind, other_kind)
        return NEUTRAL_CAPACITY, (
            f"处理能力：{label}不比较处理量，按中性计（{NEUTRAL_CAPACITY:g}/{CAPACITY_POINTS} 分）"
        )
    if not need or capacity is None:
        return NEUTRAL_CAPACITY, (
            f"处理能力：未填写需求量或处理能力，按中性计（{NEUTRAL_CAPACITY:g}/{CAPACITY_POINTS} 分）"
        )
    if capacity >= need:
        return float(CAPACITY_POINTS), (
            f"处理能力：年处理能力 {_amount(capacity)} 吨，可覆盖需求 {_amount(need)} 吨/年"
            f"（{CAPACITY_POINTS}/{CAPACITY_POINTS} 分）"
        )
    share = float(capacity / need)
    points = _points(CAPACITY_POINTS * share)
    return points, (
        f"处理能力：年处理能力 {_amount(capacity)} 吨，可覆盖需求 {_amount(need)} 吨/年的 "
        f"{share:.0%}（{points:g}/{CAPACITY_POINTS} 分）"
    )


def stage_fit(wanted: tuple[str, ...], other: tuple[str, ...]):
    """(fits, reason or None): False when both sides name treatment stages and share none."""
    if not wanted or not other:
        return True, None
    shared = [s for s in wanted if s in other]
    if not shared:
        return False, f"处理环节：需要{'、'.join(wanted)}，对方为{'、'.join(other)}"
    return True, f"处理环节：{'、'.join(shared)} 对应（对方：{'、'.join(other)}）"


def score_pair(wanted: Profile, other: Profile) -> Suggestion | None:
    """Score how well `other` serves `wanted` (whose categories must be covered); None when the
    two share no waste category, or name treatment stages and share none. The suggestion's
    candidate is `other`."""
    category_points, category_reason = category_score(wanted.categories, other.categories)
    if category_points <= 0:
        return None
    fits, stage_reason = stage_fit(wanted.stages, other.stages)
    if not fits:
        return None
    region_points, region_reason = region_score(wanted.places, other.places)
    kinds = {wanted.kind: wanted, other.kind: other}
    if NEED in kinds and OFFER in kinds:
        capacity_points, capacity_reason = capacity_score(kinds[NEED].tonnage, kinds[OFFER].tonnage)
    else:
        non_post = next((p.kind for p in (other, wanted) if p.kind not in (NEED, OFFER)), OFFER)
        capacity_points, capacity_reason = capacity_score(None, None, other_kind=non_post)
    total = _points(category_points + region_points + capacity_points)
    return Suggestion(
        candidate=other,
        score=total,
        category_points=category_points,
        region_points=region_points,
        capacity_points=capacity_points,
        reasons=(category_reason, *([stage_reason] if stage_reason else []), region_reason)
        + (capacity_reason,),
    )


def suggest(subject: Profile, candidate: Profile) -> Suggestion | None:
    """The suggestion of `candidate` to `subject`, from either side: a need is always the side
    whose categories must be covered, so a need and an offer score the same whichever of them is
    looking; an offer looking at cities asks how well each city's work covers its categories."""
    if candidate.kind == NEED and subject.kind != NEED:
        suggestion = score_pair(candidate, subject)
        if suggestion is None:
            return None
        return Suggestion(
            candidate=candidate,
            score=suggestion.score,
            category_points=suggestion.category_points,
            region_points=suggestion.region_points,
            capacity_points=suggestion.capacity_points,
            reasons=suggestion.reasons,
        )
    return score_pair(subject, candidate)


def _sort_key(suggestion: Suggestion):
    appeared = suggestion.candidate.appeared_at
    return (
        -suggestion.score,
        -suggestion.category_points,
        -suggestion.region_points,
        -(appeared.timestamp() if appeared else 0),
        suggestion.candidate.key,
    )


def rank(subject: Profile, candidates, limit: int | None = None) -> list[Suggestion]:
    """Suggestions of `candidates` for `subject`, best first, without `subject` itself and
    without candidates that share no waste category."""
    suggestions = [
        s for c in candidates if c.key != subject.key and (s := suggest(subject, c)) is not None
    ]
    suggestions.sort(key=_sort_key)
    return suggestions[:limit] if limit else suggestions
