"""Left-to-right runs kept whole inside right-to-left text.

A dose such as "20 mg" inside Arabic text can be reordered by the bidirectional
algorithm ("mg 20"). Wrapped in ``<bdi dir="ltr">`` it reads the same as in the
source. Only text is rewritten: tags and their attribute values (a link's
``href``, a ``title``) pass through untouched, and text already inside a
``<bdi>`` is left as it is.
"""

from __future__ import annotations

import re

from markupsafe import Markup

DOSE_RE = re.compile(r"(?<!\w)(\d+(?:[.,]\d+)?\s?mg)\b")
# A tag, with any '>' inside a quoted attribute value kept within it.
TAG_RE = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
BDI_OPEN_RE = re.compile(r"<bdi[\s>]", re.IGNORECASE)
BDI_CLOSE_RE = re.compile(r"</bdi\s*>", re.IGNORECASE)


def isolate_ltr_runs(html: Markup) -> Markup:
    """Wrap doses such as '20 mg' in the text of ``html`` in <bdi dir="ltr">."""
    pieces, depth, at = [], 0, 0
    source = str(html)
    for tag in TAG_RE.finditer(source):
        pieces.append(_isolated(source[at : tag.start()], depth))
        pieces.append(tag.group())
        depth += bool(BDI_OPEN_RE.match(tag.group())) - bool(BDI_CLOSE_RE.match(tag.group()))
        at = tag.end()
    pieces.append(_isolated(source[at:], depth))
    return Markup("".join(pieces))  # noqa: S704 - adds only our own tag around text that was already escaped


def _isolated(text: str, bdi_depth: int) -> str:
    return text if bdi_depth > 0 else DOSE_RE.sub(r'<bdi dir="ltr">\1</bdi>', text)
