from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "publishing"
    verbose_name = "城市发布"

    def ready(self):
        from publishing import signals

        signals.connect()
