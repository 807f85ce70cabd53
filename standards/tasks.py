"""Background work of the cell register (django-tasks): flagging expired cells and the expiry
reminders, as `manage.py cell_expiry` does them."""

from django_tasks import task

from standards import services


@task()
def cell_expiry(days: int = services.REMINDER_DAYS) -> dict:
    expired = services.flag_expired()
    report = services.send_expiry_reminders(days=days)
    return {"expired": expired, **report}
