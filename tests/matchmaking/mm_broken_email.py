"""An email backend whose server is down, for the "saved before anything else" tests."""

from django.core.mail.backends.base import BaseEmailBackend


class Broken(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable")
