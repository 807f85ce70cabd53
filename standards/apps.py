from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "无废细胞"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from standards import register_cache, search_documents
        from standards.models import Cell

        post_save.connect(register_cache.changed, sender=Cell, dispatch_uid="register-saved")
        post_delete.connect(register_cache.changed, sender=Cell, dispatch_uid="register-deleted")
        # Recognised cells are documents of the exchange search (type `cell`).
        search_documents.connect()
