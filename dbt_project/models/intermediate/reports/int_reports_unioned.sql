-- Reports of civilian harm from every source, in one shape. Sources add themselves here.
select * from {{ ref('int_airwars__reports') }}
