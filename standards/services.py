"""Write side of the cell layer: saved self-assessments, applications and their evaluation,
recognition and revocation, versions and derived standards, expiry management."""

import datetime
import logging

from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cases.models import StandardPage
from publishing.roles import editor_group_name
from standards import register_cache, search_documents
from standards.models import Application, Cell, Evidence, SelfAssessment

logger = logging.getLogger(__name__)
REMINDER_DAYS = 90


def save_assessment(standard, answers: dict, result) -> SelfAssessment:
    return SelfAssessment.objects.create(
        standard=standard, answers=answers, result=result.as_json()
    )


@transaction.atomic
def submit_application(standard, data: dict, files, assessment=None) -> Application:
    application = Application.objects.create(
        standard=standard,
        city=data["city"],
        assessment=assessment,
        unit_name=data["unit_name"],
        district=data.get("district", ""),
        address=data.get("address", ""),
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        contact_email=data.get("contact_email", ""),
        commitment=bool(data.get("commitment")),
    )
    for f in files:
        evidence = Evidence(application=application, name=f.name[:200], size=f.size or 0)
        evidence.file.save(f.name, f, save=False)
        evidence.save()
    return application


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def certificate_number(application: Application, on: datetime.date) -> str:
    region = getattr(application.city.region, "code", "") or str(application.city_id)
    return f"WFXB-{region}-{on.year}-{application.pk:06d}"


@transaction.atomic
def evaluate(application: Application, form, user) -> Cell | None:
    """Store the reviewer's scores; recognise (creating the register entry) or return."""
    application.review = form.review_data()
    application.review_total = form.result.total
    application.review_comment = form.cleaned_data.get("review_comment", "")
    application.reviewed_by = user if getattr(user, "pk", None) else None
    application.reviewed_at = timezone.now()
    if form.cleaned_data["decision"] != "recognise":
        application.status = Application.Status.RETURNED
        application.save()
        return None
    application.status = Application.Status.RECOGNISED
    application.save()
    standard = application.standard
    today = timezone.localdate()
    return Cell.objects.create(
        certificate_number=certificate_number(application, today),
        name=application.unit_name,
        cell_type=standard.cell_type,
        city=application.city,
        district=application.district,
        standard=standard,
        standard_title=standard.title,
        standard_version=standard.version,
        score=form.result.total,
        recognised_on=today,
        expires_on=add_years(today, standard.validity_years) if standard.validity_years else None,
        application=application,
    )


def revoke(cell: Cell, reason: str) -> Cell:
    if not reason.strip():
        raise ValueError("撤销需要说明原因")
    cell.status = Cell.Status.REVOKED
    cell.revoked_reason = reason.strip()
    cell.revoked_on = timezone.localdate()
    cell.save(update_fields=["status", "revoked_reason", "revoked_on"])
    return cell


# --- versions and derived standards -------------------------------------------------------


def _copy(page: StandardPage, parent, user, **attrs) -> StandardPage:
    base = slugify(attrs.get("slug") or page.slug, allow_unicode=True) or "standard"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    attrs.update(slug=slug, external_id=None)
    copy = page.copy(
        to=parent, update_attrs=attrs, keep_live=False, user=user, log_action="wagtail.copy"
    )
    return StandardPage.objects.get(pk=copy.pk)


def new_version(page: StandardPage, user=None) -> StandardPage:
    """A draft copy that will supersede `page` once published (the old page stays at its URL)."""
    return _copy(
        page,
        page.get_parent(),
        user,
        slug=f"{page.slug}-new",
        title=f"{page.title}（新版本）",
        previous_version=page,
        derived_from=page.derived_from,
    )


def derive(page: StandardPage, city, user=None) -> StandardPage:
    """A draft copy under `city`, recording where it came from; the city then edits it."""
    return _copy(
        page,
        city,
        user,
        slug=f"{city.slug}-{page.slug}",
        title=f"{city.title}{page.title}",
        city=city,
        derived_from=page,
        previous_version=None,
        status=StandardPage.Status.DRAFT,
        is_example=False,
    )


# --- expiry ---------------------------------------------------------------------------------


def flag_expired(today=None) -> int:
    today = today or timezone.localdate()
    expired = Cell.objects.filter(status=Cell.Status.VALID, expires_on__lt=today)
    ids = list(expired.values_list("pk", flat=True))
    count = Cell.objects.filter(pk__in=ids).update(status=Cell.Status.EXPIRED)
    if ids:
        register_cache.changed()  # an UPDATE sends no signals
    search_documents.cells_changed(ids)  # flagged 已过期 in the exchange search too
    return count


def send_expiry_reminders(today=None, days=REMINDER_DAYS) -> dict:
    """Mail each city's editors the list of their cells expiring within `days` (once per cell)."""
    today = today or timezone.localdate()
    due = (
        Cell.objects.filter(
            status=Cell.Status.VALID,
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=days),
            reminder_sent_on__isnull=True,
        )
        .select_related("city")
        .order_by("city_id", "expires_on")
    )
    by_city: dict = {}
    for cell in due:
        by_city.setdefault(cell.city, []).append(cell)
    sent = 0
    for city, cells in by_city.items():
        group = Group.objects.filter(name=editor_group_name(city)).first()
        recipients = sorted(
            {u.email for u in group.user_set.filter(is_active=True) if u.email} if group else set()
        )
        if not recipients:
            logger.warning("no editor e-mail for %s: %d cells expiring", city.title, len(cells))
            continue
        lines = [
            f"{c.name}（{c.certificate_number}）有效期至 {c.expires_on:%Y-%m-%d}" for c in cells
        ]
        send_mail(
            f"【无废细胞】{city.title}有 {len(cells)} 个细胞将在 {days} 天内到期",
            "以下无废细胞即将到期，请组织复评：\n\n" + "\n".join(lines),
            None,
            recipients,
        )
        Cell.objects.filter(pk__in=[c.pk for c in cells]).update(reminder_sent_on=today)
        sent += len(cells)
    return {"reminded": sent, "cities": len(by_city)}
