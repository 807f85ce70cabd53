from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "无废细胞"
    default_auto_field = "django.db.models.BigAutoField"
