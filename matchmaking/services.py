"""Matchmaking business logic: creating inquiries and board posts, notifying the people who answer
them, the inquiry status workflow, moderation, anonymisation and the match digest.

Every write saves the record first and only then sends email, so a failing mail server never loses
an inquiry or a post (the record notes whether its emails went out)."""

import logging
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from cases.models import CasePage, CityPage, TechnologyPage

from . import emails, selectors
from .models import (
    ANONYMISED,
    BoardPost,
    Inquiry,
    InquiryNote,
    InquiryStatus,
    TargetType,
)

logger = logging.getLogger("matchmaking")

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


# ---------------------------------------------------------------------------------------------
# Inquiries


def new_reference() -> str:
    """A short reference such as DJ250306-7K3M2Q: the date plus six random characters, so
    references do not reveal how many inquiries the platform receives."""
    today = timezone.localdate().strftime("%y%m%d")
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"DJ{today}-{suffix}"


def target_fields(target) -> dict:
    """The Inquiry fields describing what it is addressed to: a case, technology or city page
    (specific instance) or an approved BoardPost."""
    if isinstance(target, BoardPost):
        return {
            "target_type": TargetType.POST,
            "target_title": target.title,
            "target_post": target,
        }
    if isinstance(target, CasePage):
        return {
            "target_type": TargetType.CASE,
            "target_title": target.title,
            "target_page": target.page_ptr,
            "target_city": target.city,
        }
    if isinstance(target, CityPage):
        return {
            "target_type": TargetType.CITY,
            "target_title": target.title,
            "target_page": target.page_ptr,
            "target_city": target,
        }
    if isinstance(target, TechnologyPage):
        return {
            "target_type": TargetType.TECHNOLOGY,
            "target_title": target.title,
            "target_page": target.page_ptr,
        }
    raise ValueError(f"不能对接的对象：{target!r}")


def create_inquiry(data: dict, *, target, request=None) -> Inquiry:
    """Store an inquiry from the cleaned data of InquiryForm, then send the requester's
    confirmation and notify the people responsible. Returns the saved inquiry."""
    categories = data.get("waste_categories") or []
    fields = {
        name: data.get(name, "")
        for name in (
            "organisation",
            "organisation_type",
            "credit_code",
            "contact_name",
            "phone",
            "email",
            "purpose",
            "message",
        )
    }
    for attempt in range(5):
        try:
            with transaction.atomic():
                inquiry = Inquiry.objects.create(
                    reference=new_reference(),
                    region=data["region"],
                    **fields,
                    **target_fields(target),
                )
                inquiry.waste_categories.set(categories)
            break
        except IntegrityError:
            # Two inquiries drew the same reference (32⁴ ≈ 10⁶ per day): draw again.
            if attempt == 4:
                raise
    send_inquiry_emails(inquiry, request=request)
    return inquiry


@dataclass
class Recipients:
    """Who hears of a new inquiry. `staff` get the admin link; `external` people (a technology's
    provider contact, a board post's poster) get the request relayed, without admin links."""

    staff: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def inquiry_recipients(inquiry: Inquiry, request=None) -> Recipients:
    """The target city's editors (case and city pages; users with edit or publish permission on
    the city page), the provider contact (technologies) or the poster (board posts, relayed —
    their address is never shown to the requester), plus the platform inbox. When no staff
    address is known, the active superusers are told, so no inquiry goes unanswered."""
    config = emails.site_settings(request)
    recipients = Recipients()
    if inquiry.target_city_id and config.notify_city_editors:
        recipients.staff += [
            u.email for u in selectors.city_editors(inquiry.target_city) if u.email
        ]
    if config.inbox_email:
        recipients.staff.append(config.inbox_email)
    if not recipients.staff:
        recipients.staff = list(
            get_user_model()
            .objects.filter(is_active=True, is_superuser=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    if inquiry.target_type == TargetType.TECHNOLOGY and inquiry.target_page_id:
        contact = selectors.technology_contact(inquiry.target_page_id)
        if contact is not None:
            recipients.external.append(contact.email)
    if inquiry.target_post_id and not inquiry.target_post.is_anonymised:
        recipients.external.append(inquiry.target_post.email)
    recipients.staff = list(dict.fromkeys(a for a in recipients.staff if a))
    recipients.external = [
        a for a in dict.fromkeys(recipients.external) if a and a not in recipients.staff
    ]
    return recipients


def send_inquiry_emails(inquiry: Inquiry, request=None) -> None:
    """The requester's confirmation, then the notifications; records which went out."""
    admin_url = emails.absolute_url(reverse("matchmaking_inquiry:edit", args=[inquiry.pk]))
    context = {"inquiry": inquiry, "admin_url": admin_url, "external": False}
    now = timezone.now()
    updates = {}
    if inquiry.email and emails.send("inquiry_confirmation", context, [inquiry.email]):
        updates["confirmation_sent_at"] = now
    recipients = inquiry_recipients(inquiry, request)
    reply_to = [inquiry.email]
    sent_staff = emails.send("inquiry_notification", context, recipients.staff, reply_to=reply_to)
    sent_external = emails.send(
        "inquiry_notification",
        {**context, "external": True},
        recipients.external,
        reply_to=reply_to,
    )
    if sent_staff or sent_external:
        updates["notified_at"] = now
    if updates:
        Inquiry.objects.filter(pk=inquiry.pk).update(**updates)
        for name, value in updates.items():
            setattr(inquiry, name, value)


def add_note(inquiry: Inquiry, user, body: str) -> InquiryNote:
    note = InquiryNote.objects.create(inquiry=inquiry, author=user, body=body.strip())
    log(instance=inquiry, action="matchmaking.note", user=user)
    return note


def change_status(inquiry: Inquiry, status: str, user, comment: str = "") -> InquiryNote:
    """Move an inquiry along 新建 → 处理中 → 已对接 → 已关闭 (see STATUS_TRANSITIONS); records the
    change, with the optional comment, in the notes thread. Refuses any other move."""
    if status not in inquiry.allowed_transitions():
        raise ValidationError(
            f"不能从“{inquiry.get_status_display()}”改为“{InquiryStatus(status).label}”。"
        )
    old_label = inquiry.get_status_display()
    inquiry.status = status
    inquiry.save(update_fields=["status", "updated_at"])
    body = f"状态：{old_label} → {inquiry.get_status_display()}"
    if comment.strip():
        body += f"\n{comment.strip()}"
    note = InquiryNote.objects.create(
        inquiry=inquiry, author=user, kind=InquiryNote.Kind.STATUS, body=body
    )
    log(instance=inquiry, action="matchmaking.status", user=user, data={"status": status})
    return note


# ---------------------------------------------------------------------------------------------
# Anonymisation (a requester asks for their data to be removed)


def _scrub(text: str, secrets_: list[str]) -> str:
    for value in secrets_:
        if value and len(value) >= 2:
            text = text.replace(value, ANONYMISED)
    return text


def _anonymise_contact(record, user) -> list[str]:
    removed = [record.contact_name, record.phone, record.email, record.credit_code]
    record.organisation = ANONYMISED
    record.contact_name = ANONYMISED
    record.phone = ""
    record.email = ""
    record.credit_code = ""
    record.anonymised_at = timezone.now()
    record.anonymised_by = user
    return removed


@transaction.atomic
def anonymise_inquiry(inquiry: Inquiry, user) -> Inquiry:
    """Replace the requester's organisation, name, phone, email, credit code and message with
    placeholders; keep what statistics need (region, categories, purpose, status, dates, target).
    Staff notes that quote the removed values are scrubbed too. Logged with who did it."""
    removed = _anonymise_contact(inquiry, user)
    inquiry.message = ANONYMISED
    inquiry.save()
    for note in inquiry.notes.all():
        scrubbed = _scrub(note.body, removed)
        if scrubbed != note.body:
            note.body = scrubbed
            note.save(update_fields=["body"])
    InquiryNote.objects.create(
        inquiry=inquiry,
        author=user,
        kind=InquiryNote.Kind.SYSTEM,
        body="应本人要求，已将联系人信息和需求说明匿名化。",
    )
    log(instance=inquiry, action="matchmaking.anonymise", user=user)
    return inquiry


@transaction.atomic
def anonymise_post(post: BoardPost, user) -> BoardPost:
    """Anonymise a board post's contact details and take it off the public board (withdrawn);
    kind, categories, region and tonnage stay for statistics."""
    _anonymise_contact(post, user)
    post.description = ANONYMISED
    post.title = ANONYMISED
    post.show_organisation = False
    if post.status in (BoardPost.Status.PENDING, BoardPost.Status.APPROVED):
        post.status = BoardPost.Status.WITHDRAWN
    post.save()
    log(instance=post, action="matchmaking.anonymise", user=user)
    return post


@dataclass
class AnonymiseResult:
    inquiries: int = 0
    posts: int = 0


def anonymise_requester(*, email: str = "", phone: str = "", user=None) -> AnonymiseResult:
    """Anonymise every inquiry and board post sent with this email address or phone number:
    what a “delete my data” request needs."""
    query = Q()
    if email.strip():
        query |= Q(email__iexact=email.strip())
    if phone.strip():
        query |= Q(phone=phone.strip())
    if not query:
        raise ValueError("需要电子邮箱或电话")
    result = AnonymiseResult()
    for inquiry in Inquiry.objects.filter(query, anonymised_at__isnull=True):
        anonymise_inquiry(inquiry, user)
        result.inquiries += 1
    for post in BoardPost.objects.filter(query, anonymised_at__isnull=True):
        anonymise_post(post, user)
        result.posts += 1
    return result


# ---------------------------------------------------------------------------------------------
# Board posts


def create_board_post(data: dict, request=None) -> BoardPost:
    """Store a post (pending moderation) from BoardPostForm's cleaned data, then email the
    poster their private link and tell the moderators."""
    with transaction.atomic():
        post = BoardPost.objects.create(
            **{
                name: data.get(name, "")
                for name in (
                    "kind",
                    "title",
                    "organisation",
                    "organisation_type",
                    "credit_code",
                    "contact_name",
                    "phone",
                    "email",
                    "licence_number",
                    "description",
                )
            },
            show_organisation=bool(data.get("show_organisation")),
            region=data["region"],
            annual_tonnage=data.get("annual_tonnage"),
        )
        post.waste_categories.set(data["waste_categories"])
        post.regions_served.set(data.get("regions_served") or [])
    context = {
        "post": post,
        "private_url": emails.absolute_url(post.get_private_url(), request),
        "admin_url": emails.absolute_url(reverse("matchmaking_boardpost:edit", args=[post.pk])),
    }
    emails.send("board_received", context, [post.email])
    emails.send("board_moderation", context, [emails.site_settings(request).moderation_address])
    return post


def approve_post(post: BoardPost, user, note: str = "") -> BoardPost:
    post.status = BoardPost.Status.APPROVED
    post.approved_at = post.approved_at or timezone.now()
    post.moderated_by = user
    post.moderation_note = note[:500]
    post.save()
    log(instance=post, action="matchmaking.approve", user=user)
    _send_decision(post)
    return post


def reject_post(post: BoardPost, user, note: str = "") -> BoardPost:
    post.status = BoardPost.Status.REJECTED
    post.moderated_by = user
    post.moderation_note = note[:500]
    post.save()
    log(instance=post, action="matchmaking.reject", user=user)
    _send_decision(post)
    return post


def _send_decision(post: BoardPost) -> None:
    emails.send(
        "board_decision",
        {
            "post": post,
            "private_url": emails.absolute_url(post.get_private_url()),
            "public_url": emails.absolute_url(post.get_absolute_url()),
        },
        [post.email],
    )


def withdraw_post(post: BoardPost) -> BoardPost:
    """The poster takes their post off the board (from their private link)."""
    post.status = BoardPost.Status.WITHDRAWN
    post.save(update_fields=["status", "updated_at"])
    return post


# ---------------------------------------------------------------------------------------------
# The match digest


@dataclass
class DigestEntry:
    post: BoardPost
    suggestions: list = field(default_factory=list)
    sent: bool = False


@dataclass
class DigestReport:
    entries: list[DigestEntry] = field(default_factory=list)
    staff_recipients: list[str] = field(default_factory=list)

    @property
    def match_count(self) -> int:
        return sum(len(e.suggestions) for e in self.entries)


def new_suggestions(post: BoardPost, since) -> list:
    """The post's suggestions whose candidate appeared (was approved or first published) after
    `since`; all current suggestions when `since` is None."""
    found = []
    for _group, _heading, suggestions in selectors.suggestions_for_post(post, limit=None):
        for suggestion in suggestions:
            appeared = suggestion.candidate.appeared_at
            if since is None or (appeared is not None and appeared > since):
                found.append(suggestion)
    found.sort(key=lambda s: -s.score)
    return found


def send_match_digest(*, since=None, dry_run: bool = False, now=None) -> DigestReport:
    """Email each poster with a pending or approved post the suggestions that are new since their
    last digest (or since `since`), then send the staff a summary. A dry run computes the same
    report but sends nothing and records nothing."""
    now = now or timezone.now()
    report = DigestReport()
    posts = BoardPost.objects.filter(
        status__in=[BoardPost.Status.PENDING, BoardPost.Status.APPROVED],
        anonymised_at__isnull=True,
    ).order_by("pk")
    for post in posts:
        suggestions = new_suggestions(post, since or post.last_digest_at)
        if not suggestions:
            continue
        entry = DigestEntry(post=post, suggestions=suggestions)
        report.entries.append(entry)
        if dry_run:
            continue
        entry.sent = emails.send(
            "match_digest",
            {
                "post": post,
                "suggestions": suggestions[:20],
                "more": max(0, len(suggestions) - 20),
                "private_url": emails.absolute_url(post.get_private_url()),
                "base_url": emails.absolute_url(""),
            },
            [post.email],
        )
        if entry.sent:
            BoardPost.objects.filter(pk=post.pk).update(last_digest_at=now)
    config = emails.site_settings()
    report.staff_recipients = [a for a in [config.inbox_email] if a] or list(
        get_user_model()
        .objects.filter(is_active=True, is_superuser=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if report.entries and not dry_run:
        emails.send(
            "match_digest_staff",
            {"report": report, "now": now, "base_url": emails.absolute_url("")},
            report.staff_recipients,
        )
    return report
