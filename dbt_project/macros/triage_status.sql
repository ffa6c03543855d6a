{#
    The status of a landed row (contract: docs/data_quality.md, "Triage"): `superseded` when a later
    fetch replaced it or a newer version of its record exists, `out_of_scope` when its only
    problems say so, `quarantined` for any other problem, else `current`. An API row that a later
    fetch replaced counts as superseded even when it also has problems.
#}
{% macro triage_status(rejection_reason, version_rank, replaced='replaced_by_fetch') -%}
    case
        when {{ replaced }} is not null then 'superseded'
        when {{ rejection_reason }} like 'out of scope:%' then 'out_of_scope'
        when {{ rejection_reason }} is not null then 'quarantined'
        when {{ version_rank }} > 1 then 'superseded'
        else 'current'
    end
{%- endmacro %}
