"""Sending the matchmaking emails (Chinese templates under templates/matchmaking/email/).

Every send is best effort: a failing mail server is logged and reported to the caller, never
raised, because the record it is about has already been saved."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from wagtail.models import Site

from cases.sites import absolute_url  # noqa: F401 (re-exported: the emails' link builder)

from .models import MatchmakingSettings

logger = logging.getLogger("matchmaking")


def default_site():
    return Site.objects.filter(is_default_site=True).first() or Site.objects.first()


def site_settings(request=None) -> MatchmakingSettings:
    """The MatchmakingSettings of the request's site (or the default site); unsaved defaults when
    there is no site at all."""
    if request is not None:
        return MatchmakingSettings.for_request(request)
    site = default_site()
    return MatchmakingSettings.for_site(site) if site else MatchmakingSettings()


def send(template: str, context: dict, to, *, reply_to=None) -> bool:
    """Render matchmaking/email/<template>_subject.txt and <template>.txt and send them to the
    addresses in `to` (duplicates and blanks dropped). True when the mail was handed over."""
    recipients = list(dict.fromkeys(a for a in to if a))
    if not recipients:
        return False
    subject = render_to_string(f"matchmaking/email/{template}_subject.txt", context)
    body = render_to_string(f"matchmaking/email/{template}.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[a for a in (reply_to or []) if a] or None,
    )
    try:
        message.send()
    except Exception:  # noqa: BLE001 — any transport error; the record is already saved
        logger.exception("matchmaking email %s could not be sent", template)
        return False
    return True
