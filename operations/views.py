from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@never_cache
@require_GET
def healthz(request):
    body, status = health.report()
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
