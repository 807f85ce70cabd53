"""The public self-assessment form: generated from the indicators, validated (never a 500),
saved behind a private link, printable, with related cases for the weakest indicators."""

import pytest
from django.urls import reverse

from cases.models import StandardPage
from standards.factories import make_standard
from standards.models import SelfAssessment

pytestmark = pytest.mark.django_db

ALL_FULL = {
    "ind_A1": "yes",
    "ind_A2": "0",
    "ind_B1": "0",
    "ind_B2": "yes",
    "elig_0": "on",
    "elig_1": "on",
}


@pytest.fixture
def standard():
    return make_standard()


def _url(standard):
    return reverse("standards:assess", args=[standard.pk])


def test_form_lists_every_indicator_and_question(client, standard):
    html = client.get(_url(standard)).content.decode()
    for name in ("ind_A1", "ind_A2", "ind_B1", "ind_B2", "elig_0", "elig_1", "veto_0", "bonus"):
        assert f'name="{name}"' in html
    assert "优（20.0 分）" in html


def test_valid_submission_is_saved_behind_a_private_link(client, standard):
    response = client.post(_url(standard), {**ALL_FULL, "ind_A2": "1", "ind_B1": "3"})
    assert response.status_code == 302
    saved = SelfAssessment.objects.get()
    assert len(saved.token) >= 20 and response.url.endswith(f"/{saved.token}/")
    assert saved.result["total"] == "80.0" and saved.result["passed"] is True
    page = client.get(response.url)
    html = page.content.decode()
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex"
    assert "达到达标分数线" in html and "data-print" in html
    assert "A2 管理台账" in html  # among the weakest indicators
    assert client.get("/cells/assessment/not-a-token/").status_code == 404


def test_veto_and_bonus_cap_reach_the_result(client, standard):
    response = client.post(_url(standard), {**ALL_FULL, "veto_0": "on", "bonus": ["X1", "X2"]})
    result = SelfAssessment.objects.get(token=response.url.rstrip("/").rsplit("/", 1)[1]).result
    assert result["total"] == "105.0" and result["bonus"] == "5.0"
    assert result["passed"] is False and result["veto_hits"] == ["发生固体废物污染事件"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ind_A1": None}, "请回答指标 A1"),
        ({"ind_A2": "7"}, "ind_A2"),
        ({"ind_B1": "-2"}, "ind_B1"),
        ({"ind_ZZ9": "yes"}, "没有编号为 ZZ9 的指标"),
        ({"bonus": ["X9"]}, "bonus"),
    ],
)
def test_invalid_submissions_are_form_errors(client, standard, change, message):
    data = {**ALL_FULL, **change}
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(_url(standard), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "提交的答案有误" in html
    assert message in html or response.context["form"].errors.get(message)
    assert not SelfAssessment.objects.exists()


def test_optional_indicator_may_stay_unanswered(client, standard):
    data = {k: v for k, v in ALL_FULL.items() if k != "ind_B2"}
    response = client.post(_url(standard), data)
    assert response.status_code == 302
    result = SelfAssessment.objects.get().result
    assert result["total"] == "60.0" and result["unanswered"] == ["B2"]


def test_standards_without_a_scorecard_or_unpublished_have_no_form(client, standard):
    honest = StandardPage.objects.get(external_id="seed-std-tongling-school")
    assert client.get(_url(honest)).status_code == 404
    standard.unpublish()
    assert client.get(_url(standard)).status_code == 404


def test_example_scorecards_are_labelled_on_the_page(client):
    examples = StandardPage.objects.filter(is_example=True)
    assert {s.cell_type for s in examples} >= {"school", "community", "hospital"}
    for standard in examples:
        html = client.get(standard.url).content.decode()
        assert "示例：本评分表是为试用平台编写的示例，不是已发布的标准。" in html
        assert "按本标准自评" in html and "@media print" not in html
        assert "示例" in client.get(_url(standard)).content.decode()
    hospital = examples.get(cell_type="hospital")
    names = [d.value["name"] for d in hospital.dimensions]
    assert names == ["组织管理", "医院环境", "医废管理", "污水处置", "可回收物管理", "信息宣传"]
    assert "金华" in client.get(hospital.url).content.decode()


def test_tongling_standards_stay_honest(client):
    for standard in StandardPage.objects.filter(external_id__startswith="seed-std-tongling"):
        assert not standard.dimensions and not standard.is_example
        assert standard.pass_threshold is None
        assert "按本标准自评" not in client.get(standard.url).content.decode()
