"""What WeasyPrint's PDF/UA tagging leaves to us: pagination artifacts, and tables as one.

WeasyPrint (70) tags every piece of text it draws. The contents of page margin boxes
(running header, footer, page numbers) get structure elements that hang nowhere in the
tree, and a table broken across pages becomes one table per page, its repeated header row
tagged each time. `tidy_structure` is a WeasyPrint finisher: it runs on the PDF's objects
after tagging and before they are written, and

- joins the pieces of a table broken across pages into the first piece, drops the repeated
  header rows from the tree and points the cells of the later pieces at the first header;
- turns every piece of content that no structure element reaches into an artifact (the
  margin boxes and the repeated header rows), renumbering the rest of each page's marked
  content so that the parent tree stays dense.

It reads WeasyPrint's objects as its tagging writes them (`weasyprint.pdf.tags`);
`tests/reports/test_pdf_structure.py` reads the PDF it gives back.
"""

from collections import defaultdict
from collections.abc import Iterator

MARKED_CONTENT_TAGS = frozenset({"/Span", "/Figure"})


def tidy_structure(document, pdf) -> None:
    """Finisher for `weasyprint.Document.write_pdf`; see the module's docstring."""
    from weasyprint.formatting_structure import boxes

    if "StructTreeRoot" not in pdf.catalog:
        return  # an untagged PDF

    def resolve(reference: bytes):
        return pdf.objects[int(reference.split()[0])]

    root = resolve(pdf.catalog["StructTreeRoot"])
    _join_broken_tables(document, resolve, boxes)
    reachable = _reachable(resolve(root["K"][0]), resolve)

    parent_tree = resolve(root["ParentTree"])["Nums"]
    for page_number, page in enumerate(pdf.page_references):
        stream = resolve(resolve(page)["Contents"]).stream
        parents = parent_tree[2 * page_number + 1]
        parent_tree[2 * page_number + 1] = _tidy_page(stream, parents, reachable, resolve)

    # Object numbers cannot move any more: what nothing reaches is left empty.
    for candidate in pdf.objects:
        if (
            isinstance(candidate, dict)
            and candidate.get("Type") == "/StructElem"
            and candidate.number not in reachable
        ):
            candidate.clear()


def _tidy_page(stream: list, parents: list, reachable: set[int], resolve) -> list:
    """Make the page's marked content that no reachable element holds an artifact, number
    the rest 0, 1, 2… in stream order, and return the page's new parent tree entry."""
    import pydyf

    kept = pydyf.Array()

    def keep(mcid: int) -> int | None:
        element = resolve(parents[mcid])
        if element.number not in reachable:
            return None
        element["K"][element["K"].index(mcid)] = len(kept)
        kept.append(parents[mcid])
        return len(kept) - 1

    _renumber(stream, keep)
    return kept


def _renumber(stream: list, keep) -> None:
    """Each `/Tag <</MCID n>> BDC` of a content stream gets the MCID `keep(n)` returns, or
    becomes `/Artifact BMC` when it returns None."""
    edited = []
    index = 0
    while index < len(stream):
        item = stream[index]
        properties = stream[index + 1] if index + 2 < len(stream) else None
        if (
            item in MARKED_CONTENT_TAGS
            and isinstance(properties, dict)
            and "MCID" in properties
            and stream[index + 2] == b"BDC"
        ):
            mcid = keep(properties["MCID"])
            if mcid is None:
                edited += ["/Artifact", b"BMC"]
            else:
                properties["MCID"] = mcid
                edited += [item, properties, b"BDC"]
            index += 3
        else:
            edited.append(item)
            index += 1
    stream[:] = edited


def _reachable(top, resolve) -> set[int]:
    """The object numbers of every structure element under `top`, `top` included."""
    seen = {top.number}
    waiting = [top]
    while waiting:
        for kid in waiting.pop()["K"]:
            if isinstance(kid, bytes):
                element = resolve(kid)
                if element.get("Type") == "/StructElem" and element.number not in seen:
                    seen.add(element.number)
                    waiting.append(element)
    return seen


def _join_broken_tables(document, resolve, boxes) -> None:
    """Each table broken across pages becomes its first piece: rows of the later pieces
    join the first piece's body, and their repeated header rows leave the tree."""
    pieces = defaultdict(list)  # HTML table element → its table elements, page by page
    for page in document.pages:
        for table in _tables(page._page_box, boxes):
            element = _table_element(table, resolve)
            if element is None:
                continue  # an element laid out as a table, not a table: nothing to join
            known = pieces[table.element]
            if all(piece is not element for piece in known):
                known.append(element)
    for first, *later in pieces.values():
        body = next((resolve(k) for k in reversed(first["K"]) if resolve(k)["S"] == "/TBody"), None)
        first_headers = _header_ids(first, resolve)
        for piece in later:
            renamed = dict(zip(_header_ids(piece, resolve), first_headers, strict=False))
            for reference in piece["K"]:
                part = resolve(reference)
                if part["S"] == "/THead":
                    continue  # the header row repeated on this page: an artifact
                if part["S"] == "/TBody" and body is not None:
                    for row in map(resolve, part["K"]):
                        row["P"] = body.reference
                        _rename_headers(row, renamed, resolve)
                    body["K"].extend(part["K"])
                else:
                    part["P"] = first.reference
                    first["K"].append(reference)
            parent = resolve(piece["P"])
            parent["K"].remove(piece.reference)


def _tables(box, boxes) -> Iterator:
    if isinstance(box, boxes.TableBox):
        yield box
    for child in getattr(box, "children", ()):
        yield from _tables(child, boxes)


def _table_element(table, resolve):
    """The table's structure element, found from a body cell's (WeasyPrint keeps those on
    the cells' boxes; a repeated header row's boxes may be shared between pages)."""
    for group in table.children:
        if group.is_header:
            continue
        for row in group.children:
            for cell in row.children:
                element = getattr(cell, "mark", None)
                while element is not None and element["S"] != "/Table":
                    element = resolve(element["P"])
                if element is not None:
                    return element
    return None


def _header_ids(table, resolve) -> list[str]:
    """The IDs of the column headers in the table's head, in order."""
    return [
        cell["ID"].string
        for part in map(resolve, table["K"])
        if part["S"] == "/THead"
        for row in map(resolve, part["K"])
        for cell in map(resolve, row["K"])
        if "ID" in cell
    ]


def _rename_headers(row, renamed: dict[str, str], resolve) -> None:
    for cell in map(resolve, row["K"]):
        for header in cell.get("A", {}).get("Headers", ()):
            header.string = renamed.get(header.string, header.string)
