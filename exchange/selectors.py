"""Who sees and answers which requests, and the lists the admin, the dashboard and the city
pages show."""

from django.db.models import Count, Q

from publishing import access, roles

from .models import ExchangeRequest


def acting_cities(user):
    """Cities the user answers and requests for: their own city's groups (publishing.roles)."""
    return roles.staff_cities(user)


def sees_all(user) -> bool:
    """National staff (and superusers) see every request and the counts."""
    if user is None or not user.is_active:
        return False
    return (
        user.is_superuser
        or user.has_perm("exchange.view_all_exchangerequest")
        or access.is_national(user)
    )


def _with_related(queryset):
    return queryset.select_related("from_city", "to_city", "awaiting_city").prefetch_related(
        "waste_categories"
    )


def visible_requests(user):
    queryset = _with_related(ExchangeRequest.objects.all())
    if sees_all(user):
        return queryset
    city_ids = list(acting_cities(user).values_list("pk", flat=True))
    return queryset.filter(Q(from_city__in=city_ids) | Q(to_city__in=city_ids))


def can_see(user, request: ExchangeRequest) -> bool:
    return visible_requests(user).filter(pk=request.pk).exists()


def city_of_user_in(user, request: ExchangeRequest):
    """The party (from or to city) the user acts for, or None."""
    for city in acting_cities(user).filter(pk__in=[request.from_city_id, request.to_city_id]):
        return city
    return None


def can_answer(user, request: ExchangeRequest) -> bool:
    """Only the city whose turn it is answers (accept / propose dates / decline)."""
    return (
        request.is_open
        and request.awaiting_city_id is not None
        and acting_cities(user).filter(pk=request.awaiting_city_id).exists()
    )


def awaiting_answer(user):
    """Open requests waiting for one of the user's cities."""
    return _with_related(
        ExchangeRequest.objects.filter(
            status__in=ExchangeRequest.OPEN, awaiting_city__in=acting_cities(user)
        )
    )


def counts():
    """Requests by kind and status (national overview)."""
    rows = ExchangeRequest.objects.values("kind", "status").annotate(n=Count("pk"))
    table = {
        kind: {status: 0 for status in ExchangeRequest.Status.values}
        for kind in ExchangeRequest.Kind.values
    }
    for row in rows:
        table[row["kind"]][row["status"]] = row["n"]
    return [
        (
            label,
            [
                (ExchangeRequest.Status(s).label, table[kind][s])
                for s in ExchangeRequest.Status.values
            ],
            sum(table[kind].values()),
        )
        for kind, label in ExchangeRequest.Kind.choices
    ]


def accepted_for_city(city):
    """Accepted study visits and twinnings with `city` on either side (public facts only)."""
    return (
        ExchangeRequest.objects.filter(status=ExchangeRequest.Status.ACCEPTED)
        .filter(Q(from_city=city) | Q(to_city=city))
        .filter(from_city__live=True, to_city__live=True)
        .select_related("from_city", "to_city")
        .prefetch_related("waste_categories")
        .order_by("kind", "-start_date", "pk")
    )
