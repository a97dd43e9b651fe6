"""Reading a register from a table: the columns, and the check of every row.

`import_analyse` writes nothing: it says, row by row, what is wrong (missing
name, unknown category, duplicate of an existing stakeholder by email or by
name…) so that the person can fix the file or import the valid rows.
`faireavec.stakeholders.services.stakeholder_import` writes them.

Each row is checked by the stakeholder form, the one the register's page uses
(and its sub-category by the sub-category form): this module only turns the
words of a spreadsheet (« consulter », « consentement », « 3,0 ») into the
form's values and adds the import's own rule, no duplicates.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faireavec.organisations.models import Organisation
from faireavec.stakeholders.forms import StakeholderForm, SubcategoryForm
from faireavec.stakeholders.models import (
    Category,
    ContactBasis,
    Level,
    ParticipationMode,
    Stakeholder,
    StakeholderSubcategory,
)

MAX_IMPORT_ROWS = 5000
# The stakeholder's fields an import fills, checked by the stakeholder form.
IMPORTED_FIELDS = (
    "kind",
    "name",
    "category",
    "territory",
    "current_level",
    "target_level",
    "participation_modes",
    "influence",
    "interest",
    "email",
    "phone",
    "contact_basis",
    "contact_review_on",
    "notes",
)


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


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", text) if part.strip()]


def _date_text(text: str) -> str:
    """A spreadsheet's date cell comes back as « 2026-12-31 00:00:00 »: keep the date.
    A French date (« 31/12/2026 », as our CSV exports write it) becomes 2026-12-31,
    so that it reads the same whatever the language of the person importing."""
    match = re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})[ T][\d:.]+", text)
    if match:
        return match[1]
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    return text


def _number_text(text: str) -> str:
    """« 3 », « 3,0 » or « 3.0 » (a number cell) → « 3 »; anything else unchanged."""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    return str(int(number)) if number.is_integer() else text


def _looked_up(lookup: dict, raw: str, default=""):
    """The value a word of the file stands for; unknown words are passed on as
    they are, so that the form says they are not a valid choice."""
    if not raw:
        return default
    return lookup.get(normalise(raw), raw)


def _form_data(get, lookups) -> dict:
    """The row as the stakeholder form's data: words of the file (« consulter »,
    « consentement ») become the form's values; the form then checks everything."""
    current = _looked_up(lookups["level"], get("current_level"), Level.INFORM)
    target_default = current if current in Level.values else Level.INFORM
    return {
        "kind": _looked_up(lookups["kind"], get("kind"), Stakeholder.Kind.PERSON),
        "name": " ".join(get("name").split()),
        "category": _looked_up(lookups["category"], get("category")),
        "territory": get("territory"),
        "tags_text": ", ".join(_split(get("tags"))),
        "current_level": current,
        "target_level": _looked_up(lookups["level"], get("target_level"), target_default),
        "participation_modes": [
            _looked_up(lookups["mode"], raw) for raw in _split(get("participation_modes"))
        ],
        "influence": _number_text(get("influence")) or "3",
        "interest": _number_text(get("interest")) or "3",
        "email": get("email").lower(),
        "phone": get("phone"),
        "contact_basis": _looked_up(lookups["basis"], get("contact_basis")),
        "contact_review_on": _date_text(get("contact_review_on")),
        "notes": get("notes"),
    }


def _column_key(field_name: str) -> str:
    return "tags" if field_name == "tags_text" else field_name


def _column_label(field_name: str) -> str:
    key = _column_key(field_name)
    for column in COLUMNS:
        if column.key == key:
            return str(column.label)
    return ""


def _form_problems(form, get) -> list[str]:
    """The form's first message for each column, with the column and what the
    cell holds (« Courriel « pas-une-adresse » : Saisissez une adresse… »)."""
    problems = []
    for field_name, errors in form.errors.items():
        label = _column_label(field_name)
        message = errors[0]
        value = get(_column_key(field_name)) if label else ""
        if label and value:
            problems.append(
                _("%(column)s « %(value)s »: %(message)s")
                % {"column": label, "value": value[:80], "message": message}
            )
        elif label:
            problems.append(_("%(column)s: %(message)s") % {"column": label, "message": message})
        else:
            problems.append(str(message))
    return problems


def _check_row(row: ImportRow, get, lookups, organisation: Organisation) -> None:
    """Check a row with the rules of the stakeholder form (the page's rules: required
    fields, lengths, email, levels, scales, contact basis, dates), and its
    sub-category with the sub-category form; fill `row.values` with what is valid."""
    # services imports this module: its tag parser is read at call time.
    from faireavec.stakeholders.services import tag_names_parse

    data = _form_data(get, lookups)
    instance = Stakeholder(organisation=organisation, reviewed_on=timezone.localdate())
    # Django checks each CheckConstraint with a query: seven per row, minutes for
    # a large file. Their rules are also the fields' choices and Model.clean,
    # which the form runs; the database still enforces them when the rows are written.
    instance.validate_constraints = lambda exclude=None: None
    form = StakeholderForm(data, organisation=organisation, instance=instance)
    # The import links no account, and names sub-categories (created when new)
    # instead of choosing existing ones: the sub-category form checks those.
    del form.fields["user"], form.fields["subcategory"]
    if not form.is_valid():
        row.problems.extend(_form_problems(form, get))
    values = {name: form.cleaned_data.get(name) for name in IMPORTED_FIELDS}
    values["name"] = values["name"] or data["name"]
    values["tags"] = tag_names_parse(form.cleaned_data.get("tags_text") or "")
    values["subcategory"] = " ".join(get("subcategory").split())
    if values["subcategory"] and form.cleaned_data.get("category"):
        subcategory_form = SubcategoryForm(
            {"category": form.cleaned_data["category"], "name": values["subcategory"]},
            instance=StakeholderSubcategory(organisation=organisation),
        )
        if not subcategory_form.is_valid():
            label = _column_label("subcategory")
            row.problems.extend(
                _("%(column)s: %(message)s") % {"column": label, "message": message}
                for errors in subcategory_form.errors.values()
                for message in errors
            )
    row.values = values


def import_analyse(
    *,
    organisation: Organisation,
    headers: list[str],
    rows: list[dict[str, str]],
    progress: Callable[[int, int], None] | None = None,
    progress_every: int = 50,
) -> ImportPreview:
    """Check every row of an uploaded table against the register; write nothing.

    `progress(done, total)` is called every `progress_every` rows checked (the
    import's task reports it on the job's page).
    """
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

    lookups = _lookups()

    for index, raw in enumerate(rows):
        row = ImportRow(line=index + 2, raw=raw)

        def get(key: str, raw=raw) -> str:
            header = mapping.get(key)
            return (raw.get(header) or "").strip() if header else ""

        _check_row(row, get, lookups, organisation)
        if progress is not None and (index + 1) % progress_every == 0:
            progress(index + 1, len(rows))
        preview.rows.append(row)
    duplicates_check(organisation=organisation, rows=preview.rows)
    return preview


def duplicates_check(*, organisation: Organisation, rows: list[ImportRow]) -> None:
    """Add a problem to each row that repeats a stakeholder of the register, or an
    earlier row of the file, by email or by name (ignoring case and accents).

    Run by the preview and again by the import's write, under a lock, since the
    register may have changed in between."""
    existing = Stakeholder.objects.filter(organisation=organisation).values_list("name", "email")
    existing_names = {normalise(name): name for name, _email in existing}
    existing_emails = {email.lower(): name for name, email in existing if email}
    seen_names: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row in rows:
        name_key = normalise(row.name)
        email = row.values.get("email") or ""
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
