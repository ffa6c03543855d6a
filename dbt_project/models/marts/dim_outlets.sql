-- One canonical outlet: every outlet of the seed outlets (listed), plus one per unlisted
-- source_name key that citations use.
with outlets as (
    select * from {{ ref('outlets') }}
),

citation_outlets as (
    select * from {{ ref('int_citation_outlets') }}
),

unlisted_spellings as (
    select
        outlet_id,
        -- as written, without the apostrophe before handles and the " (2)" copy marker
        trim(regexp_replace(regexp_replace(source_name, '\s*\(\s*[0-9]+\s*\)\s*$', ''), '^[''\s]+', ''))
            as spelling,
        count(*) as citations
    from citation_outlets
    where outlet_match = 'unlisted_name'
    group by all
),

unlisted as (
    select
        outlet_id,
        spelling as outlet_name
    from unlisted_spellings
    -- the most frequent spelling; on a tie a name rather than a handle, then the first in sort order
    qualify row_number() over (
        partition by outlet_id order by citations desc, starts_with(spelling, '@'), spelling asc
    ) = 1
)

select
    outlet_id,
    outlet_name,
    kind,
    true as is_listed
from outlets

union all

select
    outlet_id,
    outlet_name,
    'unknown' as kind,
    false as is_listed
from unlisted
