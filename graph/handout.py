"""The steering-group handout (PDF, A4, reportlab): the deck's content as pages to take home.

German by default. Text is set in DejaVu Sans, the TTF that matplotlib ships
(``matplotlib.get_data_path()/fonts/ttf``), so umlauts and most symbols print without
any system font. Data is escaped before it goes into reportlab's paragraph markup, so a
title like ``<b>`` or ``<img src=x>`` prints as the text it is. Every page carries the
data date, the source and a page number.
"""

import io
from pathlib import Path
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from knotenpunkt.graph.pictures import picture_bytes
from knotenpunkt.graph.report import (
    change_lines,
    clean,
    figure_rows,
    overlap_rows,
    source_line,
    source_notes,
    text,
)

__all__ = ["FONT", "write_handout"]

FONT = "DejaVuSans"
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _register_fonts():
    """Register DejaVu Sans (regular and bold) with reportlab once."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(f"{FONT}-Bold", str(_FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold")


_STYLES = {
    "title": {"fontName": f"{FONT}-Bold", "fontSize": 20, "leading": 24, "spaceAfter": 6},
    "h1": {"fontName": f"{FONT}-Bold", "fontSize": 14, "leading": 18, "spaceBefore": 10, "spaceAfter": 4},
    "body": {"fontName": FONT, "fontSize": 9.5, "leading": 12.5},
    "small": {"fontName": FONT, "fontSize": 7.5, "leading": 9.5, "textColor": colors.HexColor("#555555")},
    "cell": {"fontName": FONT, "fontSize": 8, "leading": 10},
}


def _p(value, style="body"):
    """A paragraph of data: control characters removed, markup characters escaped, line breaks kept."""
    return Paragraph(escape(clean(value)).replace("\n", "<br/>"), ParagraphStyle(style, **_STYLES[style]))


def _table(header, rows, widths):
    data = [[_p(h, "cell") for h in header]] + [[_p(v, "cell") for v in row] for row in rows]
    table = Table(data, colWidths=[w * cm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f2")),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _picture(png, width=17 * cm):
    image = Image(io.BytesIO(png))
    image.drawHeight = image.drawHeight * width / image.drawWidth
    image.drawWidth = width
    return image


def _section(report, key, source, *content):
    """Heading, content and the source line, kept on one page where they fit."""
    parts = [_p(text(report, key), "h1"), *content]
    if source:
        parts.append(_p(source_line(report, source), "small"))
    return KeepTogether(parts)


def write_handout(report, out=None, *, pictures=None):
    """Write the handout PDF for a report.

    Parameters
    ----------
    report : dict
        From `graph.report.build_report` (its ``lang`` decides the language).
    out : str, pathlib.Path or binary file, optional
        Where to write; None returns the bytes.
    pictures : dict, optional
        PNG bytes by name (`graph.pictures.PICTURES`); drawn from the report when omitted.

    Returns
    -------
    bytes or None
    """
    _register_fonts()
    if pictures is None:
        pictures = picture_bytes(report)
    version = report["version"]["label"] if report["version"] else text(report, "no_version")
    note = text(report, "data_note", version=version, files=", ".join(report["files"]))
    footer = f"{text(report, 'title')} – {report['city']} · {text(report, 'subtitle', city=report['city'], day=report['day_text'])}"

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.drawString(2 * cm, 1.2 * cm, clean(footer)[:120])
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, text(report, "page", n=doc.page))
        canvas.restoreState()

    story = [
        _p(f"{text(report, 'title')} – {text(report, 'handout')}", "title"),
        _p(text(report, "subtitle", city=report["city"], day=report["day_text"])),
        _p(note, "small"),
        _section(report, "key_figures", "key_figures",
                 _table(["", ""], figure_rows(report), (13, 4))),
        _section(report, "findings", "findings",
                 *[_p(f"• {f['text']}\n   → {text(report, 'suggestion')}: {f['action']}") for f in report["findings"]]),
        _section(report, "network", "network", _picture(pictures["netzwerk"])),
        _section(report, "gap_matrix", "gap_matrix", _picture(pictures["luecken"]),
                 _p(f"{text(report, 'legend')}: {text(report, 'legend_matrix')}", "small")),
        _section(report, "district_chart", "districts", _picture(pictures["stadtteile"])),
        _p(text(report, "overlaps"), "h1"),
        _p(f"{text(report, 'legend')}: {text(report, 'legend_overlap')}", "small"),
        _table([text(report, "cell"), text(report, "measures_providers"), text(report, "why")],
               overlap_rows(report), (3.5, 6.5, 7)),
        _p(source_line(report, "overlaps"), "small"),
        _p(text(report, "funding_cliff"), "h1"),
        _p(f"{text(report, 'legend')}: {text(report, 'legend_cliff')}", "small"),
        _table([text(report, "cliff_cell"), text(report, "reason"), text(report, "measures")],
               [(c["cell"], c["reason"], "; ".join(c["measures"])) for c in report["funding_cliff"]], (6, 4.5, 6.5)),
        _p(source_line(report, "funding_cliff"), "small"),
        _section(report, "changes", "changes", *[_p(line) for line in change_lines(report)]),
        _section(report, "decisions", None, *[_p(f"• {f['action']}") for f in report["findings"]],
                 Spacer(1, 0.4 * cm), *[_p(text(report, "decision_line")) for _ in range(3)]),
        _section(report, "sources", None, *[_p(line, "small") for line in source_notes(report)]),
    ]
    target = io.BytesIO() if out is None else out if hasattr(out, "write") else str(out)
    doc = SimpleDocTemplate(target, pagesize=A4, leftMargin=2 * cm, rightMargin=2 * cm,
                            topMargin=1.8 * cm, bottomMargin=2 * cm, title=clean(text(report, "title")),
                            author="Knotenpunkt", lang=report["lang"])
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return target.getvalue() if out is None else None
