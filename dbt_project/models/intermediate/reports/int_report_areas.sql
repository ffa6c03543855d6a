-- The named areas inside a city (seeds/named_areas.csv: a city, its parts, its neighbourhoods)
-- that each report lies in, resolved to the finest area its coordinates or its text support, and
-- every area holding that one. Rules: docs/admin1_resolution.md, "Named areas".
-- Coordinates: inside an area's outline (seeds/named_area_outlines.csv) or within its radius; a
-- point on a city's own gazetteer point stands for the whole city, never for the part it falls in.
-- Text: the report's place, admin-1 texts and (UCDP) source headlines naming an area's spelling
-- (seeds/named_area_spellings.csv), in the area's country and admin-1; "near Mosul", "south of
-- west Mosul" name a place beside the area, not in it.
with areas as (
    select * from {{ ref('named_areas') }}
),

reports as (
    select
        unioned.report_id,
        unioned.country_iso3,
        report_admin1.admin1_code,
        unioned.latitude,
        unioned.longitude,
        concat_ws(
            ' | ', unioned.place, unioned.admin1_text, unioned.admin1_text_alt,
            ucdp.source_headline
        ) as place_text
    from {{ ref('int_reports_unioned') }} as unioned
    inner join {{ ref('int_report_admin1') }} as report_admin1
        on unioned.report_id = report_admin1.report_id
    left join {{ ref('int_ucdp__events_triaged') }} as ucdp
        on unioned.report_id = 'ucdp:' || ucdp.event_id and ucdp.status = 'current'
    where unioned.country_iso3 in (select country_iso3 from areas)
),

-- An area, its parent and its grandparent (areas nest at most three deep: city, part,
-- neighbourhood).
area_paths as (
    select
        areas.area_id,
        list_filter([areas.area_id, parents.area_id, grandparents.area_id], a -> a is not null)
            as area_path
    from areas
    left join areas as parents on areas.parent_area_id = parents.area_id
    left join areas as grandparents on parents.parent_area_id = grandparents.area_id
),

edges as (
    select
        area_id,
        latitude as lat_from,
        longitude as lon_from,
        coalesce(
            lead(latitude) over (partition by area_id order by vertex),
            first_value(latitude) over (partition by area_id order by vertex)
        ) as lat_to,
        coalesce(
            lead(longitude) over (partition by area_id order by vertex),
            first_value(longitude) over (partition by area_id order by vertex)
        ) as lon_to
    from {{ ref('named_area_outlines') }}
),

located as (
    select * from reports
    where latitude is not null and longitude is not null
),

-- Points on a city's own gazetteer point (within half a kilometre): the city, and nothing finer.
city_points as (
    select
        located.report_id,
        areas.area_id
    from located
    inner join areas
        on
            areas.kind = 'city'
            and areas.latitude is not null
            and {{ km_between('located.latitude', 'located.longitude', 'areas.latitude', 'areas.longitude') }}
            <= 0.5
),

-- Ray casting: a point is inside an outline when a ray eastwards crosses an odd number of edges.
inside_outlines as (
    select
        located.report_id,
        edges.area_id
    from located
    inner join edges
        on
            (located.latitude < edges.lat_from) != (located.latitude < edges.lat_to)
            and located.longitude
            < (edges.lon_to - edges.lon_from) * (located.latitude - edges.lat_from)
            / (edges.lat_to - edges.lat_from) + edges.lon_from
    anti join city_points on located.report_id = city_points.report_id
    group by all
    having count(*) % 2 = 1
),

within_radius as (
    select
        located.report_id,
        areas.area_id
    from located
    inner join areas
        on
            areas.radius_km is not null
            and {{ km_between('located.latitude', 'located.longitude', 'areas.latitude', 'areas.longitude') }}
            <= areas.radius_km
    anti join city_points on located.report_id = city_points.report_id
),

by_coordinates as (
    select * from city_points
    union
    select * from inside_outlines
    union
    select * from within_radius
),

-- Lowercase ASCII words between spaces, one spelling of "neighbourhood".
words as (
    select
        report_id,
        country_iso3,
        admin1_code,
        ' ' || replace(trim(regexp_replace(
            regexp_replace(strip_accents(lower(place_text)), '[''`’‘ʿʾ]', '', 'g'),
            '[^a-z0-9]+', ' ', 'g'
        )), 'neighborhood', 'neighbourhood') || ' ' as text_key
    from reports
),

-- A place beside an area is not in it: "south of west Mosul", "west of Mosul" and "near Mosul"
-- are dropped before matching ("a neighbourhood of west Mosul" is kept).
normalized_texts as (
    select
        * exclude (text_key),
        regexp_replace(
            text_key,
            ' ((north|south|east|west|outskirts) of|near)( the)?( (west|east|western|eastern))? [a-z0-9]+ ',
            ' ', 'g'
        ) as text_key
    from words
),

spelling_keys as (
    select
        spellings.area_id,
        areas.country_iso3,
        areas.admin1_code,
        ' ' || trim(regexp_replace(
            regexp_replace(strip_accents(lower(spellings.spelling)), '[''`’‘ʿʾ]', '', 'g'),
            '[^a-z0-9]+', ' ', 'g'
        )) || ' ' as spelling_key
    from {{ ref('named_area_spellings') }} as spellings
    inner join areas on spellings.area_id = areas.area_id
),

by_text as (
    select distinct
        normalized_texts.report_id,
        spelling_keys.area_id
    from normalized_texts
    inner join spelling_keys
        on
            normalized_texts.country_iso3 = spelling_keys.country_iso3
            and coalesce(normalized_texts.admin1_code, spelling_keys.admin1_code)
            = spelling_keys.admin1_code
            and contains(normalized_texts.text_key, spelling_keys.spelling_key)
),

candidates as (
    select
        report_id,
        area_id,
        bool_or(method = 'coordinates') as from_coordinates,
        bool_or(method = 'text') as from_text
    from (
        select
            *,
            'coordinates' as method
        from by_coordinates
        union all
        select
            *,
            'text' as method
        from by_text
    ) as found
    group by all
),

candidate_paths as (
    select
        candidates.*,
        area_paths.area_path
    from candidates
    inner join area_paths on candidates.area_id = area_paths.area_id
),

per_report as (
    select
        report_id,
        list(area_id) as candidate_ids,
        list_reduce(list(area_path), (a, b) -> list_intersect(a, b)) as common_path
    from candidate_paths
    group by report_id
),

-- The finest area: the deepest candidate whose path holds every other candidate; when the
-- candidates disagree (west and east Mosul), the deepest area holding them all.
finest as (
    select
        per_report.report_id,
        coalesce(
            max_by(candidate_paths.area_id, len(candidate_paths.area_path)) filter (
                where list_has_all(candidate_paths.area_path, per_report.candidate_ids)
            ),
            max_by(common.area_id, len(common.area_path))
        ) as finest_area_id
    from per_report
    inner join candidate_paths on per_report.report_id = candidate_paths.report_id
    left join area_paths as common on list_contains(per_report.common_path, common.area_id)
    group by per_report.report_id
)

select
    finest.report_id,
    unnest(finest_paths.area_path) as area_id,
    finest.finest_area_id,
    case
        when finest_candidate.from_coordinates and finest_candidate.from_text
            then 'text_and_coordinates'
        when finest_candidate.from_coordinates then 'coordinates'
        when finest_candidate.from_text then 'text'
        else 'candidates_disagree'
    end as area_method
from finest
inner join area_paths as finest_paths on finest.finest_area_id = finest_paths.area_id
left join candidates as finest_candidate
    on
        finest.report_id = finest_candidate.report_id
        and finest.finest_area_id = finest_candidate.area_id
where finest.finest_area_id is not null
