-- Reports of civilian harm from every source, in one shape, with what each says about where it
-- happened (the input of int_report_admin1). Sources add themselves here.
select * from {{ ref('int_airwars__reports') }}
union all by name
select * from {{ ref('int_ledger__reports') }}
union all by name
select * from {{ ref('int_ucdp__reports') }}
union all by name
select * from {{ ref('int_acled__reports') }}
