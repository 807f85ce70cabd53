from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "试点内容"

    def ready(self):
        from cases import signals

        signals.connect()
