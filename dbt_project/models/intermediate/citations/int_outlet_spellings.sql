-- Every text that can name an outlet (a source_name as written, an account or site taken from a
-- citation's URL, an alias, outlet_id or outlet_name of the seeds) with its normalized key.
-- The key is the one merging rule for spellings: accents and Arabic hamza/vowel marks removed,
-- lowercase, URL scheme and "www." dropped, a trailing copy marker such as " (2)" dropped, every
-- run of other characters (spaces, punctuation, the apostrophe and @ before handles) turned into
-- one "_", a leading "the_" dropped. So "Step News", "step-news" and "'@Step_News" share a key.
with citations as (
    select * from {{ ref('int_citations__prepared') }}
),

outlets as (
    select * from {{ ref('outlets') }}
),

aliases as (
    select * from {{ ref('outlet_aliases') }}
),

spellings as (
    select source_name as spelling from citations
    union
    select url_account from citations
    union
    select url_host from citations
    union
    select url_parent_host from citations
    union
    select alias from aliases
    union
    select outlet_id from outlets
    union
    select outlet_name from outlets
),

keyed as (
    select
        spelling,
        nullif(
            regexp_replace(
                trim(
                    regexp_replace(
                        regexp_replace(
                            regexp_replace(
                                replace(lower(strip_accents(trim(spelling))), 'ـ', ''),
                                '^([a-z][a-z0-9+.-]*://(m\.|mobile\.|web\.)?)?(www[0-9]*\.)?', ''
                            ),
                            '\s*\(\s*[0-9]+\s*\)\s*$', ''
                        ),
                        '[^\pL\pN]+', '_', 'g'
                    ),
                    '_'
                ),
                '^the_', ''
            ),
            ''
        ) as outlet_key
    from spellings
    where spelling is not null
)

select
    spelling,
    outlet_key
from keyed
