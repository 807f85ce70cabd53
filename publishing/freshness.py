"""Completeness and freshness of each city's cases: which are incomplete (sections of the case
template missing) or stale (信息更新于 older than 12 months), per city, and the monthly digest
to the city's editors and reviewers.

The list is read per city with a fixed number of queries (the template's related rows are
prefetched), so it stays quick with ~200 cities.
"""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.mail import send_mail

from cases import sites
from cases.models import CasePage, CityPage
from publishing import access, roles

STALE_AFTER = datetime.timedelta(days=365)


@dataclass(frozen=True)
class CaseState:
    page: CasePage
    score: int
    missing: tuple[str, ...]
    information_date: datetime.date | None
    stale: bool

    @property
    def incomplete(self) -> bool:
        return bool(self.missing)

    @property
    def needs_attention(self) -> bool:
        return self.stale or self.incomplete


def stale_before(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) - STALE_AFTER


def case_states(cities, today: datetime.date | None = None) -> dict[int, list[CaseState]]:
    """Every case (drafts too: the editors' own work) of `cities`, by city id, in tree order."""
    cutoff = stale_before(today)
    city_ids = [c.pk for c in cities]
    pages = (
        CasePage.objects.filter(city_id__in=city_ids)
        .order_by("path")
        .prefetch_related("indicators", "policy_documents", "technologies")
    )
    states: dict[int, list[CaseState]] = {pk: [] for pk in city_ids}
    for page in pages:
        result = page.completeness
        date = page.information_date
        states[page.city_id].append(
            CaseState(page, result.score, result.missing, date, date is None or date < cutoff)
        )
    return states


def attention_by_city(user=None, today=None) -> list[tuple[CityPage, list[CaseState]]]:
    """(city, its stale or incomplete cases) for the cities `user` edits (every city for the
    system or a national user), cities with nothing to do left out."""
    cities = list(access.editable_cities(user))
    states = case_states(cities, today)
    result = []
    for city in cities:
        todo = [s for s in states[city.pk] if s.needs_attention]
        if todo:
            result.append((city, todo))
    return result


def _digest_text(city: CityPage, todo: list[CaseState]) -> tuple[str, str]:
    base = sites.base_url()
    stale = sum(1 for s in todo if s.stale)
    incomplete = sum(1 for s in todo if s.incomplete)
    subject = (
        f"【{city.title}】试点经验月度提醒：{stale} 条超过 12 个月未更新，{incomplete} 条待补充"
    )
    lines = [
        f"{city.title}的编辑们，您好：",
        "",
        "以下试点经验需要更新或补充（完整度按经验模板的 10 个部分计算）：",
        "",
    ]
    for state in todo:
        date = state.information_date.isoformat() if state.information_date else "未知"
        notes = [f"完整度 {state.score}%", f"信息更新于 {date}"]
        if state.stale:
            notes.append("超过 12 个月未更新")
        if state.missing:
            notes.append("待补充：" + "、".join(state.missing))
        edit = base + reverse("wagtailadmin_pages:edit", args=[state.page.pk])
        lines.append(f"· {state.page.title}（{'；'.join(notes)}）")
        lines.append(f"  {edit}")
    lines += ["", f"完整度与更新一览：{base}{reverse('publishing:freshness')}"]
    return subject, "\n".join(lines)


def send_digest(today=None, dry_run=False) -> list[dict]:
    """One email per city with cases needing attention, to its editors and reviewers. Returns
    what was (or, with dry_run, would be) sent."""
    sent = []
    for city, todo in attention_by_city(None, today):
        recipients = roles.city_staff(city)
        if not recipients:
            continue
        subject, body = _digest_text(city, todo)
        if not dry_run:
            send_mail(subject, body, [u.email for u in recipients])
        sent.append({"city": city.title, "cases": len(todo), "to": [u.email for u in recipients]})
    return sent
