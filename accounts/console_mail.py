"""Mail in development: each e-mail printed as a person would read it, not as raw MIME.

Django's console backend prints the whole MIME message: base64 or quoted-printable parts,
the HTML part in full, and the link broken over several lines among the server's log lines.
This one prints the envelope and the plain-text part, in which every link stands whole on a
line of its own, between two rules that are easy to find in a terminal.
"""

from django.core.mail.backends.console import EmailBackend

RULE = "=" * 79


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message):
        headers = [
            ("From", message.from_email),
            ("To", ", ".join(message.to)),
            ("Cc", ", ".join(message.cc)),
            ("Reply-To", ", ".join(message.reply_to)),
            ("Subject", message.subject),
        ]
        lines = [RULE, *(f"{name}: {value}" for name, value in headers if value), ""]
        lines.append(message.body.rstrip())
        if getattr(message, "alternatives", None):
            lines += ["", "(an HTML version with the same text is attached)"]
        lines.append(RULE)
        self.stream.write("\n".join(lines) + "\n")
