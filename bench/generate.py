"""Seeded synthetic inventories for benchmarks: a region of municipalities with ~200 measures each.

Target groups, fields, districts and providers are Zipf-skewed, as in real inventories
(a few big welfare associations run many measures, most clubs run one). The workbook has
the same sheets a coordinator's has (measures, providers, districts, cooperations,
networks), with the vocabulary's own labels and some free-text variants, so the import
exercises the whole pipeline.

Run: ``python -m bench.generate --measures 10000 --out bench/data``
"""

import argparse
import datetime as dt
import itertools
import random
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from knotenpunkt.ontology import model_files

__all__ = ["generate_workbook", "measure_rows", "write_excel_like", "vocabulary_labels", "REGIONAL"]

MEASURES_PER_MUNICIPALITY = 200
DISTRICTS_PER_MUNICIPALITY = 6
PROVIDERS_PER_MUNICIPALITY = 50
KINDS = ["Sprachcafé", "Integrationskurs", "Migrationsberatung", "Hausaufgabenhilfe", "Elterncafé", "Frauentreff",
         "Bewerbungstraining", "Integrationslotsen", "Stadtteilmütter", "Sportgruppe", "Gesundheitslotsen",
         "Seniorentreff", "Kita-Einstieg", "Jugendtreff", "Dolmetscherpool", "Nachbarschaftsfest"]
PROVIDER_KINDS = [("Arbeiterwohlfahrt Ortsverein", "Wohlfahrtsverband"), ("Caritasverband", "Wohlfahrtsverband"),
                  ("Diakonisches Werk", "Wohlfahrtsverband"), ("DRK Ortsverein", "Wohlfahrtsverband"),
                  ("Volkshochschule", "Bildungsträger"), ("Jobcenter", "Jobcenter"), ("Jugendamt", "Kommunalverwaltung"),
                  ("Sozialamt", "Kommunalverwaltung"), ("Integrationsbeirat", "Beirat"),
                  ("Mehrgenerationenhaus", "Verein"), ("Familienzentrum", "Familienzentrum"),
                  ("Flüchtlingshilfe", "ehrenamtliche Initiative"), ("Evangelische Kirchengemeinde", "Religionsgemeinschaft"),
                  ("Katholische Pfarrei", "Religionsgemeinschaft"), ("Moscheeverein", "Religionsgemeinschaft"),
                  ("Grundschule am Park", "Schule"), ("Gesamtschule", "Schule"), ("Kita Sonnenschein", "Kita"),
                  ("Kita Regenbogen", "Kita"), ("Turn- und Sportverein", "Sportverein"), ("Fußballclub", "Sportverein"),
                  ("Boxclub", "Sportverein"), ("Türkischer Elternverein", "Migrantenorganisation"),
                  ("Deutsch-Syrischer Kulturverein", "Migrantenorganisation"), ("Afrikanisches Forum", "Migrantenorganisation"),
                  ("Russischsprachige Gemeinschaft", "Migrantenorganisation"), ("Ukrainischer Verein", "Migrantenorganisation"),
                  ("Tafel", "Verein"), ("Stadtbibliothek", "Kommunalverwaltung"), ("Quartiersmanagement", "Kommunalverwaltung"),
                  ("Wohnungsbaugenossenschaft", "Wohnungsunternehmen"), ("Sprachschule Lingua", "Bildungsträger"),
                  ("Bildungswerk der Wirtschaft", "Bildungsträger"), ("Nachbarschaftsinitiative", "ehrenamtliche Initiative"),
                  ("Seniorenbeirat", "Beirat"), ("Jugendzentrum", "Kommunalverwaltung"), ("Musikschule", "Bildungsträger"),
                  ("Frauenhaus", "Beratungsstelle"), ("Suchtberatung", "Beratungsstelle"), ("Schuldnerberatung", "Beratungsstelle"),
                  ("Erziehungsberatungsstelle", "Beratungsstelle"), ("Lesepaten", "ehrenamtliche Initiative"),
                  ("Kulturzentrum", "Verein"), ("Gesundheitsamt", "staatliche Behörde"), ("Ausländerbehörde", "Kommunalverwaltung"),
                  ("Handwerkskammer Beratung", "Kammer"), ("Stiftung Bürgersinn", "Fördermittelgeber"),
                  ("Integrationslotsen", "ehrenamtliche Initiative"), ("Interkultureller Garten", "Verein"),
                  ("Elterninitiative", "ehrenamtliche Initiative")]
_SYLLABLES = ("ha", "in", "lin", "den", "bach", "berg", "feld", "au", "dorf", "hau", "sen", "wal", "stein", "ro",
              "mer", "kir", "chen", "hei", "ler", "bur", "gen", "tal", "wie", "se", "brun", "nen", "fel", "lau")
FUNDERS = ["BAMF", "Land Hessen (WIR-Programm)", "ESF Plus", "AMIF", "BMFSFJ", "Soziale Stadt", "Eigenmittel",
           "Stiftung Miteinander"]


def vocabulary_labels():
    """German prefLabels and altLabels of target groups and fields, from the shipped vocabularies."""
    g = Graph()
    for path in model_files():
        g.parse(path)
    out = {}
    for scheme in ("zielgruppe", "handlungsfeld"):
        iri = f"https://w3id.org/knotenpunkt/voc/{scheme}"
        labels = []
        for concept in sorted(g.subjects(SKOS.inScheme, URIRef(iri))):
            if (concept, RDF.type, SKOS.Concept) not in g:
                continue
            pref = next(str(o) for o in g.objects(concept, SKOS.prefLabel) if o.language == "de")
            alts = sorted(str(o) for o in g.objects(concept, SKOS.altLabel) if o.language == "de")
            labels.append([pref, *alts[:3]])
        out[scheme] = labels
    return out


def _zipf(rng, n, s=1.1):
    weights = [1 / (k ** s) for k in range(1, n + 1)]
    cumulative = list(itertools.accumulate(weights))
    return lambda: rng.choices(range(n), cum_weights=cumulative)[0]


# Organisations that work across municipalities: state associations, regional offices, programme networks.
# They partner in many towns and join the towns' networks, so the cooperation network has one giant
# component (as real regional networks do) and a heavy-tailed degree distribution.
REGIONAL = ["Landesverband der Arbeiterwohlfahrt", "Caritasverband für die Diözese", "Diakonie Landesverband",
            "DRK Landesverband", "Hessischer Volkshochschulverband", "Regionaldirektion der Agentur für Arbeit",
            "BAMF Regionalstelle", "IQ Netzwerk Landeskoordination", "Landesjugendamt", "Integrationsbüro des Kreises",
            "Kreisgesundheitsamt", "Landessportbund Integration durch Sport", "Migrationsdienst des Kreises",
            "Landesarbeitsgemeinschaft der Ausländerbeiräte", "Landesnetzwerk Migrantenorganisationen",
            "Flüchtlingsrat", "Bildungswerk des Landes", "Stiftung Integration Region", "Kreishandwerkerschaft",
            "Industrie- und Handelskammer Region"]
REGIONAL_SHARE = 0.15  # share of measures with a regional partner, and of cooperations with a regional side


def measure_rows(measures, *, seed=2026):
    """The synthetic inventory as rows per sheet (title and header rows included) and its counts."""
    rng = random.Random(seed)
    vocab = vocabulary_labels()
    groups, fields = vocab["zielgruppe"], vocab["handlungsfeld"]
    pick_group, pick_field = _zipf(rng, len(groups)), _zipf(rng, len(fields))
    pick_regional = _zipf(rng, len(REGIONAL), 1.0)
    municipalities = max(1, round(measures / MEASURES_PER_MUNICIPALITY))
    sheet_m = [["Maßnahmenübersicht Integration Modellregion Synthetica – Benchmark"], [],
               ["Nr.", "Maßnahme", "Träger", "Kooperationspartner", "Zielgruppe(n)", "Handlungsfeld", "Stadtteil",
                "Beginn", "Ende", "Finanzierung", "Turnus"]]
    providers, districts, coops, networks = [(name, "Wohlfahrtsverband") for name in REGIONAL], [], [], []
    towns = set()
    while len(towns) < municipalities:
        towns.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3)))).capitalize())
    previous = None  # the neighbouring town's organisations: a few cooperations cross the town border
    for m, town in enumerate(sorted(towns)):
        local_districts = [f"{town} Bezirk {d + 1}" for d in range(DISTRICTS_PER_MUNICIPALITY)]
        districts.extend(local_districts)
        local = [(f"{base} {town}", kind) for base, kind in PROVIDER_KINDS[:PROVIDERS_PER_MUNICIPALITY]]
        providers.extend(local)
        pick_provider, pick_district = _zipf(rng, len(local)), _zipf(rng, len(local_districts), 0.8)
        for _ in range(12):
            a = local[pick_provider()][0]
            if rng.random() < REGIONAL_SHARE:
                b = REGIONAL[pick_regional()]
            elif previous and rng.random() < 0.1:
                b = rng.choice(previous)[0]
            else:
                b = local[pick_provider()][0]
            if a != b:
                coops.append((a, b))
        members = {local[pick_provider()][0] for _ in range(8)} | {REGIONAL[pick_regional()]}
        networks.append((f"Netzwerk Integration {town}", "; ".join(sorted(members))))
        count = min(MEASURES_PER_MUNICIPALITY, measures - m * MEASURES_PER_MUNICIPALITY)
        for i in range(count):
            start = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(3000))
            end = None if rng.random() < 0.4 else start + dt.timedelta(days=rng.randrange(200, 1500))
            group_labels = {rng.choice(groups[pick_group()]) for _ in range(rng.choice((1, 1, 2, 3)))}
            roll = rng.random()
            partner = REGIONAL[pick_regional()] if roll < REGIONAL_SHARE else \
                local[pick_provider()][0] if roll < 0.4 else ""
            sheet_m.append([
                f"{m + 1:04d}-{i + 1:04d}", f"{rng.choice(KINDS)} {i + 1}", local[pick_provider()][0], partner,
                "; ".join(sorted(group_labels)), rng.choice(fields[pick_field()]), local_districts[pick_district()],
                start, end, rng.choice(FUNDERS), rng.choice(("wöchentlich", "monatlich", "NA", "")),
            ])
        previous = local
    sheets = {
        "Maßnahmen": sheet_m,
        "Träger": [["Träger", "Art des Trägers", "PLZ"]] + [[n, k, f"{rng.randrange(1000, 99999):05d}"]
                                                          for n, k in providers],
        "Stadtteile": [["Stadtteil", "Einwohner", "Anteil mit Migrationshintergrund"]] +
                      [[n, rng.randrange(800, 12000), f"{rng.randrange(5, 60)} %"] for n in districts],
        "Kooperationen": [["Partner A", "Partner B", "Art der Kooperation"]] +
                         [[a, b, "Kooperationsvereinbarung"] for a, b in coops],
        "Netzwerke": [["Netzwerk", "Mitglieder"]] + [list(n) for n in networks],
    }
    counts = {"measures": measures, "municipalities": municipalities, "providers": len(providers),
              "districts": len(districts), "cooperations": len(coops), "networks": len(networks)}
    return sheets, counts


def generate_workbook(path, measures, *, seed=2026):
    """Write a synthetic inventory workbook with `measures` measures, laid out as Excel saves one.

    Excel writes every text once into a shared-strings table, gives each sheet its
    ``<dimension>``, and stores dates as numbers with a date format; openpyxl's write-only
    mode writes inline strings and no dimension, which readers handle differently (slower).
    So the workbook is written here as Excel would (`write_excel_like`).

    Returns
    -------
    dict
        Counts of what was written (measures, municipalities, providers, districts,
        cooperations, networks).
    """
    sheets, counts = measure_rows(measures, seed=seed)
    write_excel_like(path, sheets)
    return counts


_EPOCH = dt.date(1899, 12, 30)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _column(index):
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_excel_like(path, sheets):
    """Write `sheets` (name → rows of str, int, float, date or None) as an XLSX the way Excel saves it:
    shared strings, a ``<dimension>`` per sheet, dates as serial numbers with the format DD.MM.YYYY."""
    strings, order = {}, []

    def shared(text):
        if text not in strings:
            strings[text] = len(order)
            order.append(text)
        return strings[text]

    parts = {}
    for number, (name, rows) in enumerate(sheets.items(), 1):
        width = max((len(r) for r in rows), default=1)
        out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}" '
               f'xmlns:r="{_REL}"><dimension ref="A1:{_column(width - 1)}{len(rows)}"/><sheetData>']
        for r, row in enumerate(rows, 1):
            cells = []
            for c, value in enumerate(row):
                ref = f"{_column(c)}{r}"
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    cells.append(f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>')
                elif isinstance(value, (int, float)):
                    cells.append(f'<c r="{ref}"><v>{value}</v></c>')
                else:
                    cells.append(f'<c r="{ref}" t="s"><v>{shared(str(value))}</v></c>')
            out.append(f'<row r="{r}">{"".join(cells)}</row>' if cells else "")
        out.append("</sheetData></worksheet>")
        parts[f"xl/worksheets/sheet{number}.xml"] = "".join(out)
    names = list(sheets)
    parts["xl/sharedStrings.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_NS}" '
                                     f'count="{len(order)}" uniqueCount="{len(order)}">'
                                     + "".join(f"<si><t xml:space=\"preserve\">{escape(t)}</t></si>" for t in order)
                                     + "</sst>")
    parts["xl/styles.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{_NS}">'
                              '<numFmts count="1"><numFmt numFmtId="164" formatCode="DD.MM.YYYY"/></numFmts>'
                              '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                              '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                              '<fill><patternFill patternType="gray125"/></fill></fills>'
                              '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                              '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                              '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                              '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                              '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')
    parts["xl/workbook.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS}" '
                                f'xmlns:r="{_REL}"><sheets>'
                                + "".join(f'<sheet name="{escape(n)}" sheetId="{i}" r:id="rId{i}"/>'
                                          for i, n in enumerate(names, 1)) + "</sheets></workbook>")
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, len(names) + 1))
        + f'<Relationship Id="rId{len(names) + 1}" Type="{rel}/styles" Target="styles.xml"/>'
        + f'<Relationship Id="rId{len(names) + 2}" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        + "</Relationships>")
    parts["_rels/.rels"] = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
                            '</Relationships>')
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{ct}.worksheet+xml"/>'
                  for i in range(1, len(names) + 1))
        + f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
        + f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>'
        + "</Types>")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    order_of_parts = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                      "xl/styles.xml", "xl/sharedStrings.xml"] + [f"xl/worksheets/sheet{i}.xml" for i in range(1, len(names) + 1)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order_of_parts:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), parts[name],
                             compress_type=zipfile.ZIP_DEFLATED)


def main(argv=None):
    """Command line: write one workbook per requested size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, nargs="+", default=[1000])
    parser.add_argument("--out", type=Path, default=Path("bench/data"))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    for n in args.measures:
        path = args.out / f"synthetic_{n}.xlsx"
        print(path, generate_workbook(path, n, seed=args.seed))


if __name__ == "__main__":
    main()
