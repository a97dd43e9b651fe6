"""Tables out (export_content, the file `export_or_job` sends) and in (read_table),
in CSV, XLSX and ODS."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import tablib
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from faireavec.core.exports import MAX_IMPORT_BYTES, export_content, read_table

HEADERS = ["Nom", "Catégorie", "Téléphone", "Nombre", "Remarque"]
ROWS = [
    [
        "Élodie Lefèvre",
        "Bénéficiaire",
        "06 12 34 56 78",
        3,
        "Crèche « Les Petits Pas » — très contente",
    ],
    ["Maison de quartier Wazemmes", "Collectivité", "", 12, "=1+1 est écrit tel quel"],
    ["Zoé Çelik", "Bénévole", "+33 6 00 00 00 00", 0, "- une liste\n- sur deux lignes"],
]
EXPECTED = [{h: str(v) for h, v in zip(HEADERS, row, strict=True)} for row in ROWS]


def _as_upload(content: bytes, fmt: str, name: str = "registre") -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.{fmt}", content)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_export_then_import_gives_the_same_rows(fmt):
    """What goes out comes back in unchanged, accents, line breaks and formula-like text included."""
    content = export_content(headers=HEADERS, rows=ROWS, fmt=fmt)
    headers, rows = read_table(_as_upload(content, fmt))
    assert headers == HEADERS
    assert rows == EXPECTED


def test_csv_export_has_a_byte_order_mark_for_spreadsheet_programs():
    content = export_content(headers=["Prénom"], rows=[["Zoé"]], fmt="csv")
    assert content.startswith("\ufeff".encode())
    assert "Zoé".encode() in content


def test_xlsx_export_never_writes_a_formula():
    """Text typed by a participant that starts like a formula stays text (CSV injection)."""
    content = export_content(
        headers=["=Titre", "+Autre"],
        rows=[['=HYPERLINK("http://evil")', "@SUM(A1)"]],
        fmt="xlsx",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type == "s", cell.value


TYPED_HEADERS = ["Reçu le", "Répondu le", "Soutiens", "Masqué", "Titre"]
# 13:05 in UTC is 14:05 in Paris in winter.
TYPED_ROW = [
    dt.datetime(2026, 12, 3, 13, 5, 42, tzinfo=dt.UTC),
    dt.date(2026, 1, 5),
    12,
    True,
    "Un banc",
]


def test_csv_export_is_made_for_french_spreadsheet_programs():
    """Byte-order mark, semicolons, Oui/Non, dd/mm/yyyy and Paris time: French Excel
    and LibreOffice open it in columns with the accents right."""
    content = export_content(
        headers=TYPED_HEADERS, rows=[TYPED_ROW, [None, None, 0, False, ""]], fmt="csv"
    )
    content = content
    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Reçu le;Répondu le;Soutiens;Masqué;Titre"
    assert lines[1] == "03/12/2026 14:05;05/01/2026;12;Oui;Un banc"
    assert lines[2] == ";;0;Non;"


def test_csv_booleans_follow_the_language():
    with translation.override("en"):
        content = export_content(headers=["a", "b"], rows=[[True, False]], fmt="csv")
    assert content.decode("utf-8-sig").splitlines()[1] == "Yes;No"


def test_xlsx_export_has_typed_cells():
    content = export_content(headers=TYPED_HEADERS, rows=[TYPED_ROW], fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    received, answered, supports, hidden, title = (cell for cell in sheet[2])
    assert received.is_date and received.value == dt.datetime(2026, 12, 3, 14, 5)
    assert answered.is_date and answered.value.date() == dt.date(2026, 1, 5)
    assert supports.data_type == "n" and supports.value == 12
    assert hidden.data_type == "s" and hidden.value == "Oui"
    assert title.value == "Un banc"


def test_ods_export_has_typed_cells():
    content = export_content(headers=TYPED_HEADERS, rows=[TYPED_ROW], fmt="ods")
    data = tablib.Dataset().load(content, format="ods")
    assert list(data[0]) == [
        dt.datetime(2026, 12, 3, 14, 5),
        dt.date(2026, 1, 5),
        12,
        "Oui",
        "Un banc",
    ]


def test_a_datetime_is_written_in_paris_time_whatever_the_active_time_zone():
    from django.utils import timezone

    with timezone.override(ZoneInfo("America/New_York")):
        content = export_content(headers=["a"], rows=[[TYPED_ROW[0]]], fmt="csv")
    assert content.decode("utf-8-sig").splitlines()[1] == "03/12/2026 14:05"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_typed_cells_come_back_as_text_through_read_table(fmt):
    content = export_content(headers=TYPED_HEADERS, rows=[TYPED_ROW], fmt=fmt)
    _, rows = read_table(_as_upload(content, fmt))
    dates = (
        ("03/12/2026 14:05", "05/01/2026")
        if fmt == "csv"
        else ("2026-12-03 14:05:00", "2026-01-05")
    )
    assert rows == [dict(zip(TYPED_HEADERS, [*dates, "12", "Oui", "Un banc"], strict=True))]


def test_unknown_export_format_is_refused():
    with pytest.raises(ValueError, match="pdf"):
        export_content(headers=["a"], rows=[], fmt="pdf")


def test_read_table_accepts_semicolons_as_french_spreadsheets_write_them():
    upload = SimpleUploadedFile("liste.csv", "Nom;Ville\nÉlodie;Lille\n".encode())
    assert read_table(upload) == (["Nom", "Ville"], [{"Nom": "Élodie", "Ville": "Lille"}])


def test_read_table_skips_empty_lines():
    upload = SimpleUploadedFile("liste.csv", b"Nom,Ville\n,\nAnna,Roubaix\n")
    assert read_table(upload)[1] == [{"Nom": "Anna", "Ville": "Roubaix"}]


def _refusal(upload) -> ValidationError:
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        read_table(upload)
    return caught.value


def test_read_table_refuses_a_wrong_extension():
    error = _refusal(SimpleUploadedFile("liste.pdf", b"%PDF-1.4"))
    assert error.code == "format"
    assert error.messages == ["Choose a CSV, XLSX or ODS file."]


def test_read_table_refuses_a_too_large_file():
    error = _refusal(SimpleUploadedFile("liste.csv", b"a\n" + b"x" * MAX_IMPORT_BYTES))
    assert error.code == "size"
    assert "5 MB" in error.messages[0]


def test_read_table_refuses_a_file_larger_than_it_claims():
    """The limit holds on what is read, not only on the size the upload announces."""

    class Lying(io.BytesIO):
        name = "liste.csv"
        size = 10

    error = _refusal(Lying(b"a\n" + b"x" * MAX_IMPORT_BYTES))
    assert error.code == "size"


def test_read_table_refuses_a_csv_not_in_utf8():
    upload = SimpleUploadedFile("liste.csv", "Nom\nÉlodie\n".encode("cp1252"))
    error = _refusal(upload)
    assert error.code == "encoding"
    assert "UTF-8" in error.messages[0]


@pytest.mark.parametrize("content", [b"", b",,\n1,2,3\n"], ids=["empty", "blank-headers"])
def test_read_table_refuses_a_file_without_headers(content):
    error = _refusal(SimpleUploadedFile("liste.csv", content))
    assert error.code == "headers"
    assert error.messages == ["The first line of the file must name the columns."]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_read_table_refuses_a_corrupt_spreadsheet(fmt):
    error = _refusal(SimpleUploadedFile(f"liste.{fmt}", b"PK\x03\x04 this is not a real archive"))
    assert error.code == "invalid"
    assert error.messages == ["The file could not be read: is it really a table?"]


def test_messages_are_in_french_by_default():
    with pytest.raises(ValidationError) as caught:
        read_table(SimpleUploadedFile("liste.txt", b"x"))
    assert caught.value.messages[0] != "Choose a CSV, XLSX or ODS file."
    assert "CSV" in caught.value.messages[0]
