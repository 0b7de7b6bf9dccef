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
import random
from pathlib import Path

import openpyxl
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from ontology import model_files

__all__ = ["generate_workbook", "vocabulary_labels"]

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
    return lambda: rng.choices(range(n), weights)[0]


def generate_workbook(path, measures, *, seed=2026):
    """Write a synthetic inventory workbook with `measures` measures.

    Returns
    -------
    dict
        Counts of what was written (measures, municipalities, providers, districts,
        cooperations, networks).
    """
    rng = random.Random(seed)
    vocab = vocabulary_labels()
    groups, fields = vocab["zielgruppe"], vocab["handlungsfeld"]
    pick_group, pick_field = _zipf(rng, len(groups)), _zipf(rng, len(fields))
    municipalities = max(1, round(measures / MEASURES_PER_MUNICIPALITY))
    wb = openpyxl.Workbook(write_only=True)
    ws_m = wb.create_sheet("Maßnahmen")
    ws_m.append(["Maßnahmenübersicht Integration Modellregion Synthetica – Benchmark"])
    ws_m.append([])
    ws_m.append(["Nr.", "Maßnahme", "Träger", "Kooperationspartner", "Zielgruppe(n)", "Handlungsfeld", "Stadtteil",
                 "Beginn", "Ende", "Finanzierung", "Turnus"])
    providers, districts, coops, networks = [], [], [], []
    towns = set()
    while len(towns) < municipalities:
        towns.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3)))).capitalize())
    for m, town in enumerate(sorted(towns)):
        local_districts = [f"{town} Bezirk {d + 1}" for d in range(DISTRICTS_PER_MUNICIPALITY)]
        districts.extend(local_districts)
        local = []
        for base, kind in PROVIDER_KINDS[:PROVIDERS_PER_MUNICIPALITY]:
            local.append((f"{base} {town}", kind))
        providers.extend(local)
        pick_provider, pick_district = _zipf(rng, len(local)), _zipf(rng, len(local_districts), 0.8)
        for _ in range(12):
            a, b = rng.sample(local, 2)
            coops.append((a[0], b[0]))
        networks.append((f"Netzwerk Integration {town}", "; ".join(name for name, _ in rng.sample(local, 8))))
        count = min(MEASURES_PER_MUNICIPALITY, measures - m * MEASURES_PER_MUNICIPALITY)
        for i in range(count):
            start = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(3000))
            end = "" if rng.random() < 0.4 else (start + dt.timedelta(days=rng.randrange(200, 1500))).strftime("%d.%m.%Y")
            group_labels = {rng.choice(groups[pick_group()]) for _ in range(rng.choice((1, 1, 2, 3)))}
            ws_m.append([
                f"{m + 1:04d}-{i + 1:04d}", f"{rng.choice(KINDS)} {i + 1}", local[pick_provider()][0],
                local[pick_provider()][0] if rng.random() < 0.3 else "", "; ".join(sorted(group_labels)),
                rng.choice(fields[pick_field()]), local_districts[pick_district()], start.strftime("%d.%m.%Y"), end,
                rng.choice(FUNDERS), rng.choice(("wöchentlich", "monatlich", "NA", "")),
            ])
    ws_p = wb.create_sheet("Träger")
    ws_p.append(["Träger", "Art des Trägers", "PLZ"])
    for name, kind in providers:
        ws_p.append([name, kind, f"{rng.randrange(1000, 99999):05d}"])
    ws_d = wb.create_sheet("Stadtteile")
    ws_d.append(["Stadtteil", "Einwohner", "Anteil mit Migrationshintergrund"])
    for name in districts:
        ws_d.append([name, rng.randrange(800, 12000), f"{rng.randrange(5, 60)} %"])
    ws_c = wb.create_sheet("Kooperationen")
    ws_c.append(["Partner A", "Partner B", "Art der Kooperation"])
    for a, b in coops:
        ws_c.append([a, b, "Kooperationsvereinbarung"])
    ws_n = wb.create_sheet("Netzwerke")
    ws_n.append(["Netzwerk", "Mitglieder"])
    for name, members in networks:
        ws_n.append([name, members])
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return {"measures": measures, "municipalities": municipalities, "providers": len(providers),
            "districts": len(districts), "cooperations": len(coops), "networks": len(networks)}


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
