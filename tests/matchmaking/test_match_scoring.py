"""Match scoring (matchmaking.matching): pure functions with hand-computed expectations, then the
same rules over real board posts, technologies and cases from the seed.

Points: categories 50 (same 100 %, other side's category is the parent 80 %, the child 60 %),
region 30 (same city 30, same province 24, same city cluster 18, same 东/中/西部 12, else 0),
capacity 20 (covers the need 20, else pro rata; unknown or not comparable 10)."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from mm_helpers import category, make_post, region

from cases.factories import CasePageFactory, TechnologyPageFactory
from cases.models import CityPage
from matchmaking import matching, selectors
from matchmaking.matching import Category, Place, Profile
from matchmaking.models import TechnologyContact

# A hand-made slice of the taxonomy: 危险废物 (1) → HW17 (2), HW18 (3); 工业固体废物 (10).
HAZARDOUS = Category(1, "危险废物")
HW17 = Category(2, "HW17 表面处理废物", (1,))
HW18 = Category(3, "HW18 焚烧处置残渣", (1,))
HW08 = Category(4, "HW08 废矿物油与含矿物油废物", (1,))
INDUSTRIAL = Category(10, "工业固体废物")

ZHONGSHAN = Place("442000", "中山市", "440000", "广东省", frozenset({"粤港澳"}), "东部")
GUANGZHOU = Place("440100", "广州市", "440000", "广东省", frozenset({"粤港澳"}), "东部")
SHENZHEN = Place("440300", "深圳市", "440000", "广东省", frozenset({"粤港澳"}), "东部")
HONGKONG = Place("810000", "香港特别行政区", "810000", "香港特别行政区", frozenset({"粤港澳"}), "")
SHAOXING = Place("330600", "绍兴市", "330000", "浙江省", frozenset({"长三角"}), "东部")
SHANGHAI = Place("310000", "上海市", "310000", "上海市", frozenset({"长三角"}), "东部")
CHENGDU = Place("510100", "成都市", "510000", "四川省", frozenset({"成渝"}), "西部")
GUANGDONG = Place("440000", "广东省", "440000", "广东省", frozenset(), "东部")


def need(*categories, place=ZHONGSHAN, tonnage="500", key="need"):
    return Profile(
        key=key,
        kind="need",
        title="中山电镀污泥",
        categories=categories,
        places=(place,),
        tonnage=Decimal(tonnage) if tonnage else None,
    )


def offer(key, *categories, places=(ZHONGSHAN,), tonnage=None, appeared=None):
    return Profile(
        key=key,
        kind="offer",
        title=key,
        categories=categories,
        places=places,
        tonnage=Decimal(tonnage) if tonnage else None,
        appeared_at=appeared,
    )


# ---------------------------------------------------------------------------------------------
# Parts of the score


@pytest.mark.parametrize(
    "wanted, other, weight",
    [
        (HW17, HW17, 1.0),  # same category
        (HW17, HAZARDOUS, 0.8),  # the other side's parent category covers the child
        (HAZARDOUS, HW17, 0.6),  # the other side covers only a child of it
        (HW17, HW18, 0.0),  # siblings do not match
        (HW17, INDUSTRIAL, 0.0),
    ],
)
def test_category_relation(wanted, other, weight):
    assert matching.category_relation(wanted, other) == weight


def test_category_score_is_the_mean_over_the_wanted_categories():
    # HW17 exact (1.0) and HW08 unmatched (0.0): 50 × 0.5 = 25.
    points, reason = matching.category_score((HW17, HW08), (HW17,))
    assert points == 25
    assert reason == (
        "废物类别 25/50 分：HW17 表面处理废物 一致，HW08 废矿物油与含矿物油废物 无对应"
    )
    # HW17 covered by the parent 危险废物 (0.8), HW18 exactly (1.0): 50 × 0.9 = 45.
    points, _ = matching.category_score((HW17, HW18), (HAZARDOUS, HW18))
    assert points == 45


@pytest.mark.parametrize(
    "a, b, tier, points",
    [
        (ZHONGSHAN, ZHONGSHAN, "same_city", 30),
        (ZHONGSHAN, GUANGZHOU, "same_province", 24),
        (ZHONGSHAN, GUANGDONG, "same_province", 24),  # a province-level place
        (ZHONGSHAN, HONGKONG, "same_cluster", 18),  # 粤港澳
        (SHAOXING, SHANGHAI, "same_cluster", 18),  # 长三角, via 上海市's own cluster
        (ZHONGSHAN, SHAOXING, "same_macro", 12),  # both 东部, different clusters
        (ZHONGSHAN, CHENGDU, "elsewhere", 0),
    ],
)
def test_region_tiers(a, b, tier, points):
    assert matching.region_tier(a, b)[0] == tier
    assert matching.region_score((a,), (b,))[0] == points


def test_region_uses_the_closest_of_several_places():
    # An offer in 成都 that also serves 广州: the 广州 place counts (same province as 中山).
    points, reason = matching.region_score((ZHONGSHAN,), (CHENGDU, GUANGZHOU))
    assert points == 24
    assert reason == "地区：同在广东省，广东省中山市 / 广东省广州市（同省，24/30 分）"


def test_unknown_region_scores_zero():
    assert matching.region_score((ZHONGSHAN,), ()) == (0.0, "地区：未标明所在地区（0/30 分）")


@pytest.mark.parametrize(
    "need_t, capacity_t, points",
    [
        ("500", "2000", 20),  # covers the need
        ("500", "500", 20),
        ("500", "200", 8),  # 40 % of the need: 20 × 0.4
        ("500", None, 10),  # unknown: neutral
        (None, "2000", 10),
    ],
)
def test_capacity_fit(need_t, capacity_t, points):
    value = matching.capacity_score(
        Decimal(need_t) if need_t else None, Decimal(capacity_t) if capacity_t else None
    )
    assert value[0] == points


def test_capacity_explanations():
    assert matching.capacity_score(Decimal("500"), Decimal("200"))[1] == (
        "处理能力：年处理能力 200 吨，可覆盖需求 500 吨/年的 40%（8/20 分）"
    )
    assert matching.capacity_score(Decimal("500.00"), Decimal("2000.00"))[1] == (
        "处理能力：年处理能力 2000 吨，可覆盖需求 500 吨/年（20/20 分）"
    )
    assert matching.capacity_score(None, None, other_kind="technology")[1] == (
        "处理能力：技术不比较处理量，按中性计（10/20 分）"
    )


# ---------------------------------------------------------------------------------------------
# Rankings


def test_ranking_of_offers_for_a_need_computed_by_hand():
    """Need: HW17, 500 t/yr, 中山.

    E  HW17 中山, capacity unknown     50 + 30 + 10 = 90
    F  HW17 香港 (粤港澳), 3000 t       50 + 18 + 20 = 88
    A  危险废物 (parent) 广州, 2000 t   40 + 24 + 20 = 84
    B  HW17 深圳, 200 t                50 + 24 +  8 = 82
    C  HW17 绍兴 (东部), 1000 t        50 + 12 + 20 = 82   (tie with B: region 12 < 24)
    G  HW17 成都, 5000 t               50 +  0 + 20 = 70
    D  HW18 中山 (sibling)             no suggestion
    """
    subject = need(HW17)
    candidates = [
        offer("A", HAZARDOUS, places=(GUANGZHOU,), tonnage="2000"),
        offer("B", HW17, places=(SHENZHEN,), tonnage="200"),
        offer("C", HW17, places=(SHAOXING,), tonnage="1000"),
        offer("D", HW18, places=(ZHONGSHAN,), tonnage="5000"),
        offer("E", HW17, places=(ZHONGSHAN,)),
        offer("F", HW17, places=(HONGKONG,), tonnage="3000"),
        offer("G", HW17, places=(CHENGDU,), tonnage="5000"),
    ]
    ranked = matching.rank(subject, candidates)
    assert [(s.candidate.key, s.score) for s in ranked] == [
        ("E", 90),
        ("F", 88),
        ("A", 84),
        ("B", 82),
        ("C", 82),
        ("G", 70),
    ]
    assert ranked[2].explanation == (
        "废物类别 40/50 分：HW17 表面处理废物 属于 危险废物（上级类别涵盖下级，按 80% 计）；"
        "地区：同在广东省，广东省中山市 / 广东省广州市（同省，24/30 分）；"
        "处理能力：年处理能力 2000 吨，可覆盖需求 500 吨/年（20/20 分）。"
    )
    assert ranked[2].summary == "匹配度 84 分"


def test_a_broad_need_is_partly_covered_by_a_specialised_offer():
    """Need: 危险废物 (the parent), 中山, 500 t. Offer: HW17, 中山, 500 t:
    categories 50 × 0.6 = 30, same city 30, capacity 20 → 80."""
    [suggestion] = matching.rank(need(HAZARDOUS), [offer("X", HW17, tonnage="500")])
    assert suggestion.score == 80
    assert suggestion.reasons[0] == (
        "废物类别 30/50 分：危险废物 包含 HW17 表面处理废物（仅部分对应，按 60% 计）"
    )


def test_the_reverse_direction_scores_the_same():
    """An offer looking at needs sees the same score the need sees for the offer."""
    the_need = need(HW17, key="N")
    the_offer = offer("O", HAZARDOUS, places=(GUANGZHOU,), tonnage="2000")
    forward = matching.rank(the_need, [the_offer])[0]
    backward = matching.rank(the_offer, [the_need])[0]
    assert backward.candidate.key == "N"
    assert backward.score == forward.score == 84
    assert backward.reasons == forward.reasons


def test_ties_go_to_the_newer_candidate():
    older = offer("old", HW17, appeared=datetime(2024, 1, 1, tzinfo=UTC))
    newer = offer("new", HW17, appeared=datetime(2025, 1, 1, tzinfo=UTC))
    assert [s.candidate.key for s in matching.rank(need(HW17), [older, newer])] == ["new", "old"]


# ---------------------------------------------------------------------------------------------
# The same rules over the database


@pytest.mark.django_db
def test_suggestions_for_a_need_from_real_posts():
    """The seed's regions and waste tree; the expected order is the hand ranking above."""
    subject = make_post("need", ["hw17"], "442000", tonnage=Decimal("500"))
    a = make_post("offer", ["hazardous"], "440100", tonnage=Decimal("2000"))
    b = make_post("offer", ["hw17"], "440300", tonnage=Decimal("200"))
    c = make_post("offer", ["hw17"], "330600", tonnage=Decimal("1000"))
    make_post("offer", ["hw18"], "442000", tonnage=Decimal("5000"))  # sibling: no match
    e = make_post("offer", ["hw17"], "442000")
    make_post("offer", ["hw17"], "442000", status="pending")  # not public: never suggested
    make_post("need", ["hw17"], "442000")  # another need is no capacity
    groups = dict((g, s) for g, _h, s in selectors.suggestions_for_post(subject, limit=None))
    assert [(s.candidate.key, s.score) for s in groups["offer"]] == [
        (f"post:{e.pk}", 90),
        (f"post:{a.pk}", 84),
        (f"post:{b.pk}", 82),
        (f"post:{c.pk}", 82),
    ]


@pytest.mark.django_db
def test_offer_with_a_service_area_and_reverse_suggestions():
    """An offer in 成都 serving 广东省: for a 中山 need the served province counts (24)."""
    the_need = make_post("need", ["hw17"], "442000", tonnage=Decimal("500"))
    the_offer = make_post(
        "offer", ["hazardous"], "510100", tonnage=Decimal("800"), served=["440000"]
    )
    groups = dict((g, s) for g, _h, s in selectors.suggestions_for_post(the_offer, limit=None))
    [suggestion] = groups["need"]
    assert suggestion.candidate.key == f"post:{the_need.pk}"
    assert suggestion.score == 40 + 24 + 20


@pytest.mark.django_db
def test_technologies_and_cases_are_suggested_for_a_need():
    """A technology for 危险废物 whose provider is in 广州 (40 + 24 + 10 = 74) ranks above one for
    HW17 placed nowhere (50 + 0 + 10 = 60); a case of HW17 in 深圳 scores 50 + 24 + 10 = 84, and
    a 深圳 case of HW18 is not suggested."""
    subject = make_post("need", ["hw17"], "442000", tonnage=Decimal("500"))
    broad = TechnologyPageFactory(
        title="危险废物通用技术", waste_categories=[category("hazardous")]
    )
    TechnologyContact.objects.create(
        technology=broad, email="provider@tech.test", region=region("440100")
    )
    TechnologyPageFactory(title="表面处理废物技术", waste_categories=[category("hw17")])
    shenzhen = CityPage.objects.get(slug="shenzhen")
    case = CasePageFactory(
        parent=shenzhen, title="深圳电镀污泥经验", waste_categories=[category("hw17")]
    )
    other = CasePageFactory(
        parent=shenzhen, title="深圳飞灰经验", waste_categories=[category("hw18")]
    )
    groups = dict((g, s) for g, _h, s in selectors.suggestions_for_post(subject, limit=None))
    technologies = [(s.candidate.title, s.score) for s in groups["technology"]]
    assert technologies.index(("危险废物通用技术", 74)) < technologies.index(
        ("表面处理废物技术", 60)
    )
    cases = {s.candidate.title: s for s in groups["case"]}
    assert cases["深圳电镀污泥经验"].score == 84
    assert cases["深圳电镀污泥经验"].candidate.url == case.url
    assert other.title not in cases
    assert "处理能力：试点经验不比较处理量" in cases["深圳电镀污泥经验"].explanation


# --- issue 14: relevance uses what a technology does --------------------------------------------


@pytest.mark.django_db
def test_a_fly_ash_disposal_need_is_not_offered_supervision_platforms():
    subject = make_post(
        kind="need",
        categories=("hw18",),
        region_code="440300",
        title="生活垃圾焚烧飞灰安全处置需求",
        description="每年约两千吨飞灰需要无害化处置，寻求有资质的处置单位或技术。",
    )
    groups = dict((g, s) for g, _h, s in selectors.suggestions_for_post(subject, limit=None))
    technologies = {s.candidate.title: s for s in groups["technology"]}
    assert "等离子气化飞灰无害化与资源化技术" in technologies
    for platform in (
        "危险废物“一物一码”信息化管理",
        "重点类别固体废物全过程闭合监管信息化管理平台",
        "固废治理数字化智治平台",
    ):
        assert platform not in technologies
    plasma = technologies["等离子气化飞灰无害化与资源化技术"]
    assert "处理环节：处置 对应（对方：利用、处置）" in plasma.explanation


def test_stage_fit_excludes_only_when_both_sides_name_stages():
    assert matching.stage_fit(("处置",), ("监管",))[0] is False
    assert matching.stage_fit(("处置",), ("利用", "处置")) == (
        True,
        "处理环节：处置 对应（对方：利用、处置）",
    )
    assert matching.stage_fit((), ("监管",)) == (True, None)
    assert matching.stage_fit(("处置",), ()) == (True, None)


@pytest.mark.django_db
def test_post_stages_come_from_its_words():
    assert selectors.stages_in_text("飞灰安全填埋") == ("处置",)
    assert selectors.stages_in_text("废盐资源化利用与转运") == ("运输", "利用")
    assert selectors.stages_in_text("测试用说明文字") == ()
