from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = "运行维护"

    def ready(self):
        from django.db.backends.signals import connection_created

        from operations import postgres

        connection_created.connect(postgres.register, dispatch_uid="operations-postgres-arrays")
