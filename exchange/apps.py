from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """City-to-city exchange: study visits (考察学习) and twinning (结对). Its own app, not part of
    matchmaking/: the parties are cities acting through their editors (page permissions), with
    a negotiation (dates, messages), whereas matchmaking routes enterprises' inquiries and
    posts to staff."""

    name = "exchange"
    verbose_name = "城市交流"
    default_auto_field = "django.db.models.BigAutoField"
