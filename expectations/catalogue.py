# ruff: noqa: E501  (generated data: one line per expectation type)
"""The Great Expectations expectation types a suite may name, in their snake_case spelling.

Kept as data so that loading suites does not import great_expectations (about 5 s). Generated
from great-expectations 1.24.1; tests/unit/test_expectations_runner.py fails if the installed GX
offers a different set. SQL-only types (ExpectQueryResultsToMatchComparison,
ExpectTableRowCountToEqualOtherTable, UnexpectedRowsExpectation) and the deprecated
ExpectMulticolumnValuesToBeUnique are left out: suites are
validated as pandas DataFrames, where they cannot run.
"""

from __future__ import annotations

GX_EXPECTATION_CLASSES: dict[str, str] = {
    "expect_column_distinct_values_to_be_in_set": "ExpectColumnDistinctValuesToBeInSet",
    "expect_column_distinct_values_to_contain_set": "ExpectColumnDistinctValuesToContainSet",
    "expect_column_distinct_values_to_equal_set": "ExpectColumnDistinctValuesToEqualSet",
    "expect_column_kl_divergence_to_be_less_than": "ExpectColumnKLDivergenceToBeLessThan",
    "expect_column_max_to_be_between": "ExpectColumnMaxToBeBetween",
    "expect_column_mean_to_be_between": "ExpectColumnMeanToBeBetween",
    "expect_column_median_to_be_between": "ExpectColumnMedianToBeBetween",
    "expect_column_min_to_be_between": "ExpectColumnMinToBeBetween",
    "expect_column_most_common_value_to_be_in_set": "ExpectColumnMostCommonValueToBeInSet",
    "expect_column_pair_values_a_to_be_greater_than_b": "ExpectColumnPairValuesAToBeGreaterThanB",
    "expect_column_pair_values_to_be_equal": "ExpectColumnPairValuesToBeEqual",
    "expect_column_pair_values_to_be_in_set": "ExpectColumnPairValuesToBeInSet",
    "expect_column_proportion_of_non_null_values_to_be_between": "ExpectColumnProportionOfNonNullValuesToBeBetween",
    "expect_column_proportion_of_unique_values_to_be_between": "ExpectColumnProportionOfUniqueValuesToBeBetween",
    "expect_column_quantile_values_to_be_between": "ExpectColumnQuantileValuesToBeBetween",
    "expect_column_stdev_to_be_between": "ExpectColumnStdevToBeBetween",
    "expect_column_sum_to_be_between": "ExpectColumnSumToBeBetween",
    "expect_column_to_exist": "ExpectColumnToExist",
    "expect_column_type_to_be": "ExpectColumnTypeToBe",
    "expect_column_unique_value_count_to_be_between": "ExpectColumnUniqueValueCountToBeBetween",
    "expect_column_value_lengths_to_be_between": "ExpectColumnValueLengthsToBeBetween",
    "expect_column_value_lengths_to_equal": "ExpectColumnValueLengthsToEqual",
    "expect_column_value_z_scores_to_be_less_than": "ExpectColumnValueZScoresToBeLessThan",
    "expect_column_values_to_be_between": "ExpectColumnValuesToBeBetween",
    "expect_column_values_to_be_dateutil_parseable": "ExpectColumnValuesToBeDateutilParseable",
    "expect_column_values_to_be_decreasing": "ExpectColumnValuesToBeDecreasing",
    "expect_column_values_to_be_in_set": "ExpectColumnValuesToBeInSet",
    "expect_column_values_to_be_in_type_list": "ExpectColumnValuesToBeInTypeList",
    "expect_column_values_to_be_increasing": "ExpectColumnValuesToBeIncreasing",
    "expect_column_values_to_be_json_parseable": "ExpectColumnValuesToBeJsonParseable",
    "expect_column_values_to_be_null": "ExpectColumnValuesToBeNull",
    "expect_column_values_to_be_of_type": "ExpectColumnValuesToBeOfType",
    "expect_column_values_to_be_unique": "ExpectColumnValuesToBeUnique",
    "expect_column_values_to_match_json_schema": "ExpectColumnValuesToMatchJsonSchema",
    "expect_column_values_to_match_like_pattern": "ExpectColumnValuesToMatchLikePattern",
    "expect_column_values_to_match_like_pattern_list": "ExpectColumnValuesToMatchLikePatternList",
    "expect_column_values_to_match_regex": "ExpectColumnValuesToMatchRegex",
    "expect_column_values_to_match_regex_list": "ExpectColumnValuesToMatchRegexList",
    "expect_column_values_to_match_strftime_format": "ExpectColumnValuesToMatchStrftimeFormat",
    "expect_column_values_to_not_be_in_set": "ExpectColumnValuesToNotBeInSet",
    "expect_column_values_to_not_be_null": "ExpectColumnValuesToNotBeNull",
    "expect_column_values_to_not_be_outliers": "ExpectColumnValuesToNotBeOutliers",
    "expect_column_values_to_not_match_like_pattern": "ExpectColumnValuesToNotMatchLikePattern",
    "expect_column_values_to_not_match_like_pattern_list": "ExpectColumnValuesToNotMatchLikePatternList",
    "expect_column_values_to_not_match_regex": "ExpectColumnValuesToNotMatchRegex",
    "expect_column_values_to_not_match_regex_list": "ExpectColumnValuesToNotMatchRegexList",
    "expect_compound_columns_to_be_unique": "ExpectCompoundColumnsToBeUnique",
    "expect_multicolumn_sum_to_equal": "ExpectMulticolumnSumToEqual",
    "expect_multicolumn_values_to_be_equal": "ExpectMulticolumnValuesToBeEqual",
    "expect_select_column_values_to_be_unique_within_record": "ExpectSelectColumnValuesToBeUniqueWithinRecord",
    "expect_table_column_count_to_be_between": "ExpectTableColumnCountToBeBetween",
    "expect_table_column_count_to_equal": "ExpectTableColumnCountToEqual",
    "expect_table_columns_to_match_ordered_list": "ExpectTableColumnsToMatchOrderedList",
    "expect_table_columns_to_match_set": "ExpectTableColumnsToMatchSet",
    "expect_table_row_count_to_be_between": "ExpectTableRowCountToBeBetween",
    "expect_table_row_count_to_equal": "ExpectTableRowCountToEqual",
}
