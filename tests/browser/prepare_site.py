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
