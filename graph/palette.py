"""One fixed colour and shape per provider type, the same in the app, the ego views, the deck and the pictures.

Colours come from the colour-blind-safe palettes of Okabe & Ito and Paul Tol; each
type also has a shape by family (public bodies squares, independent providers
circles, civil society triangles, business and funders diamonds), so two types never
depend on hue alone. Types outside the shipped vocabulary (another city's own terms)
get the remaining colours in the order of their labels, so the same data gives the
same colours everywhere.

References
----------
Okabe, Masataka, and Kei Ito. 2008. "Color Universal Design (CUD): How to Make Figures and
Presentations That Are Friendly to Colorblind People." https://jfly.uni-koeln.de/color/
Tol, Paul. 2021. "Colour Schemes." SRON Technical Note SRON/EPS/TN/09-002.
"""

__all__ = ["TYPE_STYLES", "UNKNOWN", "GROUP_COLOURS", "type_style", "type_styles", "group_colours", "MATPLOTLIB_MARKERS"]

_TT = "https://w3id.org/knotenpunkt/voc/traegertyp/"

# local name of the Trägertyp concept → (colour, shape); shapes are vis-network names
TYPE_STYLES = {
    "kommunalverwaltung": ("#332288", "square"),
    "staatliche-behoerde": ("#88CCEE", "square"),
    "jobcenter-arbeitsagentur": ("#117733", "square"),
    "schule": ("#DDCC77", "square"),
    "kita-familienzentrum": ("#CC6677", "square"),
    "beirat-gremium": ("#AA4499", "square"),
    "wohlfahrtsverband": ("#E69F00", "dot"),
    "freier-traeger": ("#56B4E9", "dot"),
    "bildungstraeger": ("#009E73", "dot"),
    "beratungsstelle": ("#0072B2", "dot"),
    "migrantenorganisation": ("#D55E00", "triangle"),
    "religionsgemeinschaft": ("#882255", "triangle"),
    "verein": ("#44AA99", "triangle"),
    "ehrenamtliche-initiative": ("#C9B800", "triangle"),
    "wirtschaft-kammern": ("#999933", "diamond"),
    "foerdermittelgeber": ("#555555", "diamond"),
    "wohnungsunternehmen": ("#AA7744", "diamond"),
}
UNKNOWN = ("#BBBBBB", "dot")  # no type given
_EXTRA = ("#EE8866", "#77AADD", "#BBCC33", "#FFAABB", "#44BB99", "#EEDD88", "#99DDFF", "#AAAA00")
# for groups that are not types (communities, districts): Tol's muted scheme, then Okabe–Ito
GROUP_COLOURS = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
                 "#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00")
MATPLOTLIB_MARKERS = {"square": "s", "dot": "o", "triangle": "^", "diamond": "D", "star": "*"}


def type_style(iri):
    """(colour, shape) of one provider type of the shipped vocabulary; `UNKNOWN` for anything else.

    Examples
    --------
    >>> type_style("https://w3id.org/knotenpunkt/voc/traegertyp/verein")
    ('#44AA99', 'triangle')
    >>> type_style(None)
    ('#BBBBBB', 'dot')
    """
    if not isinstance(iri, str):
        return UNKNOWN
    return TYPE_STYLES.get(iri.rsplit("/", 1)[-1] if iri.startswith(_TT) else "", UNKNOWN)


def type_styles(types, labels=None):
    """(colour, shape) for each type of `types`: fixed for the vocabulary, stable for the rest.

    Parameters
    ----------
    types : iterable
        Type IRIs (or None).
    labels : dict, optional
        IRI → label; types outside the vocabulary get the extra colours in label order.

    Examples
    --------
    >>> type_styles(["x:b", "x:a", None], {"x:a": "A", "x:b": "B"})["x:a"]
    ('#EE8866', 'star')
    """
    labels = labels or {}
    out, others = {}, []
    for iri in set(types):
        style = type_style(iri)
        if style == UNKNOWN and iri is not None:
            others.append(iri)
        out[iri] = style
    for i, iri in enumerate(sorted(others, key=lambda o: (str(labels.get(o, o)).lower(), str(o)))):
        out[iri] = (_EXTRA[i % len(_EXTRA)], "star")
    return out


def group_colours(keys):
    """A colour per group key, in the order given (largest group first is best).

    Examples
    --------
    >>> group_colours(["a", "b"])
    {'a': '#332288', 'b': '#88CCEE'}
    """
    return {key: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, key in enumerate(keys)}
