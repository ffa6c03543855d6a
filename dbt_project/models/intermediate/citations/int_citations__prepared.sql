-- Accepted citations with the parts of their URL that can identify the outlet: the social-media
-- account (an X/Twitter handle, a Facebook page, a Telegram channel) and the web site.
-- Incremental: the citations of incident codes triaged again since its last build
-- (incremental_by_key.sql).
{{ incremental_by_key_config('incident_code', 'citation_codes_triaged_since') }}

with citations as (
    select
        incident_code,
        'airwars:' || airwars_id as report_id,
        source_order as citation_order,
        source_name,
        platform as platform_raw,
        source_date_raw,
        url,
        archive_url,
        load_id,
        source_file,
        row_number
    from {{ ref('int_airwars__citations_triaged') }}
    where status = 'current' and {{ only_touched('incident_code') }}
),

url_parts as (
    select
        *,
        regexp_extract(
            trim(url),
            '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#:@]+)(?:/+([^/?#]+))?(?:/+([^/?#]+))?',
            ['host_text', 'first_segment', 'second_segment']
        ) as url_path,
        nullif(regexp_extract(url, '[?&]id=([0-9]+)', 1), '') as id_parameter
    from citations
),

url_fields as (
    select
        * exclude (url_path),
        regexp_replace(lower(url_path.host_text), '^(www[0-9]*|m|mobile|web|touch|mbasic)\.', '') as host,
        nullif(url_path.first_segment, '') as first_segment,
        nullif(url_path.second_segment, '') as second_segment
    from url_parts
),

accounts as (
    select
        *,
        case
            when
                host in ('twitter.com', 'x.com')
                and regexp_full_match(first_segment, '[A-Za-z0-9_]+')
                and lower(first_segment) not in (
                    'i', 'intent', 'search', 'hashtag', 'home', 'share', 'status', 'statuses',
                    'account', 'explore', 'settings', 'messages', 'notifications'
                )
                then '@' || first_segment
            when
                host in ('facebook.com', 'fb.com')
                and first_segment in ('permalink.php', 'story.php', 'profile.php')
                then 'facebook.com/' || id_parameter
            when
                host in ('facebook.com', 'fb.com')
                and lower(first_segment) not in (
                    'photo.php', 'photo', 'photos', 'watch', 'groups', 'reel', 'reels', 'video.php',
                    'videos', 'share', 'sharer.php', 'sharer', 'media', 'events', 'hashtag', 'l.php',
                    'login', 'login.php', 'plugins', 'notes', 'stories', 'people', 'pages', 'pg',
                    'home.php', 'search'
                )
                then 'facebook.com/' || first_segment
            when host in ('t.me', 'telegram.me')
                then 't.me/' || case when first_segment = 's' then second_segment else first_segment end
            when
                host = 'instagram.com'
                and first_segment not in ('p', 'reel', 'reels', 'stories', 'explore')
                then 'instagram.com/' || first_segment
        end as url_account
    from url_fields
)

select
    report_id,
    citation_order,
    source_name,
    platform_raw,
    source_date_raw,
    url,
    archive_url,
    nullif(host, '') as url_host,
    -- news.sn4hr.org is looked up as sn4hr.org too
    case
        when regexp_full_match(host, '[^.]+\.[^.]+\.[^.]+.*') then regexp_replace(host, '^[^.]+\.', '')
    end as url_parent_host,
    url_account,
    load_id,
    source_file,
    row_number,
    incident_code,
    {{ built_at() }}
from accounts
