"""Reading the pages back with the standard library's HTML parser (no regex on markup)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _ById(HTMLParser):
    """Collects the text inside the element with the given id (or every element of a tag)."""

    def __init__(self, match: dict[str, str]) -> None:
        super().__init__()
        self.match = match
        self.depth = 0
        self.found: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        if self.depth:
            self.depth += 1
            return
        attributes = dict(attrs)
        if all(attributes.get(k) == v if k != "tag" else tag == v for k, v in self.match.items()):
            self.depth = 1
            self.current = []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or not self.depth:
            return
        self.depth -= 1
        if not self.depth:
            self.found.append(" ".join("".join(self.current).split()))

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.current.append(data)


def texts(html: str, **match: str) -> list[str]:
    """Whitespace-normalised text of every element matching all attributes (tag= for tag)."""
    parser = _ById({k.rstrip("_"): v for k, v in match.items()})
    parser.feed(html)
    return parser.found


def text_by_id(html: str, element_id: str) -> str:
    found = texts(html, id=element_id)
    assert found, f"no element with id {element_id!r}"
    return found[0]


def table_rows(html: str) -> list[list[str]]:
    """Rows of the page's first table body as lists of cell texts (th and td)."""
    body = _Rows()
    body.feed(html)
    return body.rows


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_body = False
        self.cell: list[str] | None = None
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody" and self.in_body:
            self.in_body, self.done = False, True
        elif self.cell is not None and tag in ("td", "th"):
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
