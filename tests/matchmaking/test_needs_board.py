"""The needs-and-capacities board: posting, moderation, the public list and detail, the poster's
private page."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from mm_helpers import TEST_EMAIL, TEST_PHONE, board_data, category, make_post, region

from matchmaking import services
from matchmaking.models import BoardPost

NEW = "/matchmaking/board/new/"


def private_link(message) -> str:
    return re.search(r"http://\S+(/matchmaking/board/manage/[^/\s]+/)", message.body).group(1)


def test_a_need_is_stored_pending_and_the_poster_gets_a_private_link(client, mm_settings):
    response = client.post(NEW, board_data())
    assert response.status_code == 302 and response["Location"] == "/matchmaking/board/thanks/"
    post = BoardPost.objects.get()
    assert post.status == BoardPost.Status.PENDING
    assert post.kind == "need" and post.annual_tonnage == Decimal("500")
    assert list(post.waste_categories.all()) == [category("hw17")]
    assert post.region.code == "442000"
    assert len(post.token) >= 40

    received, moderation = mail.outbox
    assert received.to == [TEST_EMAIL]
    link = private_link(received)
    assert link == post.get_private_url()
    assert moderation.to == ["moderation@platform.test"]
    assert f"/admin/matchmaking/board/{post.pk}/" in moderation.body
    assert TEST_PHONE not in moderation.body  # the moderator reads contacts in the admin

    # Not public until approved …
    assert client.get(post.get_absolute_url()).status_code == 404
    assert post.title not in client.get("/matchmaking/board/").content.decode()
    # … but the poster sees its status and suggestions.
    private = client.get(link)
    assert private.status_code == 200
    assert "待审核" in private.content.decode()
    assert private["X-Robots-Tag"] == "noindex, nofollow"
    assert private["Referrer-Policy"] == "no-referrer"
    assert "no-cache" in private["Cache-Control"] or "max-age=0" in private["Cache-Control"]


def test_guessed_tokens_find_nothing(client, db):
    post = make_post(status="pending")
    assert client.get(f"/matchmaking/board/manage/{post.token[:-1]}x/").status_code == 404
    assert client.get("/matchmaking/board/manage/short/").status_code == 404


def test_approval_publishes_the_post_and_tells_the_poster(client, django_user_model, db):
    moderator = django_user_model.objects.create_superuser("mod", "mod@platform.test", "pw")
    post = make_post(status="pending")
    services.approve_post(post, moderator, "资料齐全")
    assert post.status == BoardPost.Status.APPROVED and post.approved_at
    [decision] = mail.outbox
    assert decision.to == [TEST_EMAIL] and "已发布" in decision.subject
    assert f"/matchmaking/board/{post.pk}/" in decision.body
    assert client.get(post.get_absolute_url()).status_code == 200


def test_rejection_keeps_the_post_private(client, django_user_model, db):
    moderator = django_user_model.objects.create_superuser("mod", "mod@platform.test", "pw")
    post = make_post(status="pending")
    services.reject_post(post, moderator, "请补充危险废物经营许可证信息")
    assert "未通过" in mail.outbox[0].subject and "请补充" in mail.outbox[0].body
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "请补充危险废物经营许可证信息" in client.get(post.get_private_url()).content.decode()


def test_an_offer_with_service_area_and_licence(client, mm_settings):
    data = board_data(
        kind="offer",
        title="广州危废综合处置中心 年处理能力 2 万吨",
        waste_categories=[str(category("hazardous").pk)],
        annual_tonnage="20000",
        region=str(region("440100").pk),
        regions_served=[str(region("440000").pk)],
        licence_number="粤危废经第 4401001 号",
    )
    assert client.post(NEW, data).status_code == 302
    post = BoardPost.objects.get()
    assert post.kind == "offer" and post.licence_number.startswith("粤危废")
    assert [r.code for r in post.regions_served.all()] == ["440000"]


def test_a_need_drops_service_area_and_licence(client, db):
    data = board_data(licence_number="不该保存", regions_served=[str(region("440000").pk)])
    client.post(NEW, data)
    post = BoardPost.objects.get()
    assert post.licence_number == "" and not post.regions_served.exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("kind", "", "请选择信息类型。"),
        ("title", "", "请填写标题。"),
        ("title", "标" * 121, "标题最多 120 个字（现在 121 个）。"),
        ("waste_categories", [], "请选择废物类别。"),
        ("annual_tonnage", "-5", "数量（吨/年）应大于 0。"),
        ("annual_tonnage", "很多", "数量（吨/年）请填写数字。"),
        ("description", "短", "详细说明至少 10 个字（现在 1 个）。"),
        ("email", "", "请填写电子邮箱。"),
        ("credit_code", "91442000MA4UL8K2X0", "统一社会信用代码校验位不正确，请核对后重新填写。"),
        ("phone", "0760-1", "请填写正确的手机号（11 位）或带区号的固定电话，例如 0760-88881234。"),
    ],
)
def test_each_invalid_board_field_gets_its_own_error(client, db, field, value, message):
    response = client.post(NEW, board_data(**{field: value}))
    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert not BoardPost.objects.exists()
    assert mail.outbox == []


def test_too_many_categories_are_refused(client, db):
    from cases.models import WasteCategory

    ids = [str(pk) for pk in WasteCategory.objects.values_list("pk", flat=True)[:11]]
    response = client.post(NEW, board_data(waste_categories=ids))
    assert response.context["form"].errors == {"waste_categories": ["最多选择 10 个废物类别。"]}


def test_board_honeypot_and_rate_limit(client, db):
    response = client.post(NEW, board_data(website="buy cheap"))
    assert response.status_code == 302 and not BoardPost.objects.exists()
    assert mail.outbox == []
    client.post(NEW, board_data())
    client.post(NEW, board_data())
    response = client.post(NEW, board_data())
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert BoardPost.objects.count() == 2


def test_board_form_needs_csrf(db):
    assert Client(enforce_csrf_checks=True).post(NEW, board_data()).status_code == 403
    assert not BoardPost.objects.exists()


def test_public_list_filters_by_kind_category_and_region(client, db):
    need_zs = make_post("need", ["hw17"], "442000", title="中山电镀污泥需处置")
    offer_gz = make_post("offer", ["hazardous"], "440100", title="广州综合处置能力")
    offer_sx = make_post("offer", ["hw18"], "330600", title="绍兴飞灰处置能力")
    served = make_post("offer", ["hw08"], "510100", title="成都废矿物油利用", served=["440000"])
    make_post("need", ["hw17"], "442000", title="待审核需求", status="pending")

    def titles(query=""):
        html = client.get(f"/matchmaking/board/{query}").content.decode()
        return {p.title for p in (need_zs, offer_gz, offer_sx, served) if p.title in html} | (
            {"待审核需求"} if "待审核需求" in html else set()
        )

    assert titles() == {need_zs.title, offer_gz.title, offer_sx.title, served.title}
    assert titles("?kind=need") == {need_zs.title}
    # 危险废物 includes HW17, HW18 and HW08.
    assert titles("?waste=hazardous&kind=offer") == {offer_gz.title, offer_sx.title, served.title}
    assert titles("?waste=hw18") == {offer_sx.title}
    # 广东省 finds posts located there and the 成都 offer that serves it.
    assert titles("?region=440000") == {need_zs.title, offer_gz.title, served.title}
    # 中山市: located there, or serving its province.
    assert titles("?region=442000") == {need_zs.title, served.title}
    assert titles("?region=长三角") == {offer_sx.title}
    bad = client.get("/matchmaking/board/?waste=nonsense")
    assert bad.status_code == 400


def test_public_detail_shows_facts_and_ranked_suggestions_without_contacts(client, db):
    subject = make_post("need", ["hw17"], "442000", tonnage=Decimal("500"), title="中山电镀污泥")
    make_post("offer", ["hazardous"], "440100", tonnage=Decimal("2000"), title="广州危废中心")
    make_post("offer", ["hw17"], "442000", title="中山本地处置")
    html = client.get(subject.get_absolute_url()).content.decode()
    assert "匹配推荐" in html
    assert html.index("中山本地处置") < html.index("广州危废中心")  # 90 before 84
    assert "匹配度 84 分" in html
    assert "HW17 表面处理废物 属于 危险废物（上级类别涵盖下级，按 80% 计）" in html
    assert "500 吨/年" in html
    assert TEST_EMAIL not in html and TEST_PHONE not in html
    assert subject.organisation not in html  # show_organisation is off
    assert "企业" in html  # … the organisation type is shown instead


def test_organisation_name_is_public_only_when_the_poster_chose_so(client, db):
    post = make_post(show_organisation=True, organisation="中山公开电镀厂")
    assert "中山公开电镀厂" in client.get(post.get_absolute_url()).content.decode()


def test_poster_can_withdraw_from_the_private_page(client, db):
    post = make_post()
    response = client.post(post.get_private_url(), {"action": "withdraw"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == BoardPost.Status.WITHDRAWN
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "已撤回" in client.get(post.get_private_url()).content.decode()


def test_private_page_shows_the_posters_suggestions_while_pending(client, db):
    post = make_post("need", ["hw17"], "442000", status="pending", tonnage=Decimal("500"))
    make_post("offer", ["hw17"], "442000", title="中山本地处置能力", tonnage=Decimal("800"))
    html = client.get(post.get_private_url()).content.decode()
    assert "中山本地处置能力" in html and "匹配度 100 分" in html
    assert "地区：同在广东省中山市（同城，30/30 分）" in html


def test_private_page_actions_are_rate_limited(client, db):
    post = make_post()
    for _ in range(10):
        client.post(post.get_private_url(), {"action": "noop"})
    assert client.post(post.get_private_url(), {"action": "withdraw"}).status_code == 429
    post.refresh_from_db()
    assert post.status == BoardPost.Status.APPROVED


@pytest.mark.parametrize(
    "field, text",
    [
        ("description", "有意者请致电 139 1234 5678 联系张经理，长期合作。"),
        ("description", "详情请发邮件至 boss@plating.test 索取检测报告。"),
        ("description", "欢迎来电 0760-88881234 洽谈处置价格和运输。"),
        ("title", "HW17 污泥处置 加微信详谈"),
    ],
)
def test_contact_details_in_public_text_are_refused(client, db, field, text):
    response = client.post(NEW, board_data(**{field: text}))
    assert response.status_code == 400
    assert "请勿填写电话、邮箱或微信" in response.context["form"].errors[field][0]
    assert not BoardPost.objects.exists()


def test_figures_in_public_text_are_not_mistaken_for_phones(client, db):
    text = "年产生量 20000 吨，2021-03-06 起分类贮存，许可证 4401001 号，HW17。"
    assert client.post(NEW, board_data(description=text)).status_code == 302
