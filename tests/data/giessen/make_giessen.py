"""Write tests/data/giessen/: a Gießen-style inventory with real-world wording and its expected answers.

Fictional measures in a real-sized city without a bundled territory (its districts come from
the "Stadtteile" sheet). The wording is of the kind that broke the old matcher: gendered
forms ("Senior*innen mit Migrationshintergrund", "Migrant(inne)n"), heads with a migration
qualifier ("Schüler*innen mit Zuwanderungsgeschichte"), compounds ("Flüchtlingskinder",
"Grundschulkinder"), two groups in one phrase ("Eltern mit Fluchterfahrung", "Neuzugewanderte
Familien") and fields in everyday words ("Deutsch lernen", "Berufliche Integration").

Planted answers for the year 2026 (the period the test analyses):

- six uncoordinated overlaps (O1–O6), three of which meet only through the SKOS hierarchy
  (asylum seekers vs refugees, refugee children vs primary-school children, refugee women vs
  mothers) and two only when the head of the phrase decides (seniors, pupils);
- decoys that must NOT be reported: providers linked by a cooperation entry (C1), by a joint
  measure (C2) and by a common network (C3); disjoint periods (D1); one provider under two
  names (D2); sibling target groups (asylum seekers vs tolerated persons, D3);
- zero cells: every (target group × field) cell the gold concepts leave empty, among them the
  named ones in ``PLANTED_ZERO_CELLS``; cells served only through difficult wording must not
  be among them;
- unserved districts: Lützellinden (no measure) and Rödgen (its only measure ended in 2025).

The gold concepts are what a coordinator would choose (``ZG_GOLD``, ``HF_GOLD``); the truth
(overlaps, covered cells) is computed here from the gold and the vocabulary's hierarchy, and
checked against the planted list, so a change of data that adds an unplanned overlap fails
at generation.

Run ``python tests/data/giessen/make_giessen.py`` after changing it.
"""

import datetime as dt
import io
import json
import re
import zipfile
from itertools import combinations
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
WORKBOOK = "giessen_integrationsangebote.xlsx"
GENERATED_BY = "tests/data/giessen/make_giessen.py"
FIXED_TIME = dt.datetime(2026, 11, 20, 9, 0, 0)
PERIOD = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
CITY = "Gießen"
CITYWIDE = "gesamtes Stadtgebiet"
SHEETS = {"measures": "Angebote 2026", "providers": "Träger", "districts": "Stadtteile",
          "cooperations": "Kooperationen", "networks": "Netzwerke"}
TITLE = "Integrationsangebote der Universitätsstadt Gießen – Stand November 2026"
COLUMNS = ["Nr.", "Angebot", "Träger", "Kooperationspartner", "Zielgruppe(n)", "Handlungsfeld", "Stadtteil",
           "Beginn", "Ende", "Förderung"]
ROLES = {"id": "Nr.", "title": "Angebot", "provider": "Träger", "partners": "Kooperationspartner",
         "target_groups": "Zielgruppe(n)", "fields": "Handlungsfeld", "districts": "Stadtteil", "start": "Beginn",
         "end": "Ende", "funding": "Förderung"}
DISTRICTS = [  # name, Einwohner, share with a migration background (fictional figures)
    ("Innenstadt", 14200, 0.41), ("Nordstadt", 9800, 0.52), ("Weststadt", 11300, 0.47), ("Oststadt", 8900, 0.33),
    ("Wieseck", 10100, 0.24), ("Kleinlinden", 6300, 0.21), ("Allendorf", 4100, 0.18), ("Lützellinden", 3900, 0.12),
    ("Rödgen", 2600, 0.09),
]
PROVIDERS = [  # official name, other names used in the sheet, kind
    ("Caritasverband Gießen e.V.", ["Caritasverband Giessen"], "Wohlfahrtsverband"),
    ("Diakonisches Werk Gießen", ["Diakonie Gießen"], "Wohlfahrtsverband"),
    ("Arbeiterwohlfahrt Kreisverband Gießen e.V.", ["AWO Gießen"], "Wohlfahrtsverband"),
    ("DRK Kreisverband Gießen e.V.", [], "Wohlfahrtsverband"),
    ("Internationaler Bund Gießen", ["IB Gießen"], "Bildungsträger"),
    ("Volkshochschule Gießen", ["VHS Gießen"], "Bildungsträger"),
    ("Evangelische Familienbildungsstätte Gießen", [], "Bildungsträger"),
    ("Jugendwerkstatt Gießen e.V.", [], "sonstiger freier Träger"),
    ("Türkisch-Islamische Gemeinde Gießen e.V.", [], "Religionsgemeinschaft"),
    ("Frauentreff Wieseck e.V.", [], "ehrenamtliche Initiative"),
    ("SV Wieseck 1921 e.V.", [], "Sportverein"),
    ("Bürgerstiftung Gießen", [], "Fördermittelgeber"),
    ("Stadt Gießen – Jugendamt", [], "Kommunalverwaltung"),
    ("Stadt Gießen – Büro für Integration", ["Büro für Integration"], "Kommunalverwaltung"),
    ("Zentrum Arbeit und Umwelt Gießen gGmbH", ["ZAUG"], "Bildungsträger"),
    ("Jobcenter Gießen", [], "Jobcenter/Agentur für Arbeit"),
    ("Flüchtlingshilfe Gießen e.V.", [], "ehrenamtliche Initiative"),
    ("Evangelische Kirchengemeinde Wieseck", [], "Religionsgemeinschaft"),
    ("Freiwilligenzentrum Gießen e.V.", [], "sonstiger freier Träger"),
    ("IQ Anerkennungsberatung Mittelhessen", [], "Beratungsstelle"),
    ("Heimatverein Rödgen e.V.", [], "Verein/Sportverein"),
]
COOPERATIONS = [("AWO Gießen", "Büro für Integration", "Abstimmung Sozialberatung Innenstadt", 2021)]  # C1
NETWORKS = [("Netzwerk Sprache Wieseck", ["Evangelische Kirchengemeinde Wieseck", "IB Gießen"])]  # C3

# Free text → the concepts a coordinator would choose (slugs of zielgruppe/ and handlungsfeld/).
ZG_GOLD = {
    "Asylbewerber*innen": {"asylsuchende"},
    "Menschen mit Fluchterfahrung": {"gefluechtete"},
    "Senior*innen mit Migrationshintergrund": {"aeltere"},
    "Ältere Migrantinnen und Migranten": {"aeltere"},
    "Flüchtlingskinder": {"gefluechtete", "kinder"},
    "Grundschulkinder": {"kinder"},
    "Eltern mit Fluchterfahrung": {"eltern-familien", "gefluechtete"},
    "Neuzugewanderte Familien": {"neuzugewanderte", "eltern-familien"},
    "geflüchtete Frauen und Mädchen": {"gefluechtete-frauen"},
    "Mütter mit Zuwanderungsgeschichte": {"frauen"},
    "Schüler*innen mit Zuwanderungsgeschichte": {"kinder"},
    "Kinder und Jugendliche": {"kinder", "jugendliche"},
    "Migrant(inne)n": {"menschen-mit-migrationsgeschichte"},
    "Menschen mit Migrationshintergrund": {"menschen-mit-migrationsgeschichte"},
    "Langzeitarbeitslose mit Migrationshintergrund": {"arbeitsuchende"},
    "Arbeitsuchende": {"arbeitsuchende"},
    "Arbeitsuchende Zugewanderte": {"arbeitsuchende"},
    "Menschen im Asylverfahren": {"asylsuchende"},
    "Menschen mit Duldung": {"geduldete"},
    "Zugewanderte": {"menschen-mit-migrationsgeschichte"},
    "Neuzugewanderte": {"neuzugewanderte"},
    "Geflüchtete aus der Ukraine": {"gefluechtete-ukraine"},
    "Ukrainische Geflüchtete": {"gefluechtete-ukraine"},
    "Kinder": {"kinder"},
    "Ehrenamtliche Sprachpat*innen": {"ehrenamtliche"},
    "Roma-Familien aus Südosteuropa": {"eltern-familien", "zugewanderte-suedosteuropa"},
    "Eltern mit Zuwanderungsgeschichte": {"eltern-familien"},
    "Kita-Kinder": {"kinder"},
    "zugewanderte Fachkräfte": {"eingewanderte-fachkraefte"},
    "Jugendliche und junge Erwachsene mit Migrationshintergrund": {"jugendliche"},
    "Analphabet*innen": {"alphabetisierung"},
    "Mitarbeitende der Verwaltung": {"fachkraefte-regeldienste"},
    "alle Interessierten": {"alle"},
}
HF_GOLD = {
    "Asylverfahrensberatung": {"beratung-erstorientierung"},
    "Migrationsberatung": {"beratung-erstorientierung"},
    "Gesundheitsförderung": {"gesundheit"},
    "Gesundheit": {"gesundheit"},
    "Hausaufgabenhilfe": {"schule-bildung"},
    "Lernförderung": {"schule-bildung"},
    "Deutsch lernen": {"sprache"},
    "Sprachförderung": {"sprache"},
    "Sport und Bewegung": {"sport-freizeit"},
    "Bewegung": {"sport-freizeit"},
    "Bildung": {"schule-bildung"},
    "Schulische Bildung": {"schule-bildung"},
    "Sozialberatung": {"beratung-erstorientierung"},
    "Erstorientierung": {"beratung-erstorientierung"},
    "Berufliche Integration": {"ausbildung-arbeit"},
    "Arbeitsmarktintegration": {"ausbildung-arbeit"},
    "Jobcoaching": {"ausbildung-arbeit"},
    "Rechtsberatung": {"beratung-erstorientierung"},
    "Alltagsdeutsch": {"sprache"},
    "Deutschkurse": {"sprache"},
    "Ehrenamt": {"partizipation-engagement"},
    "Elternarbeit": {"familie-elternarbeit"},
    "Elternbildung": {"familie-elternarbeit"},
    "Quartiersarbeit": {"wohnen-quartier"},
    "Anerkennungsberatung": {"ausbildung-arbeit"},
    "Interkulturelle Öffnung der Verwaltung": {"interkulturelle-oeffnung"},
    "Begegnung": {"antidiskriminierung-zusammenhalt"},
}
# (no, title, provider as written, partners, target groups (texts, separator), fields (texts, separator),
#  districts, start, end, funder, tag)
D = dt.date
MEASURES = [
    (1, "Asylverfahrensberatung Nordstadt", "Caritasverband Gießen e.V.", [], ["Asylbewerber*innen"],
     ["Asylverfahrensberatung"], ["Nordstadt"], D(2023, 1, 1), None, "Land Hessen", "O1"),
    (2, "Migrationsberatung für Geflüchtete", "Diakonie Gießen", [], ["Menschen mit Fluchterfahrung"],
     ["Migrationsberatung"], ["Nordstadt"], D(2022, 4, 1), None, "BAMF", "O1"),
    (3, "Gesund älter werden – Treff international", "DRK Kreisverband Gießen e.V.", [],
     ["Senior*innen mit Migrationshintergrund"], ["Gesundheitsförderung"], ["Weststadt"], D(2025, 3, 1),
     D(2027, 12, 31), "Stadt Gießen", "O2"),
    (4, "Gesundheitslotsinnen für Ältere", "Türkisch-Islamische Gemeinde Gießen e.V.", [],
     ["Ältere Migrantinnen und Migranten"], ["Gesundheit"], ["Weststadt"], D(2024, 1, 1), None,
     "WIR – Vielfalt und Teilhabe", "O2"),
    (5, "Hausaufgabenhilfe für Flüchtlingskinder", "IB Gießen", [], ["Flüchtlingskinder"], ["Hausaufgabenhilfe"],
     ["Oststadt"], D(2024, 9, 1), D(2026, 12, 31), "AMIF", "O3"),
    (6, "Lernwerkstatt Grundschule Oststadt", "Jugendwerkstatt Gießen e.V.", [], ["Grundschulkinder"],
     ["Lernförderung"], ["Oststadt"], D(2025, 8, 1), None, "Stadt Gießen", "O3"),
    (7, "Deutsch lernen mit Kind", "VHS Gießen", [], ["Eltern mit Fluchterfahrung"], ["Deutsch lernen"],
     ["Innenstadt"], D(2025, 1, 1), D(2026, 12, 31), "BAMF", "O4"),
    (8, "Sprachförderung für neu zugewanderte Familien", "Evangelische Familienbildungsstätte Gießen", [],
     ["Neuzugewanderte Familien"], ["Sprachförderung"], ["Innenstadt"], D(2026, 2, 1), None, "ESF Plus", "O4"),
    (9, "Bewegt ankommen – Sport für geflüchtete Frauen", "Frauentreff Wieseck e.V.", [],
     ["geflüchtete Frauen und Mädchen"], ["Sport und Bewegung"], ["Wieseck"], D(2025, 5, 1), None,
     "Land Hessen", "O5"),
    (10, "Schwimmkurs für Mütter", "SV Wieseck 1921 e.V.", [], ["Mütter mit Zuwanderungsgeschichte"], ["Bewegung"],
     ["Wieseck"], D(2026, 3, 1), D(2026, 10, 31), "Bürgerstiftung Gießen", "O5"),
    (11, "Lesepatenschaften Kleinlinden", "Bürgerstiftung Gießen", [], ["Schüler*innen mit Zuwanderungsgeschichte"],
     ["Bildung"], ["Kleinlinden"], D(2024, 9, 1), None, "Bürgerstiftung Gießen", "O6"),
    (12, "Ferienakademie Kleinlinden", "Stadt Gießen – Jugendamt", [], ["Kinder und Jugendliche"],
     ["Schulische Bildung"], ["Kleinlinden"], D(2026, 7, 1), D(2026, 8, 31), "Stadt Gießen", "O6"),
    (13, "Offene Sozialberatung", "AWO Gießen", [], ["Migrant(inne)n"], ["Sozialberatung"], ["Innenstadt"],
     D(2020, 1, 1), None, "Stadt Gießen", "C1"),
    (14, "Beratungscafé Innenstadt", "Stadt Gießen – Büro für Integration", [], ["Menschen mit Migrationshintergrund"],
     ["Erstorientierung"], ["Innenstadt"], D(2023, 6, 1), None, "Stadt Gießen", "C1"),
    (15, "Jobcoaching für Zugewanderte", "ZAUG", [], ["Langzeitarbeitslose mit Migrationshintergrund"],
     ["Berufliche Integration"], ["Nordstadt"], D(2024, 1, 1), D(2027, 6, 30), "ESF Plus", "C2"),
    (16, "Arbeitsmarktintegration Nordstadt", "Jobcenter Gießen", [], ["Arbeitsuchende"],
     ["Arbeitsmarktintegration"], ["Nordstadt"], D(2021, 1, 1), None, "Jobcenter Gießen", "C2"),
    (17, "Bewerbungswerkstatt", "Jobcenter Gießen", ["ZAUG"], ["Arbeitsuchende Zugewanderte"], ["Jobcoaching"],
     [CITYWIDE], D(2025, 1, 1), None, "Jobcenter Gießen", "C2"),
    (18, "Asylsprechstunde Weststadt", "Caritasverband Giessen", [], ["Menschen im Asylverfahren"],
     ["Asylverfahrensberatung"], ["Weststadt"], D(2024, 2, 1), None, "Land Hessen", "D3"),
    (19, "Perspektivberatung für Geduldete", "Flüchtlingshilfe Gießen e.V.", [], ["Menschen mit Duldung"],
     ["Rechtsberatung"], ["Weststadt"], D(2025, 1, 1), None, "Spenden", "D3"),
    (20, "Sprachcafé Wieseck", "Evangelische Kirchengemeinde Wieseck", [], ["Zugewanderte"], ["Alltagsdeutsch"],
     ["Wieseck"], D(2019, 10, 1), None, "Spenden", "C3"),
    (21, "Integrationskurs mit Kinderbetreuung", "IB Gießen", [], ["Neuzugewanderte"], ["Deutschkurse"],
     ["Wieseck"], D(2025, 9, 1), None, "BAMF", "C3"),
    (22, "Ukraine-Sprechstunde", "Diakonisches Werk Gießen", [], ["Geflüchtete aus der Ukraine"], ["Erstorientierung"],
     ["Oststadt"], D(2026, 1, 1), D(2026, 4, 30), "Land Hessen", "D1"),
    (23, "Ankommen in Gießen", "DRK Kreisverband Gießen e.V.", [], ["Ukrainische Geflüchtete"], ["Migrationsberatung"],
     ["Oststadt"], D(2026, 6, 1), None, "Land Hessen", "D1"),
    (24, "Kinderturnen international", "AWO Gießen", [], ["Kinder"], ["Bewegung"], ["Nordstadt"], D(2024, 1, 1),
     None, "Stadt Gießen", "D2"),
    (25, "Fußball-AG Nordstadt", "Arbeiterwohlfahrt Kreisverband Gießen e.V.", [], ["Kinder und Jugendliche"],
     ["Sport und Bewegung"], ["Nordstadt"], D(2025, 4, 1), None, "Stadt Gießen", "D2"),
    (26, "Sprachpatenbörse", "Freiwilligenzentrum Gießen e.V.", ["Büro für Integration"],
     ["Ehrenamtliche Sprachpat*innen"], ["Ehrenamt"], [CITYWIDE], D(2022, 1, 1), None, "Stadt Gießen", ""),
    (27, "Roma-Elternarbeit", "Caritasverband Gießen e.V.", [], ["Roma-Familien aus Südosteuropa"], ["Elternarbeit"],
     ["Weststadt"], D(2025, 1, 1), D(2027, 12, 31), "ESF Plus", ""),
    (28, "Anerkennungsberatung", "IQ Anerkennungsberatung Mittelhessen", [], ["zugewanderte Fachkräfte"],
     ["Anerkennungsberatung"], [CITYWIDE], D(2023, 1, 1), None, "BMAS/ESF Plus", ""),
    (29, "Begegnungsfest Rödgen", "Heimatverein Rödgen e.V.", [], ["alle Interessierten"], ["Begegnung"], ["Rödgen"],
     D(2023, 5, 1), D(2025, 9, 30), "Stadt Gießen", ""),
    (30, "Stadtteilmütter Nordstadt", "Diakonisches Werk Gießen", [],
     ["Eltern mit Zuwanderungsgeschichte", "Kita-Kinder"], ["Elternbildung", "Quartiersarbeit"], ["Nordstadt"],
     D(2024, 3, 1), None, "WIR – Vielfalt und Teilhabe", ""),
    (31, "Jugendmigrationsdienst", "IB Gießen", [], ["Jugendliche und junge Erwachsene mit Migrationshintergrund"],
     ["Migrationsberatung"], [CITYWIDE], D(2018, 1, 1), None, "BMFSFJ", ""),
    (32, "Alphabetisierungskurs", "VHS Gießen", [], ["Analphabet*innen"], ["Sprachförderung"], ["Allendorf"],
     D(2026, 1, 15), D(2026, 12, 15), "BAMF", ""),
    (33, "Interkulturelles Training für die Verwaltung", "Stadt Gießen – Büro für Integration", [],
     ["Mitarbeitende der Verwaltung"], ["Interkulturelle Öffnung der Verwaltung"], [CITYWIDE], D(2026, 3, 1),
     D(2026, 11, 30), "Stadt Gießen", ""),
]
PLANTED_OVERLAPS = {  # tag -> (target group where the measures meet, field, district)
    "O1": ("gefluechtete", "beratung-erstorientierung", "Nordstadt"),
    "O2": ("aeltere", "gesundheit", "Weststadt"),
    "O3": ("kinder", "schule-bildung", "Oststadt"),
    "O4": ("eltern-familien", "sprache", "Innenstadt"),
    "O5": ("frauen", "sport-freizeit", "Wieseck"),
    "O6": ("kinder", "schule-bildung", "Kleinlinden"),
}
PLANTED_ZERO_CELLS = [("aeltere", "sprache"), ("gefluechtete-frauen", "ausbildung-arbeit"),
                      ("unbegleitete-minderjaehrige", "schule-bildung"), ("spaetaussiedler", "kultur-religion")]
# Cells served only through wording the old matcher misread: they must not be reported as gaps.
SERVED_BY_WORDING = [("aeltere", "gesundheit"), ("gefluechtete", "schule-bildung"), ("eltern-familien", "sprache"),
                     ("gefluechtete", "sprache"), ("arbeitsuchende", "ausbildung-arbeit"),
                     ("menschen-mit-migrationsgeschichte", "beratung-erstorientierung")]
UNSERVED = ["Lützellinden", "Rödgen"]


def _hierarchy():
    """Target-group slug → set of its broader slugs (transitively), from the shipped vocabulary."""
    from rdflib import Graph
    from rdflib.namespace import SKOS

    g = Graph().parse(ROOT / "ontology" / "vocab" / "zielgruppen.ttl")
    slug = lambda iri: str(iri).rsplit("/", 1)[-1]  # noqa: E731
    return {slug(c): {slug(u) for u in g.transitive_objects(c, SKOS.broader)} for c in set(g.subjects(SKOS.broader))
            | set(g.subjects(SKOS.prefLabel))}


def _canonical():
    names = {}
    for name, others, _ in PROVIDERS:
        for n in [name, *others]:
            names[n] = name
    return names


def _active(start, end, period=PERIOD):
    return start <= period[1] and (end is None or end >= period[0])


def compute_truth():
    """Per measure its gold concepts, the links between providers, the overlaps and the covered cells."""
    up = _hierarchy()
    canon = _canonical()
    truth = {}
    for no, title, provider, partners, zg, hf, districts, start, end, _, tag in MEASURES:
        truth[str(no)] = {"title": title, "provider": canon[provider], "partners": [canon[p] for p in partners],
                          "target_groups": sorted(set().union(*(ZG_GOLD[t] for t in zg))),
                          "fields": sorted(set().union(*(HF_GOLD[t] for t in hf))), "districts": districts,
                          "start": start.isoformat(), "end": end.isoformat() if end else None,
                          "active": _active(start, end), "tag": tag}
    links = {frozenset((canon[a], canon[b])) for a, b, _, _ in COOPERATIONS}
    for t in truth.values():
        members = [t["provider"], *t["partners"]]
        links |= {frozenset(pair) for pair in combinations(members, 2)}
    for _, members in NETWORKS:
        links |= {frozenset((canon[a], canon[b])) for a, b in combinations(members, 2)}

    def meet(a, b):
        if a == b or a in up.get(b, ()):
            return a
        if b in up.get(a, ()):
            return b
        return None

    overlaps = []
    for (na, a), (nb, b) in combinations(truth.items(), 2):
        if not (a["active"] and b["active"]) or a["provider"] == b["provider"]:
            continue
        if frozenset((a["provider"], b["provider"])) in links:
            continue
        if not _active(D.fromisoformat(a["start"]), D.fromisoformat(a["end"]) if a["end"] else None,
                       (D.fromisoformat(b["start"]), D.fromisoformat(b["end"]) if b["end"] else D.max)):
            continue
        for field in set(a["fields"]) & set(b["fields"]):
            for district in set(a["districts"]) & set(b["districts"]):
                meets = {m for x in a["target_groups"] for y in b["target_groups"] if (m := meet(x, y))}
                if meets:  # the most specific meeting group names the overlap
                    best = max(meets, key=lambda m: len(up.get(m, ())))
                    overlaps.append({"measures": sorted([na, nb], key=int), "target_group": best, "field": field,
                                     "district": district})
    covered = sorted({(g, f) for t in truth.values() if t["active"] for tg in t["target_groups"]
                      for g in {tg, *up.get(tg, ())} for f in t["fields"]})
    return truth, overlaps, covered


def _save(wb, path):
    """Save with fixed zip timestamps so that the same input gives the same bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*(</dcterms:)", rb"\g<1>" + stamp + rb"\g<2>",
                              data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, data)
    Path(path).write_bytes(out.getvalue())


def _sheet(wb, title, header, rows, *, first=False):
    ws = wb.active if first else wb.create_sheet(title)
    ws.title = title
    for col, name in enumerate(header, start=1):
        ws.cell(row=1, column=col, value=name).font = Font(bold=True)
    for i, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=col, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"
    return ws


def write_workbook(path):
    """The workbook: a title row above the measures' header, and the four other sheets."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS["measures"]
    ws.cell(row=1, column=1, value=TITLE).font = Font(bold=True, size=14)
    for col, name in enumerate(COLUMNS, start=1):
        ws.cell(row=3, column=col, value=name).font = Font(bold=True)
    for i, (no, title, provider, partners, zg, hf, districts, start, end, funder, _) in enumerate(MEASURES, start=4):
        values = [no, title, provider, "; ".join(partners) or None, "; ".join(zg), " / ".join(hf),
                  ", ".join(districts), start, end, funder]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=i, column=col, value=value)
            if isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"
    _sheet(wb, SHEETS["providers"], ["Name", "Typ", "Ort"], [(n, kind, CITY) for n, _, kind in PROVIDERS])
    ws = _sheet(wb, SHEETS["districts"], ["Stadtteil", "Einwohner", "Anteil Migrationshintergrund"], DISTRICTS)
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "0%"
    _sheet(wb, SHEETS["cooperations"], ["Partner A", "Partner B", "Art der Kooperation", "seit"], COOPERATIONS)
    _sheet(wb, SHEETS["networks"], ["Netzwerk / Arbeitskreis", "Mitglieder"],
           [(name, "; ".join(members)) for name, members in NETWORKS])
    props = wb.properties
    props.title = TITLE
    props.creator = props.lastModifiedBy = GENERATED_BY
    props.description = "Fiktive Beispieldaten (fictional test data)"
    props.created = props.modified = FIXED_TIME
    _save(wb, path)


def main(directory=HERE):
    """Check the planted answers against the truth, write the workbook and expected.json."""
    truth, overlaps, covered = compute_truth()
    found = {tuple(o["measures"]): (o["target_group"], o["field"], o["district"]) for o in overlaps}
    planted = {}
    for tag, cell in PLANTED_OVERLAPS.items():
        ids = tuple(sorted((no for no, t in truth.items() if t["tag"] == tag), key=int))
        assert found.get(ids) == cell, (tag, ids, found.get(ids))
        planted[tag] = ids
    assert set(found) == set(planted.values()), f"unplanned overlaps: {set(found) - set(planted.values())}"
    assert not {z for z in PLANTED_ZERO_CELLS} & set(covered)
    assert set(SERVED_BY_WORDING) <= set(covered)
    served = {d for t in truth.values() if t["active"] for d in t["districts"]}
    assert sorted(d for d, _, _ in DISTRICTS if d not in served) == sorted(UNSERVED)
    expected = {
        "generated_by": GENERATED_BY, "city": CITY, "workbook": WORKBOOK, "sheets": SHEETS, "columns": ROLES,
        "period": {"start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()},
        "districts": [{"name": n, "einwohner": e, "migration_share": s} for n, e, s in DISTRICTS],
        "citywide_texts": [CITYWIDE],
        "overlaps": [{"tag": tag, "measures": list(ids), "target_group": PLANTED_OVERLAPS[tag][0],
                      "field": PLANTED_OVERLAPS[tag][1], "district": PLANTED_OVERLAPS[tag][2]}
                     for tag, ids in planted.items()],
        "decoys": {tag: sorted((no for no, t in truth.items() if t["tag"] == tag), key=int)
                   for tag in ("C1", "C2", "C3", "D1", "D2", "D3")},
        "zero_cells": [{"target_group": g, "field": f} for g, f in PLANTED_ZERO_CELLS],
        "served_by_wording": [{"target_group": g, "field": f} for g, f in SERVED_BY_WORDING],
        "covered_cells": [{"target_group": g, "field": f} for g, f in covered],
        "unserved_districts": UNSERVED,
        "free_text_values": {"zielgruppe": {t: sorted(g) for t, g in ZG_GOLD.items()},
                             "handlungsfeld": {t: sorted(g) for t, g in HF_GOLD.items()}},
        "ground_truth": truth,
    }
    write_workbook(directory / WORKBOOK)
    (directory / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n",
                                             encoding="utf-8")
    return expected


if __name__ == "__main__":
    result = main()
    print(f"wrote {WORKBOOK} and expected.json ({len(result['ground_truth'])} measures, "
          f"{len(result['overlaps'])} planted overlaps)")
