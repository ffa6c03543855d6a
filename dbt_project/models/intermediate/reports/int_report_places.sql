-- What every report says about where it happened: the input of admin-1 resolution.
select * from {{ ref('int_airwars__report_places') }}
