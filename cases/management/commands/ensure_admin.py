import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cases import sites


class Command(BaseCommand):
    help = (
        "Create the local superuser `admin` once (password kept in DATA_DIR) and print the login."
    )

    def handle(self, *args, **options):
        password_file = settings.DATA_DIR / "admin-password.txt"
        User = get_user_model()
        user = User.objects.filter(username="admin").first()
        if user is None or not password_file.exists():
            password = secrets.token_urlsafe(12)
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password)
            password_file.chmod(0o600)
            user = user or User(
                username="admin", email="admin@localhost", is_staff=True, is_superuser=True
            )
            user.set_password(password)
            user.save()
        password = password_file.read_text().strip()
        self.stdout.write(f"管理后台 {sites.base_url()}/admin/  用户名 admin  密码 {password}")
