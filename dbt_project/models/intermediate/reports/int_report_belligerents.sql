-- Report x alleged belligerent, from every source.
select * from {{ ref('int_airwars__report_belligerents') }}
union all by name
select * from {{ ref('int_ledger__report_belligerents') }}
union all by name
select * from {{ ref('int_ucdp__report_belligerents') }}
union all by name
select * from {{ ref('int_acled__report_belligerents') }}
