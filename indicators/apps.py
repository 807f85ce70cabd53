from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "无废城市指标"
    # Its cached pages follow the public-content stamp, bumped by pagecache/signals.py.
