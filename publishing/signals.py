"""Signal handlers of the publishing app, connected in PublishingConfig.ready().

* A new (or renamed) CityPage gets its roles, collection and workflow at once.
* Wagtail's own "submitted for moderation" emails go through a switch, so that a bulk import
  can send each reviewer one summary instead of one email per page (publishing.notifications).
"""

from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_submitted

from cases.models import CityPage
from publishing import notifications


def _city_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    from publishing import roles

    if created or not Group.objects.filter(name=roles.editor_group_name(instance)).exists():
        roles.setup_city_roles(instance)


# Wagtail's dispatch uids (wagtail/admin/signal_handlers.py). Connecting under the same uid makes
# Wagtail's own connect a no-op when it runs after this app; disconnecting first covers the
# other order.
_WAGTAIL_TASK_SUBMITTED = "group_approval_task_submitted_email_notification"
_WAGTAIL_WORKFLOW_SUBMITTED = "workflow_state_submitted_email_notification"


def _task_submitted(sender, **kwargs):
    if notifications.suppressed():
        return None
    from wagtail.admin.signal_handlers import task_submission_email_notifier

    kwargs.pop("signal", None)
    return task_submission_email_notifier(sender=sender, **kwargs)


def _workflow_submitted(sender, **kwargs):
    if notifications.suppressed():
        return None
    from wagtail.admin.signal_handlers import workflow_submission_email_notifier

    kwargs.pop("signal", None)
    return workflow_submission_email_notifier(sender=sender, **kwargs)


def connect():
    post_save.connect(_city_saved, sender=CityPage, dispatch_uid="publishing-city-roles")
    task_submitted.disconnect(sender=TaskState, dispatch_uid=_WAGTAIL_TASK_SUBMITTED)
    task_submitted.connect(_task_submitted, sender=TaskState, dispatch_uid=_WAGTAIL_TASK_SUBMITTED)
    workflow_submitted.disconnect(sender=WorkflowState, dispatch_uid=_WAGTAIL_WORKFLOW_SUBMITTED)
    workflow_submitted.connect(
        _workflow_submitted, sender=WorkflowState, dispatch_uid=_WAGTAIL_WORKFLOW_SUBMITTED
    )
