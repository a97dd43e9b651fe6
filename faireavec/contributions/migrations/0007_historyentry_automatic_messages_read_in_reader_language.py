"""History entries written by the platform itself no longer store their text:
it is shown from the event, in the reader's language (HistoryEntry.message_text).
Existing entries with the platform's words, in French or English, are emptied;
going back writes the French text again (the platform's language)."""

from django.db import migrations

AUTOMATIC = {
    "created": ("We received your message.", "Nous avons bien reçu votre message."),
    "published": (
        "Everyone can now see and support this idea.",
        "Tout le monde peut maintenant voir et soutenir cette idée.",
    ),
    "escalated": (
        "Overdue: the administrators were told.",
        "En retard : la direction a été prévenue.",
    ),
}


def forwards(apps, schema_editor):
    HistoryEntry = apps.get_model("contributions", "HistoryEntry")
    for event, texts in AUTOMATIC.items():
        HistoryEntry.objects.filter(event=event, message__in=texts).update(message="")


def backwards(apps, schema_editor):
    HistoryEntry = apps.get_model("contributions", "HistoryEntry")
    for event, (_english, french) in AUTOMATIC.items():
        HistoryEntry.objects.filter(event=event, message="").update(message=french)


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0006_text_maximum_lengths"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
