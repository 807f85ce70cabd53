"""Email notifications of the publishing workflow.

Wagtail already emails the editor who submitted a page when it is approved or rejected (with the
reviewer's comment) and the reviewers when a page is submitted (WAGTAILADMIN_NOTIFICATION_*
settings; the email backend is Django's: console in development, SMTP from EMAIL_URL in
production). A bulk import submits many pages at once: inside `batched()` Wagtail's
per-page "submitted" emails are held back and `send_import_summary()` sends each reviewer one
email listing the pages.
"""

import contextlib
import contextvars

from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.admin.mail import send_mail
from wagtail.models import GroupApprovalTask
from wagtail.users.models import UserProfile

from cases import sites

_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "publishing_suppress_submitted_emails", default=False
)


def suppressed() -> bool:
    return _suppressed.get()


@contextlib.contextmanager
def batched():
    """Hold back Wagtail's per-page "submitted for moderation" emails inside the block."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def reviewers_of(page) -> set:
    """Active users with an email in the groups of the tasks of the page's workflow."""
    workflow = page.get_workflow()
    if workflow is None:
        return set()
    tasks = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow)
    users = get_user_model().objects.filter(
        groups__in=[g for t in tasks for g in t.groups.all()], is_active=True
    )
    return {u for u in users.exclude(email="").distinct()}


def send_import_summary(pages: list, submitted_by) -> int:
    """One email per reviewer naming the imported pages awaiting their review; returns the
    number of emails sent."""
    by_reviewer: dict = {}
    for page in pages:
        for user in reviewers_of(page):
            if submitted_by is not None and user.pk == submitted_by.pk:
                continue
            by_reviewer.setdefault(user, []).append(page)
    base_url = sites.base_url()
    who = (submitted_by.get_full_name() or submitted_by.get_username()) if submitted_by else "系统"
    sent = 0
    for user, user_pages in by_reviewer.items():
        if not UserProfile.get_for_user(user).submitted_notifications:
            continue
        cities = "、".join(dict.fromkeys(str(p.get_parent()) for p in user_pages))
        subject = f"【待审核】{who} 批量导入了 {len(user_pages)} 个页面（{cities}）"
        lines = [
            f"{user.get_full_name() or user.get_username()}，您好：",
            "",
            f"{who} 通过批量导入提交了以下 {len(user_pages)} 个页面，等待您审核：",
            "",
        ]
        lines += [
            f"· {p.title}  {base_url}{reverse('wagtailadmin_pages:edit', args=[p.pk])}"
            for p in user_pages
        ]
        lines += ["", f"待审核列表：{base_url}{reverse('wagtailadmin_home')}"]
        send_mail(subject, "\n".join(lines), [user.email])
        sent += 1
    return sent
