"""XLSForm (the spreadsheet format of ODK and KoboToolbox) in and out.

Shared types and how they map:

| FaireAvec | XLSForm |
|---|---|
| short / long text | `text` (long: appearance `multiline`) |
| single / multiple choice | `select_one list` / `select_multiple list` (« autre »: `or_other`) |
| yes / no | `select_one yes_no` (names `yes`, `no`) |
| agreement 1-5, satisfaction 1-5 | `select_one agreement5` / `select_one satisfaction5` (names 1-5) |
| recommendation 0-10 (NPS) | `range` with `start=0 end=10 step=1` |
| number (min / max) | `integer` or `decimal`, bounds as `constraint` `. >= 1 and . <= 9` |
| date | `date` |
| grid | a `begin_group` whose questions are all `select_one agreement5` |
| section | `begin_group` … `end_group` |
| condition | `relevant`: `${code} = 'yes'`, `selected(${code}, 'a')`, `${code} > 3`, joined by `and` / `or` |

Importing reads the file with openpyxl (several sheets, which `read_table`
does not do) and makes a preview: what will be created, and every row that
cannot be (an unknown type such as `geopoint`, a condition it does not
understand, a list without options), row by row. Nothing is dropped silently:
the person sees the list before confirming.
"""

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from faireavec.core.exports import MAX_IMPORT_BYTES
from faireavec.surveys.models import OTHER_CODE, Kind, Survey
from faireavec.surveys.scales import AGREEMENT, SATISFACTION, YES_NO
from faireavec.surveys.selectors import survey_structure

SCALE_LISTS = {"agreement5": Kind.AGREEMENT, "satisfaction5": Kind.SATISFACTION}
IGNORED_TYPES = {"start", "end", "today", "deviceid", "username", "phonenumber", "audit"}


# Export --------------------------------------------------------------------


def _relevant(condition, codes: dict[int, str], kinds: dict[int, str]) -> str:
    if not condition or not condition.get("rules"):
        return ""
    parts = []
    for rule in condition["rules"]:
        code = codes.get(rule.get("question"))
        if not code:
            continue
        values = rule.get("value")
        values = values if isinstance(values, list) else [values]
        multiple = kinds.get(rule.get("question")) == Kind.MULTIPLE

        def test(value, code=code, multiple=multiple):
            return f"selected(${{{code}}}, '{value}')" if multiple else f"${{{code}}} = '{value}'"

        if rule["op"] == "gt":
            parts.append(f"${{{code}}} > {values[0]}")
        elif rule["op"] == "one_of":
            parts.append("(" + " or ".join(test(v) for v in values) + ")")
        else:
            parts.append(test(values[0]))
    joiner = " or " if condition.get("combine") == "any" else " and "
    return joiner.join(parts)


def xlsform_export(*, survey: Survey) -> bytes:
    """The survey as an XLSForm workbook (sheets survey, choices, settings)."""
    from openpyxl import Workbook

    sections = survey_structure(survey=survey)
    every = [q for s in sections for q in s.questions.all() if not q.is_hidden]
    codes = {q.pk: q.code for q in every}
    kinds = {q.pk: q.kind for q in every}
    rows = [
        [
            "type",
            "name",
            "label",
            "hint",
            "required",
            "relevant",
            "appearance",
            "constraint",
            "parameters",
        ]
    ]
    choices = [["list_name", "name", "label"]]
    lists_used = set()

    def scale_list(name, options):
        if name not in lists_used:
            lists_used.add(name)
            choices.extend([name, str(v), str(label)] for v, label in options)

    for section in sections:
        rows.append(
            [
                "begin_group",
                f"section_{section.position + 1}",
                section.title,
                "",
                "",
                _relevant(section.condition, codes, kinds),
                "field-list",
                "",
                "",
            ]
        )
        for q in section.questions.all():
            if q.is_hidden:
                continue
            required = "yes" if q.required else ""
            relevant = _relevant(q.condition, codes, kinds)
            base = {
                "name": q.code,
                "label": q.label,
                "hint": q.help_text,
                "required": required,
                "relevant": relevant,
            }
            row = None
            if q.kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
                row = ["text", "multiline" if q.kind == Kind.LONG_TEXT else "", "", ""]
            elif q.kind in (Kind.SINGLE, Kind.MULTIPLE):
                list_name = q.code
                choices.extend([list_name, c["value"], c["label"]] for c in q.choices)
                kind = "select_one" if q.kind == Kind.SINGLE else "select_multiple"
                other = " or_other" if q.allow_other else ""
                row = [f"{kind} {list_name}{other}", "", "", ""]
            elif q.kind == Kind.YES_NO:
                scale_list("yes_no", YES_NO)
                row = ["select_one yes_no", "", "", ""]
            elif q.kind in (Kind.AGREEMENT, Kind.SATISFACTION):
                name = "agreement5" if q.kind == Kind.AGREEMENT else "satisfaction5"
                scale_list(name, AGREEMENT if q.kind == Kind.AGREEMENT else SATISFACTION)
                row = [f"select_one {name}", "likert", "", ""]
            elif q.kind == Kind.NPS:
                row = ["range", "", "", "start=0 end=10 step=1"]
            elif q.kind == Kind.NUMBER:
                bounds = []
                if q.min_value is not None:
                    bounds.append(f". >= {q.min_value}")
                if q.max_value is not None:
                    bounds.append(f". <= {q.max_value}")
                row = ["integer", "", " and ".join(bounds), ""]
            elif q.kind == Kind.DATE:
                row = ["date", "", "", ""]
            elif q.kind == Kind.MATRIX:
                scale_list("agreement5", AGREEMENT)
                rows.append(
                    [
                        "begin_group",
                        q.code,
                        q.label,
                        q.help_text,
                        "",
                        relevant,
                        "field-list",
                        "",
                        "",
                    ]
                )
                for item in q.items:
                    rows.append(
                        [
                            "select_one agreement5",
                            f"{q.code}__{item['value']}",
                            item["label"],
                            "",
                            required,
                            "",
                            "likert",
                            "",
                            "",
                        ]
                    )
                rows.append(["end_group", "", "", "", "", "", "", "", ""])
                continue
            xls_type, appearance, constraint, parameters = row
            rows.append(
                [
                    xls_type,
                    base["name"],
                    base["label"],
                    base["hint"],
                    base["required"],
                    base["relevant"],
                    appearance,
                    constraint,
                    parameters,
                ]
            )
        rows.append(["end_group", "", "", "", "", "", "", "", ""])
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in rows:
        sheet.append(row)
    choice_sheet = workbook.create_sheet("choices")
    for row in choices:
        choice_sheet.append(row)
    settings_sheet = workbook.create_sheet("settings")
    settings_sheet.append(["form_title", "form_id", "version"])
    settings_sheet.append([str(survey), f"faireavec_{survey.pk}", str(survey.wave_number)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Import --------------------------------------------------------------------


@dataclass
class Issue:
    row: int  # the row of the « survey » sheet (as the spreadsheet numbers it)
    name: str
    xls_type: str
    message: str


@dataclass
class ImportPreview:
    spec: dict
    issues: list[Issue] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return sum(len(s["questions"]) for s in self.spec["sections"])


RULE_EQUALS = re.compile(r"^\$\{(\w+)\}\s*=\s*'([^']*)'$")
RULE_NUMBER = re.compile(r"^\$\{(\w+)\}\s*(=|>)\s*(-?\d+(?:\.\d+)?)$")
RULE_SELECTED = re.compile(r"^selected\(\s*\$\{(\w+)\}\s*,\s*'([^']*)'\s*\)$")
BOUND = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+)$")


def _parse_rule(text: str):
    text = text.strip()
    for pattern in (RULE_EQUALS, RULE_SELECTED):
        m = pattern.match(text)
        if m:
            return {"question": m.group(1), "op": "equals", "value": m.group(2)}
    m = RULE_NUMBER.match(text)
    if m:
        number = float(m.group(3))
        value = int(number) if number.is_integer() else number
        return {
            "question": m.group(1),
            "op": "gt" if m.group(2) == ">" else "equals",
            "value": value,
        }
    return None


def _unwrap(text: str) -> str:
    text = text.strip()
    if text.startswith("(") and text.endswith(")"):
        return text[1:-1].strip()
    return text


def parse_relevant(text: str):
    """An ODK `relevant` of the simple kinds FaireAvec has, as a condition (codes
    for questions), or None when it is not understood."""
    text = _unwrap(text or "")
    if not text:
        return {}
    if " and " in text and " or " in text.replace("(", "").replace(")", ""):
        # « one of » inside « and »: (a = 'x' or a = 'y') and b > 3
        groups = [g.strip() for g in text.split(" and ")]
        rules = []
        for group in groups:
            inner = group.strip()
            if inner.startswith("(") and inner.endswith(")"):
                alternatives = [_parse_rule(p) for p in inner[1:-1].split(" or ")]
                if not all(alternatives) or len({a["question"] for a in alternatives}) != 1:
                    return None
                rules.append(
                    {
                        "question": alternatives[0]["question"],
                        "op": "one_of",
                        "value": [a["value"] for a in alternatives],
                    }
                )
            else:
                rule = _parse_rule(inner)
                if rule is None:
                    return None
                rules.append(rule)
        return {"combine": "all", "rules": rules}
    combine, parts = ("any", text.split(" or ")) if " or " in text else ("all", text.split(" and "))
    rules = [_parse_rule(_unwrap(p)) for p in parts]
    if not all(rules):
        return None
    same = {r["question"] for r in rules}
    if (
        combine == "any"
        and len(rules) > 1
        and len(same) == 1
        and all(r["op"] == "equals" for r in rules)
    ):
        return {
            "combine": "all",
            "rules": [
                {
                    "question": rules[0]["question"],
                    "op": "one_of",
                    "value": [r["value"] for r in rules],
                }
            ],
        }
    return {"combine": combine, "rules": rules}


def _sheet_rows(workbook, name):
    if name not in workbook.sheetnames:
        return [], []
    rows = list(workbook[name].iter_rows(values_only=True))
    if not rows:
        return [], []
    headers = [str(h or "").strip().lower() for h in rows[0]]
    body = []
    for values in rows[1:]:
        body.append(
            {
                h: ("" if v is None else str(v).strip())
                for h, v in zip(headers, values, strict=False)
                if h
            }
        )
    return headers, body


def _label(row: dict) -> str:
    if row.get("label"):
        return row["label"]
    for key, value in row.items():  # label::French (fr), label::English (en)…
        if key.startswith("label::") and value:
            return value
    return ""


def xlsform_preview(uploaded_file) -> ImportPreview:
    """Read an XLSForm file into a survey description and the list of what
    cannot be imported, row by row. Raises ValidationError for a file that is
    not an XLSForm at all."""
    from openpyxl import load_workbook

    if (getattr(uploaded_file, "size", 0) or 0) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is too large (5 MB at most)."))
    try:
        workbook = load_workbook(
            io.BytesIO(uploaded_file.read(MAX_IMPORT_BYTES + 1)), read_only=True, data_only=True
        )
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValidationError(_("The file could not be read: is it an XLSForm in XLSX?")) from exc
    headers, survey_rows = _sheet_rows(workbook, "survey")
    if "type" not in headers or "name" not in headers:
        raise ValidationError(
            _("The file has no « survey » sheet with « type » and « name » columns.")
        )
    _h, choice_rows = _sheet_rows(workbook, "choices")
    lists: dict[str, list[dict]] = {}
    for row in choice_rows:
        list_name = row.get("list_name") or row.get("list name") or ""
        if list_name and row.get("name"):
            lists.setdefault(list_name, []).append(
                {
                    "value": slugify(row["name"])[:40] or row["name"][:40],
                    "label": (_label(row) or row["name"])[:200],
                }
            )
    _h, settings_rows = _sheet_rows(workbook, "settings")
    title = (settings_rows[0].get("form_title") if settings_rows else "") or _("Imported survey")
    issues: list[Issue] = []
    sections: list[dict] = []
    current: dict | None = None
    group_stack: list[dict] = []
    pending_conditions: list[tuple[int, dict, str, str]] = []

    def section_for_question() -> dict:
        nonlocal current
        if current is None:
            current = {"title": _("Questions"), "questions": []}
            sections.append(current)
        return current

    for index, row in enumerate(survey_rows, start=2):
        xls_type = re.sub(r"\s+", " ", row.get("type", "")).strip()
        name = row.get("name", "")
        label = _label(row)
        if not xls_type:
            continue
        base_type = xls_type.split(" ")[0].lower()
        if base_type in ("begin_group", "begin group", "begin_repeat"):
            if base_type == "begin_repeat":
                issues.append(
                    Issue(
                        index,
                        name,
                        xls_type,
                        _("Repeated groups are not supported: their questions are imported once."),
                    )
                )
            group = {
                "row": index,
                "name": name,
                "label": label or name,
                "relevant": row.get("relevant", ""),
                "children": [],
                "hint": row.get("hint", ""),
            }
            group_stack.append(group)
            if len(group_stack) == 1:
                current = {"title": group["label"], "questions": []}
                sections.append(current)
                if group["relevant"]:
                    pending_conditions.append((index, current, group["relevant"], name))
            continue
        if base_type in ("end_group", "end group", "end_repeat"):
            group = group_stack.pop() if group_stack else None
            if group and len(group_stack) >= 1:
                _nested_group_as_matrix(group, section_for_question(), issues, pending_conditions)
            continue
        if base_type in IGNORED_TYPES:
            issues.append(
                Issue(
                    index,
                    name,
                    xls_type,
                    _("Collected automatically by ODK: not a question, left out."),
                )
            )
            continue
        question = _question_from_row(index, row, xls_type, base_type, lists, issues)
        if question is None:
            continue
        if len(group_stack) >= 2:
            group_stack[-1]["children"].append((index, row, question))
            continue
        section_for_question()["questions"].append(question)
        if row.get("relevant"):
            pending_conditions.append((index, question, row["relevant"], name))
    for index, target, relevant, name in pending_conditions:
        condition = parse_relevant(relevant)
        if condition is None:
            issues.append(
                Issue(
                    index,
                    name,
                    "relevant",
                    _("Condition not understood, left out: %(relevant)s") % {"relevant": relevant},
                )
            )
        elif condition:
            target["condition"] = condition
    sections = [s for s in sections if s["questions"]]
    spec = {"survey": {"title": title[:200]}, "sections": sections}
    return ImportPreview(spec=spec, issues=issues)


def _nested_group_as_matrix(group, section, issues, pending_conditions) -> None:
    """A group inside a section: a grid if all its questions are on the agreement
    scale, otherwise its questions join the section."""
    children = group["children"]
    if children and all(q["kind"] == Kind.AGREEMENT for _i, _r, q in children):
        code = slugify(group["name"]).replace("-", "_")[:40] or "grid"
        items = []
        for _index, _row, q in children:
            value = q["code"].split("__", 1)[-1][:40]
            items.append({"value": value, "label": q["label"][:200]})
        matrix = {
            "code": code,
            "kind": Kind.MATRIX,
            "label": group["label"][:500],
            "help_text": group["hint"][:500],
            "items": items,
        }
        section["questions"].append(matrix)
        if group["relevant"]:
            pending_conditions.append((group["row"], matrix, group["relevant"], group["name"]))
        return
    for index, row, q in children:
        section["questions"].append(q)
        if row.get("relevant"):
            pending_conditions.append((index, q, row["relevant"], row.get("name", "")))


def _question_from_row(index, row, xls_type, base_type, lists, issues):
    name = row.get("name", "")
    code = slugify(name).replace("-", "_")[:40]
    label = _label(row)[:500]
    if not code or not label:
        issues.append(
            Issue(index, name, xls_type, _("A question needs a name and a label: left out."))
        )
        return None
    question = {
        "code": code,
        "label": label,
        "help_text": (row.get("hint") or "")[:500],
        "required": row.get("required", "").lower() in ("yes", "true", "true()", "1"),
    }
    if base_type == "text":
        question["kind"] = (
            Kind.LONG_TEXT if "multiline" in row.get("appearance", "") else Kind.SHORT_TEXT
        )
    elif base_type in ("integer", "decimal"):
        question["kind"] = Kind.NUMBER
        for part in (row.get("constraint") or "").split(" and "):
            m = BOUND.match(part.strip())
            if m:
                question["min_value" if m.group(1) == ">=" else "max_value"] = int(m.group(2))
            elif part.strip():
                issues.append(
                    Issue(
                        index,
                        name,
                        xls_type,
                        _("Constraint not understood, left out: %(constraint)s")
                        % {"constraint": part.strip()},
                    )
                )
    elif base_type == "date":
        question["kind"] = Kind.DATE
    elif base_type == "range":
        parameters = row.get("parameters", "").replace(" ", "")
        if (
            parameters in ("start=0;end=10;step=1", "start=0end=10step=1")
            or set(parameters.split(";")) == {"start=0", "end=10", "step=1"}
            or ("start=0" in parameters and "end=10" in parameters)
        ):
            question["kind"] = Kind.NPS
        else:
            issues.append(
                Issue(
                    index, name, xls_type, _("Only the 0 to 10 range (NPS) is supported: left out.")
                )
            )
            return None
    elif base_type in ("select_one", "select_multiple"):
        words = xls_type.split(" ")
        if len(words) < 2:
            issues.append(
                Issue(index, name, xls_type, _("The list of options is not named: left out."))
            )
            return None
        list_name = words[1]
        options = lists.get(list_name, [])
        values = {o["value"] for o in options}
        if (
            base_type == "select_one"
            and list_name in SCALE_LISTS
            and values == {"1", "2", "3", "4", "5"}
        ):
            question["kind"] = SCALE_LISTS[list_name]
        elif base_type == "select_one" and values == {"yes", "no"}:
            question["kind"] = Kind.YES_NO
        else:
            if len(options) < 2:
                issues.append(
                    Issue(
                        index,
                        name,
                        xls_type,
                        _("The list « %(list)s » has fewer than two options: left out.")
                        % {"list": list_name},
                    )
                )
                return None
            question["kind"] = Kind.SINGLE if base_type == "select_one" else Kind.MULTIPLE
            question["choices"] = [o for o in options if o["value"] != OTHER_CODE]
            question["allow_other"] = "or_other" in words or OTHER_CODE in values
    else:
        issues.append(
            Issue(
                index,
                name,
                xls_type,
                _("The type « %(type)s » is not supported: left out.") % {"type": xls_type},
            )
        )
        return None
    return question
