"""UCDP GED downloaded as CSV and dropped in the landing folder: `ucdp_ged/*.csv`, landed as text
into raw.ucdp_ged_file_events. The events reach the marts exactly as API-fetched ones do
(`report_id = 'ucdp:<id>'`). Data: Uppsala Conflict Data Program (ucdp.uu.se), CC BY 4.0."""

from __future__ import annotations

from ingestion.landing import CsvDropFolder, CsvFeed

SOURCE = "ucdp_ged"
# Its events are UCDP reports (`ucdp:<id>`): dbt stages them with the API's (var report_sources).
REPORTS_AS = "ucdp"
RAW_TABLES = ("ucdp_ged_file_events",)

# GED comes in three shapes, read by column name: the Syria extract (these 41 columns, GED 19.1
# names), UCDP's own CSV download (also relid, code_status, the *_dset_id columns,
# where_description and gwnoa) and the Humanitarian Data Exchange's export (also start_year,
# end_year, gwnoa and iso3, another order, and an HXL hashtag row under the header). A file
# lacking any of the 41 fails naming them.
FILE_COLUMNS = (
    "id", "year", "active_year", "type_of_violence", "conflict_new_id", "conflict_name",
    "dyad_new_id", "dyad_name", "side_a_new_id", "side_a", "side_b_new_id", "gwnob", "side_b",
    "number_of_sources", "source_article", "source_office", "source_date", "source_headline",
    "source_original", "where_prec", "where_coordinates", "adm_1", "adm_2", "latitude",
    "longitude", "geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity",
    "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "low", "best", "high",
)  # fmt: skip


OPTIONAL_COLUMNS = (
    "relid", "code_status", "conflict_dset_id", "dyad_dset_id", "side_a_dset_id",
    "side_b_dset_id", "where_description", "gwnoa", "start_year", "end_year", "iso3",
)  # fmt: skip

FEEDS = (CsvFeed("*.csv", RAW_TABLES[0], FILE_COLUMNS, OPTIONAL_COLUMNS, hxl_tag_row=True),)


landing_files, ensure_raw_tables, land = CsvDropFolder(SOURCE, FEEDS).functions()
