"""The permission matrix: every role × action × (own city 绍兴市, other city 深圳市).

The table EXPECTED is the documentation of who may do what. Each action is done the way a person
does it — through the Wagtail admin views (explorer, add/edit forms, workflow actions, page,
image and document choosers and uploads, the bulk import view) — and the test checks the
outcome, not just the status code.
"""

import json

import pytest
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Collection, Revision

from cases.factories import CasePageFactory
from cases.models import CasePage

pytestmark = pytest.mark.django_db

T, F = True, False
ROLES = ["国家管理员", "国家审核", "绍兴 编辑", "绍兴 审核", "匿名"]

# action: {role: (own city 绍兴市, other city 深圳市)}
EXPECTED = {
    "浏览城市页面树": {
        "国家管理员": (T, T),
        "国家审核": (T, T),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "页面树中看到草稿": {
        "国家管理员": (T, T),
        "国家审核": (T, T),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "页面选择器中看到草稿": {
        "国家管理员": (T, T),
        "国家审核": (T, T),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "页面选择器中看到已发布页面": {
        "国家管理员": (T, T),
        "国家审核": (T, T),
        "绍兴 编辑": (T, T),
        "绍兴 审核": (T, T),
        "匿名": (F, F),
    },
    "预览草稿": {
        "国家管理员": (T, T),
        "国家审核": (T, T),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "打开新建表单": {
        "国家管理员": (T, T),
        "国家审核": (F, F),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "新建试点经验": {
        "国家管理员": (T, T),
        "国家审核": (F, F),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "编辑试点经验": {
        "国家管理员": (T, T),
        "国家审核": (F, F),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "直接发布": {
        "国家管理员": (T, T),
        "国家审核": (F, F),
        "绍兴 编辑": (F, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "审核通过": {
        "国家管理员": (T, T),
        "国家审核": (T, T),
        "绍兴 编辑": (F, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "打开待审核页面": {
        "国家管理员": (T, T),
        "国家审核": (T, T),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "修订历史": {
        "国家管理员": (T, T),
        "国家审核": (F, F),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "图片选择器中看到": {
        "国家管理员": (T, T),
        "国家审核": (T, T),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "上传图片到城市图库": {
        "国家管理员": (T, T),
        "国家审核": (F, F),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "文档选择器中看到": {
        "国家管理员": (T, T),
        "国家审核": (T, T),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "上传文档到城市文库": {
        "国家管理员": (T, T),
        "国家审核": (F, F),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
    "打开批量导入": {
        "国家管理员": (T, T),
        "国家审核": (F, F),
        "绍兴 编辑": (T, T),
        "绍兴 审核": (T, T),
        "匿名": (F, F),
    },
    "导入到该城市": {
        "国家管理员": (T, T),
        "国家审核": (F, F),
        "绍兴 编辑": (T, F),
        "绍兴 审核": (T, F),
        "匿名": (F, F),
    },
}


class Scene:
    """A city's pages, image and document, made on first use (before the request that needs
    them, so the user under test never creates them)."""

    def __init__(self, city, terms, make_user, files):
        self.city, self.terms, self.files, self.make_user = city, terms, files, make_user
        self.collection = Collection.objects.get(name=city.title, depth=2)

    def _case(self, title, slug, live=True):
        return CasePageFactory(
            parent=self.city,
            title=f"{self.city.title}{title}",
            slug=slug,
            governance_model=self.terms["model"],
            waste_categories=[self.terms["waste"]],
            live=live,
        )

    @cached_property
    def case(self):
        return self._case("已发布经验", "matrix-live")

    @cached_property
    def draft(self):
        return self._case("未发布草稿", "matrix-draft", live=False)

    @cached_property
    def submitted(self):
        """A draft submitted to the city's workflow by one of the city's editors."""
        page = self._case("待审核经验", "matrix-submitted", live=False)
        submitter = self.make_user(f"submitter-{self.city.slug}", f"{self.city.title} 编辑")
        page.get_workflow().start(page, submitter)
        return page

    @cached_property
    def image(self):
        return Image.objects.create(
            title=f"{self.city.title}图片",
            file=self.files.file("scene.png", self.files.png()),
            collection=self.collection,
        )

    @cached_property
    def document(self):
        return Document.objects.create(
            title=f"{self.city.title}文件",
            file=self.files.file("scene.pdf", b"%PDF-1.4\n%scene\n%%EOF\n"),
            collection=self.collection,
        )


def _explore(client, s):
    return client.get(f"/admin/pages/{s.city.pk}/").status_code == 200


def _html(response) -> str:
    """The HTML of an admin response; choosers answer with JSON holding it."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.loads(response.content).get("html", "")
    return response.content.decode()


def _explorer_shows_draft(client, s):
    # Listed when exploring the city, or found by the admin page search.
    link = f'id="page_{s.draft.pk}_title"'
    listing = _html(client.get(f"/admin/pages/{s.city.pk}/", follow=True))
    search = _html(client.get("/admin/pages/search/", {"q": s.draft.title}, follow=True))
    return link in listing or link in search


def _chooser_shows(client, page, city):
    browse = _html(client.get(f"/admin/choose-page/{city.pk}/", follow=True))
    return f'data-id="{page.pk}"' in browse


def _view_draft(client, s):
    # The preview itself currently fails with a 500 for every case page (CasePage.get_context
    # calls .live() on a revision's technologies; see test_workflow.py), so what is checked here
    # is that the permission check lets the user through (neither 403 nor a redirect away).
    client.raise_request_exception = False
    try:
        status = client.get(f"/admin/pages/{s.draft.pk}/view_draft/").status_code
    finally:
        client.raise_request_exception = True
    return status not in (302, 403, 404)


def _open_submitted(client, s):
    # A page awaiting review opens in the editor for its reviewers (even those without edit
    # rights) and for its city's editors.
    return client.get(f"/admin/pages/{s.submitted.pk}/edit/").status_code == 200


def _add_form(client, s):
    return client.get(f"/admin/pages/add/cases/casepage/{s.city.pk}/").status_code == 200


def _add_case(client, s, form_data, case_fields):
    url = f"/admin/pages/add/cases/casepage/{s.city.pk}/"
    if client.get(url).status_code != 200:
        client.post(url, {"title": "矩阵新建", "slug": "matrix-new"})
    else:
        client.post(
            url, form_data(client, url, **case_fields("矩阵新建", s.terms, slug="matrix-new"))
        )
    return CasePage.objects.filter(title="矩阵新建", path__startswith=s.city.path).exists()


def _edit_case(client, s, form_data, case_fields, action=None):
    url = f"/admin/pages/{s.case.pk}/edit/"
    title = "矩阵修改后的标题"
    if client.get(url).status_code != 200:
        client.post(url, {"title": title, **({action: "1"} if action else {})})
    else:
        extra = {action: "1"} if action else {}
        client.post(url, form_data(client, url, **case_fields(title, s.terms), **extra))
    if action == "action-publish":
        return CasePage.objects.get(pk=s.case.pk).title == title
    return Revision.page_revisions.filter(object_id=str(s.case.pk), content__title=title).exists()


def _approve(client, s):
    state = s.submitted.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(s.submitted.pk, "approve", state.pk))
    client.post(url, {"comment": "同意发布"})
    return CasePage.objects.get(pk=s.submitted.pk).live


def _history(client, s):
    return client.get(f"/admin/pages/{s.case.pk}/history/").status_code == 200


def _image_chooser(client, s):
    return s.image.title in _html(client.get("/admin/images/chooser/", follow=True))


def _upload_image(client, s):
    client.post(
        "/admin/images/add/",
        {
            "title": "矩阵上传图片",
            "file": s.files.file("upload.png", s.files.png(), "image/png"),
            "collection": s.collection.pk,
        },
    )
    return Image.objects.filter(title="矩阵上传图片", collection=s.collection).exists()


def _document_chooser(client, s):
    return s.document.title in _html(client.get("/admin/documents/chooser/", follow=True))


def _upload_document(client, s):
    client.post(
        "/admin/documents/add/",
        {
            "title": "矩阵上传文件",
            "file": s.files.file("upload.pdf", b"%PDF-1.4\n%matrix\n%%EOF\n", "application/pdf"),
            "collection": s.collection.pk,
        },
    )
    return Document.objects.filter(title="矩阵上传文件", collection=s.collection).exists()


def _open_import(client, s):
    return client.get("/admin/publishing/import/").status_code == 200


def _import_case(client, s):
    record = {
        "type": "case",
        "external_id": "matrix-import-01",
        "title": "矩阵导入经验",
        "city": s.city.title,
        "governance_model": "危险废物治理模式",
        "waste_categories": ["危险废物"],
        "summary": "矩阵导入的摘要。",
    }
    content = (json.dumps(record, ensure_ascii=False) + "\n").encode()
    response = client.post(
        "/admin/publishing/import/", {"file": s.files.file("cases.jsonl", content)}
    )
    if response.status_code == 200 and response.context and response.context.get("confirm_form"):
        token = response.context["confirm_form"].initial["token"]
        client.post(reverse("publishing:confirm"), {"token": token})
    return CasePage.objects.filter(
        external_id="matrix-import-01", path__startswith=s.city.path
    ).exists()


ACTIONS = {
    "浏览城市页面树": lambda c, s, **k: _explore(c, s),
    "页面树中看到草稿": lambda c, s, **k: _explorer_shows_draft(c, s),
    "页面选择器中看到草稿": lambda c, s, **k: _chooser_shows(c, s.draft, s.city),
    "页面选择器中看到已发布页面": lambda c, s, **k: _chooser_shows(c, s.case, s.city),
    "预览草稿": lambda c, s, **k: _view_draft(c, s),
    "打开新建表单": lambda c, s, **k: _add_form(c, s),
    "新建试点经验": lambda c, s, **k: _add_case(c, s, k["form_data"], k["case_fields"]),
    "编辑试点经验": lambda c, s, **k: _edit_case(c, s, k["form_data"], k["case_fields"]),
    "直接发布": lambda c, s, **k: _edit_case(
        c, s, k["form_data"], k["case_fields"], action="action-publish"
    ),
    "审核通过": lambda c, s, **k: _approve(c, s),
    "打开待审核页面": lambda c, s, **k: _open_submitted(c, s),
    "修订历史": lambda c, s, **k: _history(c, s),
    "图片选择器中看到": lambda c, s, **k: _image_chooser(c, s),
    "上传图片到城市图库": lambda c, s, **k: _upload_image(c, s),
    "文档选择器中看到": lambda c, s, **k: _document_chooser(c, s),
    "上传文档到城市文库": lambda c, s, **k: _upload_document(c, s),
    "打开批量导入": lambda c, s, **k: _open_import(c, s),
    "导入到该城市": lambda c, s, **k: _import_case(c, s),
}


# What each action works on (made before logging in).
NEEDS = {
    "页面树中看到草稿": ["draft"],
    "页面选择器中看到草稿": ["draft"],
    "页面选择器中看到已发布页面": ["case"],
    "预览草稿": ["draft"],
    "编辑试点经验": ["case"],
    "直接发布": ["case"],
    "审核通过": ["submitted"],
    "打开待审核页面": ["submitted"],
    "修订历史": ["case"],
    "图片选择器中看到": ["image"],
    "文档选择器中看到": ["document"],
}


def test_the_matrix_covers_every_role_and_action():
    assert set(EXPECTED) == set(ACTIONS)
    for action, row in EXPECTED.items():
        assert set(row) == set(ROLES), action


@pytest.mark.parametrize("target", ["本市", "他市"])
@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(
    role,
    action,
    target,
    client,
    role_user,
    make_user,
    shaoxing,
    shenzhen,
    terms,
    files,
    form_data,
    case_fields,
):
    city = shaoxing if target == "本市" else shenzhen
    scene = Scene(city, terms, make_user, files)
    for part in NEEDS.get(action, ()):
        getattr(scene, part)
    user = role_user(role)
    if user is not None:
        client.force_login(user)
    allowed = ACTIONS[action](client, scene, form_data=form_data, case_fields=case_fields)
    expected = EXPECTED[action][role][0 if target == "本市" else 1]
    assert allowed is expected, f"{role} · {action} · {target}：应为 {expected}，实际 {allowed}"


def test_the_page_chooser_search_hides_other_cities_drafts_too(
    rf, role_user, shaoxing, shenzhen, terms, make_user, files
):
    from wagtail.models import Page

    from publishing.wagtail_hooks import hide_other_cities_drafts

    own, other = Scene(shaoxing, terms, make_user, files), Scene(shenzhen, terms, make_user, files)
    pages = [own.draft, own.case, other.draft, other.case]  # made before the queries below
    assert all(p.pk for p in pages)
    request = rf.get("/admin/choose-page/search/")
    request.user = role_user("绍兴 编辑")
    visible = set(
        hide_other_cities_drafts(Page.objects.all(), request).values_list("pk", flat=True)
    )
    assert {own.draft.pk, own.case.pk, other.case.pk} <= visible
    assert other.draft.pk not in visible
    request.user = role_user("国家审核")
    visible = set(
        hide_other_cities_drafts(Page.objects.all(), request).values_list("pk", flat=True)
    )
    assert {own.draft.pk, other.draft.pk} <= visible
