import json

from django.core.management.base import BaseCommand

from publishing import roles


class Command(BaseCommand):
    help = (
        "Create or update the publishing roles: 国家管理员, 国家审核, and for every city page its "
        "编辑 and 审核 groups, collection and review workflow. Idempotent."
    )

    def handle(self, *args, **options):
        report = roles.setup_roles()
        self.stdout.write(json.dumps(report, ensure_ascii=False))
