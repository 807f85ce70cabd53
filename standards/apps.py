from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "无废细胞"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Recognised cells are documents of the exchange search (type `cell`).
        from standards import search_documents

        search_documents.connect()
