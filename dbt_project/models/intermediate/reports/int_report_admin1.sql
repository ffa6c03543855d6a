-- The admin-1 (ISO 3166-2) of every report, from what its texts say (seeds/admin1_spellings.csv)
-- and where its coordinates fall (seeds/admin1_grid.csv). Rules: docs/admin1_resolution.md.
-- Incremental: the reports int_reports_unioned built since its last build, and those gone.
{{ incremental_by_key_config('report_id', 'unioned_reports_built_since') }}

with places as (
    select * from {{ ref('int_reports_unioned') }}
    where {{ only_touched('report_id') }}
),

spellings as (
    select * from {{ ref('admin1_spellings') }}
),

grid as (
    select * from {{ ref('admin1_grid') }}
),

-- Countries whose every point the grid labels with an admin-1 (Syria, Iraq).
covered_countries as (
    select distinct country_iso3 from {{ ref('admin1') }}
),

-- Texts are few and repeat a lot: resolve each distinct one once. field 1 = admin1_text.
texts as (
    select distinct
        country_iso3,
        1 as field,
        admin1_text
    from places
    where admin1_text is not null
    union
    select distinct
        country_iso3,
        2 as field,
        admin1_text_alt as admin1_text
    from places
    where admin1_text_alt is not null
),

-- "Hama or Idlib", "Deir ez-Zor/Damascus", "Raqqa - Tal Abyad": one row per named place.
text_parts as (
    select
        country_iso3,
        field,
        admin1_text,
        unnest(
            regexp_split_to_array(lower(admin1_text), '\s+(?:or|and)\s+|[/,;&]|\s+-\s+')
        ) as part
    from texts
),

-- Lowercase ASCII words; apostrophes dropped ("Dara'a" = "Daraa"), other marks become spaces.
normalized_parts as (
    select
        *,
        trim(regexp_replace(
            regexp_replace(strip_accents(part), '[''`’‘ʿʾ]', '', 'g'), '[^a-z0-9]+', ' ', 'g'
        )) as part_key
    from text_parts
),

-- Three keys, tried in order: as written; without administrative and compass words
-- ("eastern Hama governorate"); also without "countryside", "of", "city" ("Homs countryside").
-- "Damascus countryside" and "Rural Damascus" are spellings of Rif Dimashq, so they match
-- on the first key, before "countryside" is dropped.
part_keys as (
    select
        *,
        trim(regexp_replace(regexp_replace(
            part_key,
            '\b(governorate|governate|province|muhafazat|muhafaza|district|region|eastern|western|northern|southern|central|east|west|north|south|the)\b',  -- noqa: LT05
            ' ', 'g'
        ), '\s+', ' ', 'g')) as plain_key
    from normalized_parts
),

part_keys_bare as (
    select
        *,
        trim(regexp_replace(regexp_replace(
            plain_key, '\b(countryside|outskirts|of|city|rural|near)\b', ' ', 'g'
        ), '\s+', ' ', 'g')) as bare_key
    from part_keys
),

spelling_keys as (
    select
        country_iso3,
        admin1_code,
        trim(regexp_replace(
            regexp_replace(strip_accents(lower(spelling)), '[''`’‘ʿʾ]', '', 'g'),
            '[^a-z0-9]+', ' ', 'g'
        )) as spelling_key
    from spellings
    where admin1_code is not null
    -- An ISO 3166-2 code is a spelling too ("IQ-NI" normalizes to "iq ni").
    union all
    select
        country_iso3,
        admin1_code,
        lower(replace(admin1_code, '-', ' ')) as spelling_key
    from {{ ref('admin1') }}
),

part_codes as (
    select
        part_keys_bare.country_iso3,
        part_keys_bare.field,
        part_keys_bare.admin1_text,
        coalesce(exact.admin1_code, plain.admin1_code, bare.admin1_code) as admin1_code
    from part_keys_bare
    left join spelling_keys as exact
        on
            part_keys_bare.country_iso3 = exact.country_iso3
            and part_keys_bare.part_key = exact.spelling_key
    left join spelling_keys as plain
        on
            part_keys_bare.country_iso3 = plain.country_iso3
            and part_keys_bare.plain_key = plain.spelling_key
    left join spelling_keys as bare
        on
            part_keys_bare.country_iso3 = bare.country_iso3
            and part_keys_bare.bare_key = bare.spelling_key
),

text_codes as (
    select
        country_iso3,
        field,
        admin1_text,
        list_sort(list_distinct(list(admin1_code))) as admin1_codes
    from part_codes
    group by all
),

report_text_codes as (
    select
        places.report_id,
        list_sort(list_distinct(flatten([
            coalesce(primary_text.admin1_codes, []), coalesce(alt_text.admin1_codes, [])
        ]))) as admin1_text_candidates
    from places
    left join text_codes as primary_text
        on
            places.country_iso3 = primary_text.country_iso3
            and primary_text.field = 1
            and places.admin1_text = primary_text.admin1_text
    left join text_codes as alt_text
        on
            places.country_iso3 = alt_text.country_iso3
            and alt_text.field = 2
            and places.admin1_text_alt = alt_text.admin1_text
),

-- Grid cells are 0.01 degree: a point is in row floor(latitude * 100).
located as (
    select
        places.report_id,
        places.country_iso3,
        places.latitude is not null and places.longitude is not null as has_point,
        floor(places.latitude * 100)::integer as lat_cell,
        floor(places.longitude * 100)::integer as lon_cell,
        grid.country_iso3 as point_country_iso3,
        grid.admin1_code as point_admin1_code
    from places
    left join grid
        on
            grid.lat_cell = floor(places.latitude * 100)::integer
            and floor(places.longitude * 100)::integer
            between grid.lon_cell_from and grid.lon_cell_to
),

evidence as (
    select
        located.report_id,
        located.lat_cell,
        located.lon_cell,
        report_text_codes.admin1_text_candidates,
        case
            when len(report_text_codes.admin1_text_candidates) = 1
                then report_text_codes.admin1_text_candidates[1]
        end as admin1_from_text,
        located.point_country_iso3,
        -- A point in a neighbouring country says nothing about the stated country's admin-1.
        case
            when located.point_country_iso3 = located.country_iso3
                then located.point_admin1_code
        end as admin1_from_coordinates,
        -- Outside: the grid puts the point in another country, or (for a country the grid
        -- covers whole) in no country at all: at sea or beyond the grid.
        coalesce(
            located.has_point
            and located.country_iso3 is not null
            and located.point_country_iso3 is distinct from located.country_iso3
            and (
                located.point_country_iso3 is not null
                or located.country_iso3 in (select country_iso3 from covered_countries)
            ),
            false
        ) as coordinates_outside_country
    from located
    inner join report_text_codes on located.report_id = report_text_codes.report_id
),

-- Boundaries are simplified and points approximate: a text naming a governorate that lies
-- within 2 cells (about 2 km) of the point is taken as agreeing with the coordinates.
text_near_point as (
    select distinct evidence.report_id
    from evidence
    inner join grid
        on
            evidence.admin1_from_text = grid.admin1_code
            and grid.lat_cell between evidence.lat_cell - 2 and evidence.lat_cell + 2
            and grid.lon_cell_from <= evidence.lon_cell + 2
            and grid.lon_cell_to >= evidence.lon_cell - 2
    where evidence.admin1_from_text != evidence.admin1_from_coordinates
),

decided as (
    select
        evidence.*,
        case
            when admin1_from_coordinates is null and admin1_from_text is not null then 'text'
            when admin1_from_coordinates is null then 'unresolved'
            when len(admin1_text_candidates) = 0 then 'coordinates'
            when admin1_from_text = admin1_from_coordinates then 'text_and_coordinates'
            when text_near_point.report_id is not null then 'text_and_coordinates'
            when list_contains(admin1_text_candidates, admin1_from_coordinates)
                then 'coordinates_text_ambiguous'
            else 'coordinates_text_contradicted'
        end as admin1_method
    from evidence
    left join text_near_point on evidence.report_id = text_near_point.report_id
)

select
    report_id,
    case
        when admin1_method in ('text', 'text_and_coordinates') then admin1_from_text
        when admin1_method != 'unresolved' then admin1_from_coordinates
    end as admin1_code,
    admin1_method,
    coordinates_outside_country,
    admin1_from_text,
    admin1_text_candidates,
    admin1_from_coordinates,
    point_country_iso3
from decided
