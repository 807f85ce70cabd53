# Run inside `manage.py shell -c` on the live server's database: the accounts the journeys use.
import os

from django.contrib.auth import get_user_model

password = os.environ["BROWSER_TEST_PASSWORD"]
User = get_user_model()
admin, _ = User.objects.get_or_create(
    username="national-admin", defaults={"email": "admin@example.org"}
)
admin.is_staff = admin.is_superuser = True
admin.set_password(password)
admin.save()

# The city roles (groups, page permissions, workflows) and one editor and reviewer of 绍兴市.
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402

call_command("setup_roles", verbosity=0)
for username, group in [
    ("shaoxing-editor", "绍兴市 编辑"),
    ("shaoxing-reviewer", "绍兴市 审核"),
    ("shenzhen-editor", "深圳市 编辑"),
]:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.org"}
    )
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=group)])
