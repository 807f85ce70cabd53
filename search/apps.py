from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "exchange_search"
    verbose_name = "交流平台检索"

    def ready(self):
        from search import signals

        signals.connect()
