"""Fix the structure tree WeasyPrint writes, so assistive technology reads the PDF right.

Run on every PDF (see :func:`leaflets.render.pdf.PdfRenderer.render_pdf`), with
the facts recorded by :mod:`leaflets.render.pdf_marks`:

1. page-margin text (footers, headers) and decorative glyphs (``aria-hidden``)
   become artifacts: marked as such in the page content, gone from the tree;
2. elements WeasyPrint splits at page breaks (a new Part, Sect, list... per
   page) are joined again, and a table's header row repeated on a new page
   becomes a pagination artifact (one THead per table); a ``dl``'s term and
   value become one list item (Lbl and LBody) instead of two unlabelled ones;
3. ``/Lang`` on each element whose HTML language differs from its parent's;
4. ``/ActualText`` (logical text) on the structure element of each shaped or
   right-to-left text run. Not in the page content: poppler's pdftotext then
   reorders that logical text a second time, reversing it;
5. tables, links and bookmarks (:mod:`leaflets.render.pdf_links`);
6. the viewer opens the bookmarks (``/PageMode /UseOutlines``);
7. every glyph maps to its own text (:mod:`leaflets.render.pdf_text_map`), and
   each right-to-left line is drawn again (the same drawing) so text tools read
   it right: vowel marks out of poppler's words, runs in reading order
   (:mod:`leaflets.render.pdf_text_order`).

Where a fix belongs upstream, docs/accessibility.md names the WeasyPrint issue.
"""

from __future__ import annotations

import io

import pikepdf
from babel.core import UnknownLocaleError
from pikepdf import Dictionary, Name, String

from ..source.languages import language
from .pdf_links import clean_outlines, fix_links, fix_table_headers
from .pdf_marks import MarkedContent, Run, needs_actual_text
from .pdf_text_map import fill_empty_text_maps
from .pdf_text_order import draw_in_reading_order
from .pdf_tree import (
    artifact_properties,
    child_elements,
    document_root,
    is_element,
    kids,
    marked_ids,
    page_indexes,
    parent_tree_entries,
    rebuild_parent_tree,
    remove_empty_upwards,
    set_kids,
    walk,
)


def fix_structure(data: bytes, marks: MarkedContent) -> bytes:
    """The PDF with its structure tree fixed (see the module docstring)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        artifacts = artifact_marks(pdf, marks)
        actual_texts = {key: run.text for key, run in marks.runs.items() if key not in artifacts}
        actual_texts = {key: text for key, text in actual_texts.items() if needs_actual_text(text)}
        rewrite_page_content(pdf, artifacts)
        drop_from_tree(pdf, artifacts)
        document = document_root(pdf).K[0]
        join_split_elements(document, marks)
        repeated = repeated_table_headers(pdf, document)  # a table's header row, drawn again on each page
        rewrite_page_content(pdf, repeated)
        drop_from_tree(pdf, repeated)
        actual_texts = {key: text for key, text in actual_texts.items() if key not in repeated}
        label_definition_lists(document, marks)
        mark_languages(pdf, document, str(pdf.Root.get("/Lang", "")), marks)
        add_actual_text(pdf, document, actual_texts)
        fix_table_headers(pdf, marks)
        fix_links(pdf, marks)
        clean_outlines(pdf, {run.text.strip() for run in marks.runs.values() if run.decorative and run.text.strip()})
        pdf.Root.PageMode = Name.UseOutlines
        fill_empty_text_maps(pdf)
        draw_in_reading_order(pdf, text_directions(marks))
        rebuild_parent_tree(pdf)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def text_directions(marks: MarkedContent) -> dict[tuple[int, int], str]:
    """(page, MCID) -> "rtl" or "ltr": the direction of each text's language."""
    directions = {}
    for key, run in marks.runs.items():
        try:
            directions[key] = language(run.lang).direction if run.lang else None
        except (ValueError, UnknownLocaleError):  # a tag CLDR does not know: the text's letters decide
            continue
    return {key: direction for key, direction in directions.items() if direction}


def artifact_marks(pdf: pikepdf.Pdf, marks: MarkedContent) -> dict[tuple[int, int], str]:
    """(page, MCID) -> artifact subtype ("Footer", "Header", "" for decoration) for what must leave the tree."""
    reachable = {element.objgen for element in walk(document_root(pdf))}
    found: dict[tuple[int, int], str] = {}
    for page, elements in parent_tree_entries(pdf).items():
        if not isinstance(elements, pikepdf.Array) or page >= len(pdf.pages):
            continue
        for mcid, element in enumerate(elements):
            run = marks.runs.get((page, mcid), Run("", "", False, ""))
            if is_element(element) and element.objgen not in reachable:
                found[(page, mcid)] = run.margin or "Footer"
            elif run.decorative:
                found[(page, mcid)] = ""
    return found


def rewrite_page_content(pdf: pikepdf.Pdf, artifacts: dict) -> None:
    """Artifacts marked as such in each page's content stream (a page with none is not parsed)."""
    pages_with_artifacts = {page for page, _mcid in artifacts}
    for index, page in enumerate(pdf.pages):
        if index not in pages_with_artifacts:
            continue
        instructions = pikepdf.parse_content_stream(page)
        changed = False
        for position, (operands, operator) in enumerate(instructions):
            if str(operator) != "BDC" or len(operands) < 2 or not isinstance(operands[1], Dictionary):
                continue
            mcid = operands[1].get("/MCID")
            if mcid is None:
                continue
            key = (index, int(mcid))
            if key in artifacts:
                instructions[position] = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, artifact_properties(artifacts[key])], pikepdf.Operator("BDC")
                )
                changed = True
        if changed:
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def drop_from_tree(pdf: pikepdf.Pdf, artifacts: dict) -> None:
    """Take artifact MCIDs out of the elements that hold them; drop elements left empty."""
    pages = page_indexes(pdf)
    for element in list(walk(document_root(pdf))):
        gone = {position for position, page, mcid in marked_ids(element, pages) if (page, mcid) in artifacts}
        if gone:
            set_kids(element, [kid for position, kid in enumerate(kids(element)) if position not in gone])
            remove_empty_upwards(element)


def repeated_table_headers(pdf: pikepdf.Pdf, document) -> dict[tuple[int, int], str]:
    """(page, MCID) -> "Header" for each table header after a table's first: the header row a table repeats on
    each page it runs onto is pagination, read once (PDF/UA: one THead per table)."""
    pages = page_indexes(pdf)
    found: dict[tuple[int, int], str] = {}
    for element in walk(document):
        if element.get("/S") != "/Table":
            continue
        heads = [kid for kid in child_elements(element) if kid.get("/S") == "/THead"]
        for head in heads[1:]:
            found.update({(page, mcid): "Header" for part in walk(head) for _, page, mcid in marked_ids(part, pages)})
            _point_headers_at(element, _header_ids(head), _header_ids(heads[0]))
    return found


def _header_ids(head) -> list[bytes]:
    return [bytes(cell.ID) for cell in walk(head) if cell.get("/S") == "/TH" and "/ID" in cell]


def _point_headers_at(table, repeated: list[bytes], first: list[bytes]) -> None:
    """Cells that name a repeated header cell (by /Headers) name the first header's cell of the same column."""
    same = dict(zip(repeated, first, strict=False))
    for cell in walk(table):
        attributes = cell.get("/A")
        for owner in attributes if isinstance(attributes, pikepdf.Array) else [attributes]:
            headers = owner.get("/Headers") if isinstance(owner, Dictionary) else None
            if isinstance(headers, pikepdf.Array) and any(bytes(name) in same for name in headers):
                owner.Headers = pikepdf.Array([String(same.get(bytes(name), bytes(name))) for name in headers])


def join_split_elements(element, marks: MarkedContent) -> None:
    """Join neighbouring elements made from the same HTML element (a section that runs over a page break)."""
    joined: list = []
    for kid in kids(element):
        if joined and _same_html_element(joined[-1], kid, marks):
            _absorb(joined[-1], kid)
        else:
            joined.append(kid)
    set_kids(element, joined)
    for kid in child_elements(element):
        join_split_elements(kid, marks)


def _same_html_element(first, second, marks: MarkedContent) -> bool:
    if not (is_element(first) and is_element(second)) or first.S != second.S:
        return False
    facts = [marks.elements.get(item.objgen[0]) for item in (first, second)]
    return None not in facts and facts[0].identity == facts[1].identity


def _absorb(first, second) -> None:
    """Move the kids of ``second`` to the end of ``first``; MCIDs keep their own page."""
    moved = []
    for kid in kids(second):
        if isinstance(kid, int):
            kid = Dictionary(Type=Name.MCR, Pg=second.Pg, MCID=kid)
        elif is_element(kid):
            kid.P = first
        moved.append(kid)
    set_kids(first, kids(first) + moved)


def label_definition_lists(element, marks: MarkedContent) -> None:
    """In each list made from a ``dl``: LI(dt) LI(dd)... becomes one LI holding Lbl (the term) and LBody.

    A ``div`` around a term and its value (a compact contact card) is unwrapped, and any other
    element between the pairs (the space between inline pairs) joins the body before it, so the
    list holds list items only.
    """
    for kid in child_elements(element):
        label_definition_lists(kid, marks)
    facts = marks.elements.get(element.objgen[0])
    if str(element.S) != "/L" or facts is None or facts.tag != "dl":
        return
    items: list = []
    for item in _dl_entries(element, marks):
        tag = _tag(item, marks)
        if tag == "dd" and items:
            for body in child_elements(item):
                body.P = items[-1]
            set_kids(items[-1], kids(items[-1]) + kids(item))
        elif tag == "dt":
            for body in child_elements(item):
                body.S = Name.Lbl
            item.P = element
            items.append(item)
        elif items and is_element(item) and child_elements(items[-1]):
            body = child_elements(items[-1])[-1]
            item.P = body
            set_kids(body, kids(body) + [item])
        else:
            items.append(item)
    set_kids(element, items)


def _dl_entries(element, marks: MarkedContent) -> list:
    """The list's kids, with each ``div`` that holds only elements replaced by its kids."""
    entries = []
    for item in kids(element):
        if _tag(item, marks) == "div" and kids(item) and all(is_element(kid) for kid in kids(item)):
            entries += kids(item)
        else:
            entries.append(item)
    return entries


def _tag(item, marks: MarkedContent) -> str:
    return getattr(marks.elements.get(item.objgen[0]) if is_element(item) else None, "tag", "")


def mark_languages(pdf: pikepdf.Pdf, element, inherited: str, marks: MarkedContent) -> None:
    """/Lang where an element's language differs from the one it would inherit."""
    pages = page_indexes(pdf)
    for kid in child_elements(element):
        lang = _element_lang(kid, pages, marks) or inherited
        if lang != inherited:
            kid.Lang = String(lang)
        mark_languages(pdf, kid, lang, marks)


def _element_lang(element, pages: dict, marks: MarkedContent) -> str:
    facts = marks.elements.get(element.objgen[0])
    if facts is not None:
        return facts.lang
    for _position, page, mcid in marked_ids(element, pages):  # a text run's own element
        run = marks.runs.get((page, mcid))
        if run is not None:
            return run.lang
    return ""


def add_actual_text(pdf: pikepdf.Pdf, document, actual_texts: dict) -> None:
    """/ActualText on each text-run element whose text is shaped or right to left."""
    pages = page_indexes(pdf)
    for element in walk(document):
        ids = [(page, mcid) for _position, page, mcid in marked_ids(element, pages)]
        if len(ids) == 1 and ids[0] in actual_texts and str(element.S) == "/Span":
            element.ActualText = String(actual_texts[ids[0]])


__all__ = ["fix_structure", "kids"]
