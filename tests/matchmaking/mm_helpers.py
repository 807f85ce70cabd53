"""Helpers of the matchmaking tests (a uniquely named module: the test folders have no
__init__.py, so a second `conftest` import would clash).

The seed (loaded once per session, see tests/conftest.py) provides the regions (中山市 442000,
广州市 440100, 深圳市 440300 …), the waste tree (危险废物 → HW17, HW18 …) and the pilot cities with
their cases. The contact details below are made up and unique, so a test can search every public
page for them.
"""

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from cases.models import CityPage, Region, WasteCategory
from matchmaking.models import BoardPost

TEST_EMAIL = "zhang.mimi@zs-plating.test"
TEST_PHONE = "13912345678"
TEST_NAME = "张秘密"
TEST_ORG = "中山市保密电镀有限公司"

# 3^i mod 31 for i = 0 … 16, typed from GB 32100-2015 table 2 rather than computed, so the test
# generator does not share code with the implementation under test.
GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
GB32100_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_credit_code(first17: str) -> str:
    """A valid 统一社会信用代码 from its first 17 characters (the tests' own generator)."""
    total = sum(GB32100_CHARSET.index(c) * w for c, w in zip(first17, GB32100_WEIGHTS, strict=True))
    return first17 + GB32100_CHARSET[(31 - total % 31) % 31]


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def category(slug: str) -> WasteCategory:
    return WasteCategory.objects.get(slug=slug)


def make_city_staff(django_user_model, city: CityPage, username: str, email: str = ""):
    """A staff user in a group with Wagtail's change permission on `city` (and admin access),
    like the per-city editor groups (“绍兴市 编辑”)."""
    group = Group.objects.create(name=f"{city.title} 编辑（测试）")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(group=group, page=city, permission_type="change")
    user = django_user_model.objects.create_user(
        username=username, password="pw", email=email or f"{username}@city.test"
    )
    user.groups.add(group)
    return user


def inquiry_data(**overrides) -> dict:
    """POST data of a valid inquiry: a 中山 plating company with HW17 waste."""
    data = {
        "organisation": TEST_ORG,
        "organisation_type": "enterprise",
        "credit_code": make_credit_code("91442000MA4UL8K2X"),
        "contact_name": TEST_NAME,
        "phone": TEST_PHONE,
        "email": TEST_EMAIL,
        "region": str(region("442000").pk),
        "waste_categories": [str(category("hw17").pk)],
        "purpose": "disposal",
        "message": "我司每年产生表面处理废物约 500 吨，本地无处置能力，希望了解贵市的处置经验与合作机会。",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def board_data(**overrides) -> dict:
    data = {
        "kind": "need",
        "title": "HW17 表面处理废物 500 吨/年 寻求处置",
        "waste_categories": [str(category("hw17").pk)],
        "annual_tonnage": "500",
        "region": str(region("442000").pk),
        "description": "电镀生产线产生的含重金属污泥，已分类贮存，寻求有资质的单位处置。",
        "organisation": TEST_ORG,
        "organisation_type": "enterprise",
        "credit_code": "",
        "contact_name": TEST_NAME,
        "phone": TEST_PHONE,
        "email": TEST_EMAIL,
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def make_post(
    kind="need",
    categories=("hw17",),
    region_code="442000",
    tonnage=None,
    status=BoardPost.Status.APPROVED,
    served=(),
    **fields,
) -> BoardPost:
    """A board post saved directly (approved by default), with the test contact details."""
    values = {
        "title": f"测试{kind} {'、'.join(categories)} {region_code}",
        "organisation": TEST_ORG,
        "organisation_type": "enterprise",
        "contact_name": TEST_NAME,
        "phone": TEST_PHONE,
        "email": TEST_EMAIL,
        "description": "测试用供需信息说明文字。",
        "approved_at": timezone.now() if status == BoardPost.Status.APPROVED else None,
    }
    values.update(fields)
    post = BoardPost.objects.create(
        kind=kind, region=region(region_code), annual_tonnage=tonnage, status=status, **values
    )
    post.waste_categories.set([category(slug) for slug in categories])
    post.regions_served.set([region(code) for code in served])
    return post
