"""Scoring with hand-computed totals. The sample standard (standards.factories): A1 yes/no 10,
A2 graded 20/12/0, B1 30 minus 4 per finding, B2 yes/no 40 (optional); bonus X1 3 + X2 4 capped
at 5; pass line 80; two eligibility conditions and one veto item."""

from decimal import Decimal

import pytest

from standards import scoring
from standards.factories import make_standard

pytestmark = pytest.mark.django_db
FULL = {"A1": True, "A2": 0, "B1": 0, "B2": True}


@pytest.fixture
def standard():
    return make_standard()


def test_full_marks_with_bonus_above_the_cap(standard):
    result = scoring.score(standard, FULL, eligibility=[True, True], bonus=["X1", "X2"])
    assert result.base == 100 and result.max_base == 100
    assert result.bonus_claimed == 7 and result.bonus == 5
    assert result.total == 105
    assert [(d.name, d.score, d.max_score) for d in result.dimensions] == [
        ("组织管理", 30, 30),
        ("设施与成效", 70, 70),
    ]
    assert result.passed is True


def test_bonus_cap_decides_the_result(standard):
    # 0 + 20 + (30 − 4×4 = 14) + 40 = 74; bonus 7 capped to 5 → 79 < 80 (uncapped it would pass).
    answers = {"A1": False, "A2": 0, "B1": 4, "B2": True}
    result = scoring.score(standard, answers, eligibility=[True, True], bonus=["X1", "X2"])
    assert (result.base, result.bonus, result.total) == (74, 5, 79)
    assert result.passed is False


def test_score_exactly_on_the_pass_line_passes(standard):
    # 10 + 12 + (30 − 3×4 = 18) + 40 = 80.
    answers = {"A1": True, "A2": 1, "B1": 3, "B2": True}
    result = scoring.score(standard, answers, eligibility=[True, True])
    assert result.total == Decimal("80")
    assert result.passed is True
    one_less = scoring.score(standard, {**answers, "B1": 4}, eligibility=[True, True])
    assert one_less.total == 76 and one_less.passed is False


def test_veto_item_fails_full_marks(standard):
    result = scoring.score(standard, FULL, eligibility=[True, True], veto=[True])
    assert result.total == 100
    assert result.veto_hits == ["发生固体废物污染事件"]
    assert result.passed is False


def test_unmet_eligibility_condition_fails_full_marks(standard):
    result = scoring.score(standard, FULL, eligibility=[True, False])
    assert result.eligible is False
    assert result.failed_eligibility == ["材料真实"]
    assert result.passed is False
    # Not answering an eligibility question is not meeting it.
    assert scoring.score(standard, FULL).failed_eligibility == ["近三年无严重失信记录", "材料真实"]


def test_unanswered_indicator_scores_zero_and_is_listed(standard):
    result = scoring.score(standard, {"A1": True, "A2": 0, "B1": 0}, eligibility=[True, True])
    assert result.total == 60
    assert result.unanswered == ["B2"]
    assert result.passed is False
    assert [i.code for i in result.weakest] == ["B2"]


def test_deduction_stops_at_zero_and_weakest_are_ordered(standard):
    result = scoring.score(standard, {"A1": False, "A2": 1, "B1": 10, "B2": True})
    assert result.total == 0 + 12 + 0 + 40
    assert [i.code for i in result.weakest] == ["B1", "A1", "A2"]


@pytest.mark.parametrize(
    "answers, code",
    [
        ({"ZZ": True}, "ZZ"),
        ({"A2": 3}, "A2"),
        ({"A1": "yes"}, "A1"),
        ({"B1": -1}, "B1"),
        ({"A1": {"points": "10.5"}}, "A1"),
    ],
)
def test_invalid_answers_are_refused(standard, answers, code):
    with pytest.raises(scoring.AnswerError) as error:
        scoring.score(standard, answers)
    assert error.value.code == code


def test_unknown_bonus_code_is_refused(standard):
    with pytest.raises(scoring.AnswerError):
        scoring.score(standard, FULL, bonus=["X9"])


def test_reviewer_points_are_taken_as_given(standard):
    answers = {"A1": {"points": "7.5"}, "A2": {"points": 20}, "B1": {"points": 30}}
    result = scoring.score(standard, answers, eligibility=[True, True])
    assert result.total == Decimal("57.5")
