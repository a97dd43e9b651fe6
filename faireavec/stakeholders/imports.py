"""Reading a register from a table: the columns, and the check of every row.

`import_analyse` writes nothing: it says, row by row, what is wrong (missing
name, unknown category, duplicate of an existing stakeholder by email or by
name…) so that the person can fix the file or import the valid rows.
`faireavec.stakeholders.services.stakeholder_import` writes them.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faireavec.organisations.models import Organisation
from faireavec.stakeholders.models import (
    Category,
    ContactBasis,
    Level,
    ParticipationMode,
    Stakeholder,
    StakeholderSubcategory,
    StakeholderTag,
)

MAX_IMPORT_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    aliases: tuple[str, ...] = ()
    imported: bool = True


COLUMNS = [
    Column("name", gettext_lazy("Name"), ("nom", "raison sociale")),
    Column("kind", gettext_lazy("Kind"), ("type", "nature")),
    Column("category", gettext_lazy("Category")),
    Column("subcategory", gettext_lazy("Sub-category"), ("sous categorie",)),
    Column("territory", gettext_lazy("Territory"), ("territoire",)),
    Column("tags", gettext_lazy("Tags"), ("etiquettes", "mots cles")),
    Column("current_level", gettext_lazy("Current level"), ("niveau actuel", "niveau")),
    Column("target_level", gettext_lazy("Target level"), ("niveau vise", "niveau cible")),
    Column("participation_modes", gettext_lazy("Ways they take part"), ("participation",)),
    Column("influence", gettext_lazy("Influence")),
    Column("interest", gettext_lazy("Interest"), ("interet",)),
    Column("email", gettext_lazy("Email"), ("courriel", "e mail", "mail", "adresse electronique")),
    Column("phone", gettext_lazy("Phone"), ("telephone", "tel")),
    Column(
        "contact_basis",
        gettext_lazy("Basis for the contact details"),
        ("base legale", "base", "base de conservation"),
    ),
    Column("contact_review_on", gettext_lazy("Review contact details after")),
    Column("last_interaction_on", gettext_lazy("Last interaction"), imported=False),
    Column("reviewed_on", gettext_lazy("Last reviewed on"), imported=False),
    Column("notes", gettext_lazy("Notes"), ("remarques", "commentaire", "commentaires")),
]


def normalise(text: str) -> str:
    """Lowercase, without accents, punctuation or repeated spaces: « Catégorie » → « categorie »."""
    text = str(text).replace("\u2019", "'")  # the typographic apostrophe counts as one
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def _forms_of(*texts) -> set[str]:
    """The normalised forms of texts and of lazy labels in both languages."""
    forms = set()
    for text in texts:
        if isinstance(text, Promise):
            for language in ("fr", "en"):
                with translation.override(language):
                    forms.add(normalise(str(text)))
        else:
            forms.add(normalise(text))
    return forms


def _choice_lookup(choices, *extra: tuple[str, tuple[str, ...]]) -> dict[str, object]:
    lookup = {}
    for value, label in choices:
        for form in _forms_of(str(value), label):
            lookup[form] = value
    for value, aliases in extra:
        for alias in aliases:
            lookup[normalise(alias)] = value
    return lookup


def _lookups() -> dict[str, dict[str, object]]:
    levels = _choice_lookup(Level.choices)
    levels.update({str(int(level)): int(level) for level in Level})
    return {
        "kind": _choice_lookup(
            Stakeholder.Kind.choices,
            (Stakeholder.Kind.PERSON, ("personne", "person")),
            (Stakeholder.Kind.ORGANISATION, ("organisation", "structure", "organization")),
        ),
        "category": _choice_lookup(Category.choices),
        "level": levels,
        "mode": _choice_lookup(ParticipationMode.choices),
        "basis": _choice_lookup(
            ContactBasis.choices,
            (ContactBasis.CONSENT, ("consentement",)),
            (ContactBasis.LEGITIMATE_INTEREST, ("interet legitime",)),
        ),
    }


@dataclass
class ImportRow:
    line: int  # the line in the file (the header is line 1)
    raw: dict[str, str]
    values: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.values.get("name", "")

    @property
    def category_label(self) -> str:
        return str(dict(Category.choices).get(self.values.get("category"), ""))

    @property
    def is_valid(self) -> bool:
        return not self.problems


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    file_problems: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def valid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if row.is_valid]

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.is_valid]

    @property
    def valid_lines(self) -> list[int]:
        return [row.line for row in self.valid_rows]

    @property
    def can_import(self) -> bool:
        return not self.file_problems and bool(self.valid_rows)


def _map_headers(headers: list[str]) -> tuple[dict[str, str], list[str]]:
    """{column key: header in the file}, and the headers that match no column."""
    known = {}
    for column in COLUMNS:
        for form in _forms_of(column.key.replace("_", " "), column.label, *column.aliases):
            known[form] = column
    mapping, ignored = {}, []
    for header in headers:
        column = known.get(normalise(header))
        if column is None or not column.imported:
            if header and column is None:
                ignored.append(header)
            continue
        mapping.setdefault(column.key, header)
    return mapping, ignored


def _parse_date(text: str) -> date | None:
    text = text.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?", text)
    if match:
        return date(int(match[1]), int(match[2]), int(match[3]))
    return datetime.strptime(text, "%d/%m/%Y").date()


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


def _max_length(field_name: str, model=Stakeholder) -> int:
    return model._meta.get_field(field_name).max_length


def _check_row(row: ImportRow, get, lookups) -> None:
    problems, values = row.problems, row.values

    name = " ".join(get("name").split())
    values["name"] = name
    if not name:
        problems.append(_("The name is missing."))
    elif len(name) > _max_length("name"):
        problems.append(_("The name is too long (200 characters at most)."))

    raw = get("kind")
    values["kind"] = lookups["kind"].get(normalise(raw)) if raw else Stakeholder.Kind.PERSON
    if values["kind"] is None:
        problems.append(
            _("Unknown kind « %(value)s »: write « person » or « organisation ».") % {"value": raw}
        )

    raw = get("category")
    values["category"] = lookups["category"].get(normalise(raw)) if raw else None
    if not raw:
        problems.append(_("The category is missing."))
    elif values["category"] is None:
        problems.append(_("Unknown category « %(value)s ».") % {"value": raw})

    values["subcategory"] = " ".join(get("subcategory").split())
    if len(values["subcategory"]) > _max_length("name", StakeholderSubcategory):
        problems.append(_("The sub-category is too long (100 characters at most)."))

    values["territory"] = get("territory")
    if len(values["territory"]) > _max_length("territory"):
        problems.append(_("The territory is too long (150 characters at most)."))

    values["tags"] = _split(get("tags"))
    if any(len(tag) > _max_length("name", StakeholderTag) for tag in values["tags"]):
        problems.append(_("A tag is too long (50 characters at most)."))

    for key in ("current_level", "target_level"):
        raw = get(key)
        values[key] = lookups["level"].get(normalise(raw)) if raw else None
        if raw and values[key] is None:
            problems.append(
                _(
                    "Unknown level « %(value)s »: write inform, consult, concert, co-construct or co-decide (or 1 to 5)."
                )
                % {"value": raw}
            )
    values["current_level"] = values["current_level"] or Level.INFORM
    values["target_level"] = values["target_level"] or values["current_level"]

    modes = []
    for raw in _split(get("participation_modes")):
        mode = lookups["mode"].get(normalise(raw))
        if mode is None:
            problems.append(_("Unknown way of taking part « %(value)s ».") % {"value": raw})
        elif mode not in modes:
            modes.append(str(mode))
    values["participation_modes"] = modes

    for key, label in (("influence", _("Influence")), ("interest", _("Interest"))):
        raw = get(key)
        try:
            number = int(float(raw.replace(",", "."))) if raw else 3
        except ValueError:
            number = 0
        if not 1 <= number <= 5:
            problems.append(
                _("%(column)s must be a whole number from 1 to 5, not « %(value)s ».")
                % {"column": label, "value": raw}
            )
        values[key] = number

    values["email"] = get("email").lower()
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(
                _("« %(value)s » is not a valid email address.") % {"value": get("email")}
            )
    values["phone"] = get("phone")
    if len(values["phone"]) > _max_length("phone"):
        problems.append(_("The phone number is too long (30 characters at most)."))

    raw = get("contact_basis")
    values["contact_basis"] = lookups["basis"].get(normalise(raw), "") if raw else ""
    if raw and not values["contact_basis"]:
        problems.append(
            _("Unknown basis « %(value)s »: write « consent » or « legitimate interest ».")
            % {"value": raw}
        )
    elif (values["email"] or values["phone"]) and not values["contact_basis"]:
        problems.append(
            _(
                "Contact details without a basis: say « consent » or « legitimate interest » in the column « %(column)s »."
            )
            % {"column": _("Basis for the contact details")}
        )

    raw = get("contact_review_on")
    values["contact_review_on"] = None
    if raw:
        try:
            values["contact_review_on"] = _parse_date(raw)
        except ValueError:
            problems.append(
                _("Date « %(value)s » not understood: write it as 31/12/2026.") % {"value": raw}
            )
    values["notes"] = get("notes")


def import_analyse(
    *, organisation: Organisation, headers: list[str], rows: list[dict[str, str]]
) -> ImportPreview:
    """Check every row of an uploaded table against the register; write nothing."""
    mapping, ignored = _map_headers(headers)
    preview = ImportPreview(rows=[], ignored_columns=ignored)
    if "name" not in mapping:
        preview.file_problems.append(_("The file has no column « Name »."))
    if "category" not in mapping:
        preview.file_problems.append(_("The file has no column « Category »."))
    if len(rows) > MAX_IMPORT_ROWS:
        preview.file_problems.append(
            _("The file has %(count)s rows: import at most %(max)s at a time.")
            % {"count": len(rows), "max": MAX_IMPORT_ROWS}
        )
        return preview

    existing = Stakeholder.objects.filter(organisation=organisation).values_list("name", "email")
    existing_names = {normalise(name): name for name, _email in existing}
    existing_emails = {email.lower(): name for name, email in existing if email}
    seen_names: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    lookups = _lookups()

    for index, raw in enumerate(rows):
        row = ImportRow(line=index + 2, raw=raw)

        def get(key: str, raw=raw) -> str:
            header = mapping.get(key)
            return (raw.get(header) or "").strip() if header else ""

        _check_row(row, get, lookups)
        name_key = normalise(row.name)
        email = row.values["email"]
        if email and email in existing_emails:
            row.problems.append(
                _("Already in the register with the same email: %(name)s.")
                % {"name": existing_emails[email]}
            )
        elif email and email in seen_emails:
            row.problems.append(
                _("Same email as line %(line)s of the file.") % {"line": seen_emails[email]}
            )
        if name_key and name_key in existing_names:
            row.problems.append(
                _("Already in the register with the same name: %(name)s.")
                % {"name": existing_names[name_key]}
            )
        elif name_key and name_key in seen_names:
            row.problems.append(
                _("Same name as line %(line)s of the file.") % {"line": seen_names[name_key]}
            )
        if name_key:
            seen_names.setdefault(name_key, row.line)
        if email:
            seen_emails.setdefault(email, row.line)
        preview.rows.append(row)
    return preview
