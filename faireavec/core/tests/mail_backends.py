"""Email backends for tests."""

import smtplib

from django.core.mail.backends.locmem import EmailBackend

REFUSED = "refuse@example.org"


class RefusesOneAddressBackend(EmailBackend):
    """The test outbox, except that the mail server refuses `REFUSED` (as an
    SMTP server refuses an unknown mailbox)."""

    def send_messages(self, messages):
        for message in messages:
            if REFUSED in message.recipients():
                raise smtplib.SMTPRecipientsRefused({REFUSED: (550, b"No such mailbox")})
        return super().send_messages(messages)
