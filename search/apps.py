from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "exchange_search"
    verbose_name = "交流平台检索"

    def ready(self):
        from search import signals
        from search.admin_backend import register_segmented_field
        from search.documents import BUILDERS

        signals.connect()
        register_segmented_field(BUILDERS)
