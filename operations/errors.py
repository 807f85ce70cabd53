"""Server error pages. A write that fails because the database is busy, read-only, full or gone
is the visitor's to retry, not a bug: it answers 503 with a Chinese message that says nothing was
saved and when to try again, instead of the generic 500. Django logs both (django.request, with
the traceback) before this handler runs; the handler itself never touches the database.
"""

import sys

from django.db import DatabaseError, DataError, IntegrityError, NotSupportedError, ProgrammingError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

RETRY_AFTER_SECONDS = 10

# DatabaseError subclasses that mean "the server could not write now" (locked, read-only, disk
# full, connection lost, read-only transaction) rather than a bug in the query or the data.
NOT_RETRYABLE = (IntegrityError, DataError, ProgrammingError, NotSupportedError)


def is_retryable(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, DatabaseError) and not isinstance(error, NOT_RETRYABLE):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name="500.html"):
    """handler500: Django calls it inside the `except` that caught the view's exception, so
    sys.exc_info() names the error. Templates render without a request (no context processors,
    which would query the database)."""
    if is_retryable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template(template_name).render())
