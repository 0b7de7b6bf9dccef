"""The steering-group deck (PPTX, python-pptx): one slide per section of `graph.report.build_report`.

Slides: title, key figures, findings, network, gap matrix, district chart, uncoordinated
overlaps, funding cliff, changes since the last meeting, decisions and next steps. Each
slide but the first and the last names the canned queries its figures come from. Data
goes into text frames and table cells as plain text (never markup); control characters
are removed because PPTX is XML.
"""

import io

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from knotenpunkt.graph.pictures import picture_bytes
from knotenpunkt.graph.report import change_lines, clean, figure_rows, overlap_rows, source_line, source_note, text

__all__ = ["deck_notes", "write_deck", "deck_texts"]

_WIDTH, _HEIGHT = Inches(13.333), Inches(7.5)
_MARGIN = Inches(0.5)
_BODY_TOP = Inches(1.2)
_BLANK = 6  # slide layout "Blank" of python-pptx's default template


def _slide(prs, title):
    slide = prs.slides.add_slide(prs.slide_layouts[_BLANK])
    _textbox(slide, [title], top=Inches(0.3), height=Inches(0.8), size=28, bold=True)
    return slide


def _textbox(slide, lines, *, top, height, size=16, bold=False, left=_MARGIN, width=None):
    box = slide.shapes.add_textbox(left, top, width or _WIDTH - 2 * _MARGIN, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = clean(line)
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold
    return box


def _source(slide, report, section):
    """The source in plain words on the slide; the saved queries behind it in the speaker notes."""
    _textbox(slide, [source_line(report, section)], top=_HEIGHT - Inches(0.45), height=Inches(0.3), size=10)
    _notes(slide, [source_note(report, section)])


def _notes(slide, lines):
    slide.notes_slide.notes_text_frame.text = clean("\n".join(lines))


def _table(slide, header, rows, widths, *, top=_BODY_TOP, size=11):
    shape = slide.shapes.add_table(len(rows) + 1, len(header), _MARGIN, top, _WIDTH - 2 * _MARGIN,
                                   Inches(0.4) * (len(rows) + 1))
    table = shape.table
    total = sum(widths)
    for c, w in enumerate(widths):
        table.columns[c].width = Emu(int((_WIDTH - 2 * _MARGIN) * w / total))
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = clean(value)
            for paragraph in cell.text_frame.paragraphs:
                paragraph.font.size = Pt(size)
                paragraph.font.bold = r == 0
    return table


def _picture(slide, png):
    picture = slide.shapes.add_picture(io.BytesIO(png), _MARGIN, Inches(1.1), height=_HEIGHT - Inches(1.7))
    if picture.width > _WIDTH - 2 * _MARGIN:  # keep the aspect ratio, fit the width
        scale = (_WIDTH - 2 * _MARGIN) / picture.width
        picture.width, picture.height = int(picture.width * scale), int(picture.height * scale)
    picture.left = int((_WIDTH - picture.width) / 2)


def write_deck(report, out=None, *, pictures=None):
    """Write the deck for a report.

    Parameters
    ----------
    report : dict
        From `graph.report.build_report`.
    out : str, pathlib.Path or binary file, optional
        Where to write; None returns the bytes.
    pictures : dict, optional
        PNG bytes by name (`graph.pictures.PICTURES`); drawn from the report when omitted.

    Returns
    -------
    bytes or None
    """
    if pictures is None:
        pictures = picture_bytes(report)
    prs = Presentation()
    prs.slide_width, prs.slide_height = _WIDTH, _HEIGHT
    version = report["version"]["label"] if report["version"] else text(report, "no_version")

    slide = prs.slides.add_slide(prs.slide_layouts[_BLANK])
    _textbox(slide, [text(report, "title")], top=Inches(2.3), height=Inches(1.0), size=40, bold=True)
    _textbox(slide, [text(report, "subtitle", city=report["city"], day=report["day_text"]),
                     text(report, "data_note", version=version, files=", ".join(report["files"]))],
             top=Inches(3.4), height=Inches(1.5), size=18)
    _notes(slide, [text(report, "data_version", data_version=report["data_version"]), text(report, "sources_intro")])

    slide = _slide(prs, text(report, "key_figures"))
    _table(slide, ["", ""], figure_rows(report), (3, 1), size=14)
    _source(slide, report, "key_figures")

    slide = _slide(prs, text(report, "findings"))
    lines = [line for f in report["findings"] for line in (f"• {f['text']}", f"   → {f['action']}")]
    _textbox(slide, lines, top=Inches(1.2), height=Inches(5.6), size=14)
    _source(slide, report, "findings")

    for section, name in (("network", "netzwerk"), ("gap_matrix", "luecken"), ("district_chart", "stadtteile")):
        slide = _slide(prs, text(report, section))
        _picture(slide, pictures[name])
        _source(slide, report, "districts" if section == "district_chart" else section)

    slide = _slide(prs, text(report, "overlaps"))
    _table(slide, [text(report, "cell"), text(report, "measures_providers"), text(report, "why")],
           overlap_rows(report)[:4], (2, 4, 4), size=9)
    _source(slide, report, "overlaps")

    slide = _slide(prs, text(report, "funding_cliff"))
    _table(slide, [text(report, "cliff_cell"), text(report, "reason"), text(report, "measures")],
           [(c["cell"], c["reason"], "; ".join(c["measures"])) for c in report["funding_cliff"]], (3, 2, 4), size=10)
    _source(slide, report, "funding_cliff")

    slide = _slide(prs, text(report, "changes"))
    _textbox(slide, change_lines(report), top=Inches(1.1), height=Inches(5.8), size=11)
    _source(slide, report, "changes")

    slide = _slide(prs, text(report, "decisions"))
    lines = [f"• {f['action']}" for f in report["findings"]] + ["", *[text(report, "decision_line")] * 3]
    _textbox(slide, lines, top=Inches(1.2), height=Inches(5.8), size=14)

    if out is None:
        buffer = io.BytesIO()
        prs.save(buffer)
        return buffer.getvalue()
    prs.save(out)
    return None


def deck_notes(deck):
    """The speaker notes of a deck, slide by slide (empty for a slide without notes)."""
    return [slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
            for slide in Presentation(deck).slides]


def deck_texts(deck):
    """Every text of a deck, slide by slide (text frames and table cells), for tests and previews.

    Parameters
    ----------
    deck : str, pathlib.Path or binary file

    Returns
    -------
    list of str
        One string per slide.
    """
    slides = []
    for slide in Presentation(deck).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        slides.append("\n".join(parts))
    return slides
