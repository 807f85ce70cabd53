"""The seed's indicator facts: the indicator system fixture, and the figures on the seed's case
pages that are values of a known indicator (same name, a year and the indicator's unit)."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.models import CaseIndicator

from . import imports, services
from .models import Indicator, IndicatorValue

SYSTEM_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "indicators" / "system.json"


def load_system() -> imports.Report:
    return imports.run("system", SYSTEM_FIXTURE.read_bytes(), SYSTEM_FIXTURE.name, atomic=True)


@transaction.atomic
def values_from_cases() -> int:
    """Case indicators that fit the system become approved values with the case's source (the
    seed is a published document); the rest stay case-specific figures. Returns how many."""
    by_name = {i.name: i for i in Indicator.objects.all()}
    made = 0
    rows = CaseIndicator.objects.filter(year__isnull=False, page__live=True).select_related(
        "page__city"
    )
    for row in rows:
        indicator = by_name.get(row.name.strip())
        case = row.page
        if indicator is None or case.city is None:
            continue
        if services.normalise_unit(row.unit) != services.normalise_unit(indicator.unit):
            continue
        _, created = IndicatorValue.objects.update_or_create(
            city=case.city,
            indicator=indicator,
            year=row.year,
            defaults={
                "value": row.value,
                "baseline": row.baseline,
                "source": (case.source or case.title)[:300],
                "note": f"来自试点经验“{case.title}”"[:500],
                "status": IndicatorValue.Status.APPROVED,
                "approved_at": timezone.now(),
            },
        )
        made += created
    return made
