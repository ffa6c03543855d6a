-- What every report says about where it happened: the input of admin-1 resolution.
select * from {{ ref('int_airwars__report_places') }}
union all by name
select * from {{ ref('int_ledger__report_places') }}
union all by name
select * from {{ ref('int_ucdp__report_places') }}
union all by name
select * from {{ ref('int_acled__report_places') }}
