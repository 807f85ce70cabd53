"""Scoring a unit against a 无废细胞 standard (self-assessment and the reviewers' evaluation).

Answers are keyed by indicator code: a yes/no indicator takes True/False, a graded one the index
of its level, a deduction one the number of findings; a reviewer may give points directly
(`points`). The result applies, in this order: the eligibility conditions (every one must be
confirmed), the veto items (any one present fails), the indicator points per dimension, the bonus
items (capped at the standard's bonus cap) and the pass line (the total must reach it)."""

from dataclasses import dataclass, field
from decimal import Decimal

WEAKEST_COUNT = 5


class AnswerError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class IndicatorScore:
    code: str
    name: str
    dimension: str
    max_score: Decimal
    score: Decimal
    answered: bool

    @property
    def ratio(self) -> Decimal:
        return self.score / self.max_score if self.max_score else Decimal(1)


@dataclass
class DimensionScore:
    name: str
    score: Decimal = Decimal(0)
    max_score: Decimal = Decimal(0)


@dataclass
class Result:
    indicators: list[IndicatorScore]
    dimensions: list[DimensionScore]
    base: Decimal
    max_base: Decimal
    bonus_claimed: Decimal
    bonus: Decimal
    total: Decimal
    pass_threshold: Decimal | None
    eligible: bool
    failed_eligibility: list[str]
    veto_hits: list[str]
    unanswered: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool | None:
        """True/False against the pass line; None where the standard has no pass line."""
        if not self.eligible or self.veto_hits:
            return False
        if self.pass_threshold is None:
            return None
        return self.total >= self.pass_threshold

    @property
    def weakest(self) -> list[IndicatorScore]:
        lost = [i for i in self.indicators if i.score < i.max_score]
        return sorted(lost, key=lambda i: (i.ratio, -i.max_score))[:WEAKEST_COUNT]

    def as_json(self) -> dict:
        return {
            "base": str(self.base),
            "max_base": str(self.max_base),
            "bonus_claimed": str(self.bonus_claimed),
            "bonus": str(self.bonus),
            "total": str(self.total),
            "pass_threshold": None if self.pass_threshold is None else str(self.pass_threshold),
            "eligible": self.eligible,
            "failed_eligibility": self.failed_eligibility,
            "veto_hits": self.veto_hits,
            "passed": self.passed,
            "unanswered": self.unanswered,
            "dimensions": [
                {"name": d.name, "score": str(d.score), "max_score": str(d.max_score)}
                for d in self.dimensions
            ],
            "indicators": [
                {
                    "code": i.code,
                    "name": i.name,
                    "dimension": i.dimension,
                    "score": str(i.score),
                    "max_score": str(i.max_score),
                    "answered": i.answered,
                }
                for i in self.indicators
            ],
        }


def _dec(value) -> Decimal:
    return Decimal(str(value or 0))


def indicator_points(indicator, answer) -> Decimal:
    """Points of one answer; raises AnswerError for an answer the indicator cannot take."""
    code, top = indicator["code"], _dec(indicator["max_score"])
    method = indicator["method"]
    if isinstance(answer, dict) and "points" in answer:
        try:
            points = Decimal(str(answer["points"]))
        except ArithmeticError:
            raise AnswerError(code, f"指标 {code} 的得分不是数字") from None
        if points < 0 or points > top:
            raise AnswerError(code, f"指标 {code} 的得分应在 0 到 {top} 之间")
        return points
    if method == "yesno":
        if not isinstance(answer, bool):
            raise AnswerError(code, f"指标 {code} 应回答“是”或“否”")
        return top if answer else Decimal(0)
    if method == "graded":
        levels = list(indicator["levels"])
        if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < len(levels):
            raise AnswerError(code, f"指标 {code} 没有这个等级")
        return min(_dec(levels[answer]["points"]), top)
    if method == "deduction":
        if isinstance(answer, bool) or not isinstance(answer, int) or answer < 0:
            raise AnswerError(code, f"指标 {code} 的问题数应为不小于 0 的整数")
        return max(Decimal(0), top - answer * _dec(indicator["deduction"]))
    raise AnswerError(code, f"指标 {code} 的评分方式未知")


def score(
    standard,
    answers: dict,
    *,
    eligibility: list[bool] = (),
    veto: list[bool] = (),
    bonus: list[str] = (),
) -> Result:
    """Score `answers` ({code: answer}); `eligibility`/`veto` are one flag per listed item
    (eligibility: the condition is met; veto: the situation is present), `bonus` the codes of the
    bonus items claimed. Unknown indicator or bonus codes raise AnswerError."""
    indicators = standard.indicator_list()
    known = {indicator["code"] for _, indicator in indicators}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise AnswerError(unknown[0], f"标准中没有编号为 {unknown[0]} 的指标")
    bonus_items = {b.value["code"]: b.value for b in standard.bonus_items}
    unknown_bonus = sorted(set(bonus) - set(bonus_items))
    if unknown_bonus:
        raise AnswerError(unknown_bonus[0], f"标准中没有编号为 {unknown_bonus[0]} 的加分项")

    scored, dimensions = [], {}
    for dimension_name, indicator in indicators:
        code = indicator["code"]
        answer = answers.get(code)
        answered = answer is not None and answer != ""
        points = indicator_points(indicator, answer) if answered else Decimal(0)
        top = _dec(indicator["max_score"])
        scored.append(
            IndicatorScore(code, indicator["name"], dimension_name, top, points, answered)
        )
        dim = dimensions.setdefault(dimension_name, DimensionScore(dimension_name))
        dim.score += points
        dim.max_score += top

    base = sum((i.score for i in scored), Decimal(0))
    claimed = sum((_dec(bonus_items[c]["points"]) for c in set(bonus)), Decimal(0))
    cap = standard.bonus_cap
    granted = claimed if cap is None else min(claimed, _dec(cap))
    conditions = standard.eligibility_list
    flags = list(eligibility) + [False] * (len(conditions) - len(eligibility))
    failed = [text for text, ok in zip(conditions, flags, strict=False) if not ok]
    veto_flags = list(veto) + [False] * (len(standard.veto_list) - len(veto))
    hits = [text for text, present in zip(standard.veto_list, veto_flags, strict=False) if present]
    return Result(
        indicators=scored,
        dimensions=list(dimensions.values()),
        base=base,
        max_base=sum((i.max_score for i in scored), Decimal(0)),
        bonus_claimed=claimed,
        bonus=granted,
        total=base + granted,
        pass_threshold=None if standard.pass_threshold is None else _dec(standard.pass_threshold),
        eligible=not failed,
        failed_eligibility=failed,
        veto_hits=hits,
        unanswered=[i.code for i in scored if not i.answered],
    )
