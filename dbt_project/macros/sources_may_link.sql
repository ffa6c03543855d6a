{# Two reports may describe one event only if they come from different sources, or are ledger
   claims of different claimants (the activists' "around 40" and the US military's "no
   civilians" are about one strike). #}
{% macro sources_may_link(a, b) -%}
    (
        {{ a }}.source != {{ b }}.source
        or ({{ links_within_source(a ~ '.source') }} and {{ a }}.claimant_id is distinct from {{ b }}.claimant_id)
    )
{%- endmacro %}

{# The one source whose reports may link to reports of the same source (of other claimants). #}
{% macro links_within_source(source) -%}
    {{ source }} = 'ledger'
{%- endmacro %}
