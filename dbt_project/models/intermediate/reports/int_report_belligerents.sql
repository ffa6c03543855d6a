-- Report x alleged belligerent, from every source.
select * from {{ ref('int_airwars__report_belligerents') }}
