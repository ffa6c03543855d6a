-- One alleged belligerent (canonical list: seeds/belligerents.csv).
select
    belligerent_id,
    belligerent_name
from {{ ref('belligerents') }}
