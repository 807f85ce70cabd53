from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "indicators"
    verbose_name = "无废城市指标"

    def ready(self):
        from . import signals

        signals.connect()
