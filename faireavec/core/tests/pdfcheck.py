"""Read a PDF back in tests: its text, pages, language, title, tags and fonts."""

import io
import math
from dataclasses import dataclass, field

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass
class PdfFacts:
    text: str
    pages: int
    lang: str
    title: str
    marked: bool
    tags: list[str]  # structure types, in reading order: "/H1", "/P", "/Figure"…
    alts: list[str]  # alternative texts of the figures
    font_sizes: list[float] = field(default_factory=list)  # of every piece of text
    fonts: set[str] = field(default_factory=set)  # base names of the fonts used
    embedded: bool = False  # every font has its file in the PDF

    @property
    def flat_text(self) -> str:
        """The text with its line breaks as spaces (lines are cut where the page says)."""
        return " ".join(self.text.split())


def _walk(node, tags: list[str], alts: list[str]) -> None:
    node = node.get_object()
    if isinstance(node, DictionaryObject):
        if "/S" in node:
            tags.append(str(node["/S"]))
            if "/Alt" in node:
                alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is None:
            return
        kids = kids.get_object()
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            if isinstance(kid, IndirectObject | DictionaryObject):
                _walk(kid, tags, alts)


def read_pdf(content: bytes) -> PdfFacts:
    assert content.startswith(b"%PDF-"), content[:20]
    reader = pypdf.PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    sizes: list[float] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        if text.strip():
            sizes.append(round(font_size * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1]), 2))

    texts = [page.extract_text(visitor_text=visit) for page in reader.pages]
    tags: list[str] = []
    alts: list[str] = []
    if "/StructTreeRoot" in root:
        _walk(root["/StructTreeRoot"], tags, alts)
    fonts, embedded = set(), True
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]).split("+", 1)[-1])
            descendant = font["/DescendantFonts"][0].get_object()
            embedded &= "/FontFile2" in descendant["/FontDescriptor"]
    return PdfFacts(
        text="\n".join(texts),
        pages=len(reader.pages),
        lang=str(root.get("/Lang", "")),
        title=str((reader.metadata or {}).get("/Title", "")),
        marked=bool(root.get("/MarkInfo", {}).get("/Marked")),
        tags=tags,
        alts=alts,
        font_sizes=sizes,
        fonts=fonts,
        embedded=embedded,
    )
