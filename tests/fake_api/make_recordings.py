"""Write the recordings the fake APIs replay: SYNTHETIC Syria and Iraq events of February-April
2017 in the documented schemas (UCDP GedDb fields; ACLED event fields, all strings as ACLED sends
them). Places, actors and coding conventions follow the real datasets; the events are made up.

Run `python tests/fake_api/make_recordings.py` to regenerate; the output is deterministic.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent / "recordings"

# (country, country_id, adm_1, place, latitude, longitude)
PLACES = [
    ("Syria", 652, "Ar Raqqah governorate", "Ar Raqqah town", 35.9528, 39.0079),
    ("Syria", 652, "Halab governorate", "Al Bab town", 36.3705, 37.5157),
    ("Syria", 652, "Idlib governorate", "Khan Shaykhun town", 35.4419, 36.6511),
    ("Syria", 652, "Dayr az Zawr governorate", "Al Mayadin town", 35.0208, 40.4526),
    ("Syria", 652, "Hamah governorate", "Suran town", 35.2897, 36.7439),
    ("Iraq", 645, "Ninawa governorate", "Mosul city", 36.3350, 43.1189),
    ("Iraq", 645, "Al Anbar governorate", "Al Qaim town", 34.3686, 41.0946),
]
# (type_of_violence, conflict_name, side_a, side_b, country filter or None)
DYADS = [
    (3, "IS - Civilians", "IS", "Civilians", None),
    (3, "Government of Syria - Civilians", "Government of Syria", "Civilians", "Syria"),
    (1, "Syria: Government", "Government of Syria", "Syrian insurgents", "Syria"),
    (1, "Syria: Government", "Government of Russia (Soviet Union)", "Syrian insurgents", "Syria"),
    (1, "United States of America: IS", "Government of United States of America", "IS", None),
    (1, "Iraq: Government", "Government of Iraq", "IS", "Iraq"),
    (2, "IS - SDF", "SDF", "IS", "Syria"),
]


def ucdp_event(rng: random.Random, event_id: int, start: date, days: int = 0) -> dict:
    country, country_id, adm_1, place, lat, lon = rng.choice(PLACES)
    dyads = [d for d in DYADS if d[4] in (None, country)]
    violence, conflict, side_a, side_b, _ = rng.choice(dyads)
    civilians = rng.randint(1, 12) if violence == 3 or rng.random() < 0.4 else 0
    deaths_a = 0 if violence == 3 else rng.randint(0, 6)
    deaths_b = 0 if violence == 3 else rng.randint(0, 9)
    unknown = rng.choice([0, 0, 0, 1, 2])
    best = deaths_a + deaths_b + civilians + unknown
    best = max(best, 1)
    if best == unknown == 0:
        unknown = 1
    end = start + timedelta(days=days)
    latitude = round(lat + rng.uniform(-0.02, 0.02), 5)
    longitude = round(lon + rng.uniform(-0.02, 0.02), 5)
    return {
        "id": event_id,
        "relid": f"{country[:3].upper()}-2017-{violence}-{event_id}-{rng.randint(1, 9)}",
        "year": 2017,
        "active_year": True,
        "code_status": "Clear",
        "type_of_violence": violence,
        "conflict_dset_id": str(200 + violence),
        "conflict_new_id": 200 + violence,
        "conflict_name": conflict,
        "dyad_dset_id": str(400 + violence),
        "dyad_new_id": 400 + violence,
        "dyad_name": f"{side_a} - {side_b}",
        "side_a_dset_id": "1",
        "side_a_new_id": 1,
        "side_a": side_a,
        "side_b_dset_id": "2",
        "side_b_new_id": 2,
        "side_b": side_b,
        "number_of_sources": rng.randint(1, 4),
        "source_article": f'"Synthetic wire report {event_id}", {start.isoformat()}',
        "source_office": rng.choice(["Reuters", "AFP", "SOHR", "Xinhua"]),
        "source_date": start.isoformat(),
        "source_headline": f"Synthetic headline {event_id}",
        "source_original": "",
        "where_prec": rng.choice([1, 1, 2, 3]),
        "where_coordinates": place,
        "where_description": f"{place} ({adm_1.split(' governorate')[0]})",
        "adm_1": adm_1,
        "adm_2": "",
        "latitude": latitude,
        "longitude": longitude,
        "geom_wkt": f"POINT ({longitude:.5f} {latitude:.5f})",
        "priogrid_gid": 170000 + event_id % 997,
        "country": country,
        "country_id": country_id,
        "region": "Middle East",
        "event_clarity": 1,
        "date_prec": 1 if days == 0 else 2,
        "date_start": f"{start.isoformat()}T00:00:00",
        "date_end": f"{end.isoformat()}T00:00:00",
        "deaths_a": deaths_a,
        "deaths_b": deaths_b,
        "deaths_civilians": civilians,
        "deaths_unknown": unknown,
        "best": best,
        "high": best + rng.randint(0, 5),
        "low": max(0, best - rng.randint(0, 2)),
        "gwnoa": str(country_id),
        "gwnob": None,
    }


def ucdp_release() -> list[dict]:
    rng = random.Random(2017)
    events = []
    next_id = 210001
    for day in range(1, 9):  # February: 8 events, one of them miscoded (low above best)
        events.append(ucdp_event(rng, next_id, date(2017, 2, day * 3)))
        next_id += 1
    events[3]["low"] = events[3]["best"] + 2
    # One event from 27 February to 2 March: the API returns it for both months.
    events.append(ucdp_event(rng, next_id, date(2017, 2, 27), days=3))
    next_id += 1
    for index in range(59):  # March: 59 events starting in the month
        events.append(ucdp_event(rng, next_id, date(2017, 3, 1 + index % 31)))
        next_id += 1
    return events  # April 2017: none


def ucdp_older_release(current: list[dict]) -> list[dict]:
    """Release 24.1 of the same months: two March events were revised in 25.1."""
    older = [dict(event) for event in current]
    revised = [
        e for e in older if e["date_start"].startswith("2017-03") and e["deaths_civilians"] >= 2
    ][:2]
    for event in revised:
        event["deaths_civilians"] -= 1
        event["best"] -= 1
        event["low"] = min(event["low"], event["best"])
    return older


ACLED_ACTORS = {
    "Syria": [
        (
            "Military Forces of Syria (2000-)",
            "Civilians (Syria)",
            "Civilian targeting",
            "Violence against civilians",
            "Attack",
        ),
        (
            "Islamic State (Syria)",
            "Civilians (Syria)",
            "Civilian targeting",
            "Violence against civilians",
            "Attack",
        ),
        (
            "Military Forces of Russia (2000-)",
            "Civilians (Syria)",
            "Civilian targeting",
            "Explosions/Remote violence",
            "Air/drone strike",
        ),
        (
            "Military Forces of the United States (2017-2021)",
            "Civilians (Syria)",
            "Civilian targeting",
            "Explosions/Remote violence",
            "Air/drone strike",
        ),
        ("SDF: Syrian Democratic Forces", "Islamic State (Syria)", "", "Battles", "Armed clash"),
        (
            "Unidentified Armed Group (Syria)",
            "Civilians (Syria)",
            "Civilian targeting",
            "Violence against civilians",
            "Attack",
        ),
    ],
    "Iraq": [
        (
            "Islamic State (Iraq)",
            "Civilians (Iraq)",
            "Civilian targeting",
            "Explosions/Remote violence",
            "Remote explosive/landmine/IED",
        ),
        (
            "Military Forces of Iraq (2014-2018)",
            "Islamic State (Iraq)",
            "",
            "Battles",
            "Armed clash",
        ),
    ],
}
ACLED_PLACES = {
    "Syria": [
        ("Ar-Raqqa", "Ar-Raqqa", "35.9528", "39.0079"),
        ("Aleppo", "Al Bab", "36.3705", "37.5157"),
        ("Idleb", "Khan Shaykhun", "35.4419", "36.6511"),
        ("Deir-ez-Zor", "Al Mayadin", "35.0208", "40.4526"),
    ],
    "Iraq": [("Ninewa", "Mosul", "36.3350", "43.1189"), ("Anbar", "Al Qaim", "34.3686", "41.0946")],
}


def acled_events() -> list[dict]:
    rng = random.Random(368)
    events = []
    for index in range(12):  # March 2017: 12 events, 3 pages of 5
        country = "Syria" if index % 3 else "Iraq"
        iso = "760" if country == "Syria" else "368"
        actor1, actor2, targeting, event_type, sub_type = rng.choice(ACLED_ACTORS[country])
        admin1, location, lat, lon = rng.choice(ACLED_PLACES[country])
        day = date(2017, 3, 2 + index * 2)
        code = "SYR" if country == "Syria" else "IRQ"
        events.append({
            "event_id_cnty": f"{code}{2170 + index}",
            "event_date": day.isoformat(),
            "year": "2017",
            "time_precision": "1",
            "disorder_type": "Political violence",
            "event_type": event_type,
            "sub_event_type": sub_type,
            "actor1": actor1,
            "assoc_actor_1": "",
            "inter1": "State forces" if actor1.startswith("Military") else "Rebel group",
            "actor2": actor2,
            "assoc_actor_2": "",
            "inter2": "Civilians" if actor2.startswith("Civilians") else "Rebel group",
            "interaction": "State forces-"
            + ("Civilians" if actor2.startswith("Civilians") else "Rebel group"),
            "civilian_targeting": targeting,
            "iso": iso,
            "region": "Middle East",
            "country": country,
            "admin1": admin1,
            "admin2": admin1,
            "admin3": "",
            "location": location,
            "latitude": lat,
            "longitude": lon,
            "geo_precision": "1",
            "source": "Synthetic Observatory",
            "source_scale": "National",
            "notes": f"On {day.isoformat()}, synthetic event {index} near {location}.",
            "fatalities": str(rng.randint(0, 9)),
            "tags": "",
            "timestamp": str(1491000000 + index * 1000),
        })  # fmt: skip
    return events


def acled_revised(events: list[dict]) -> list[dict]:
    """The same month a few weeks later: one event revised (newer timestamp, more fatalities)."""
    revised = [dict(event) for event in events]
    revised[4]["fatalities"] = str(int(revised[4]["fatalities"]) + 3)
    revised[4]["timestamp"] = "1493000000"
    return revised


def acled_deletions() -> list[dict]:
    """ACLED's deletions feed after it withdrew one civilian-targeting event of March 2017
    (SYR2177), one event civcas never landed, and a row whose time cannot be read."""
    return [
        {"event_id_cnty": "SYR2177", "deleted_timestamp": "1494000000"},
        {"event_id_cnty": "IRQ2999", "deleted_timestamp": "1494000100"},
        {"event_id_cnty": "SYR2178", "deleted_timestamp": "soon"},
    ]


def main() -> None:
    HERE.mkdir(exist_ok=True)
    current = ucdp_release()
    files = {
        "ucdp_gedevents_25.1.json": current,
        "ucdp_gedevents_24.1.json": ucdp_older_release(current),
        "acled_events.json": acled_events(),
        "acled_events_revised.json": acled_revised(acled_events()),
        "acled_deleted.json": acled_deletions(),
    }
    for name, events in files.items():
        (HERE / name).write_text(json.dumps(events, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
