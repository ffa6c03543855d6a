"""Secrets are scrubbed in the forms a server may echo them: percent-encoded, form-encoded,
JSON-escaped (issue 27, item 16)."""

from __future__ import annotations

from ingestion.http import scrub

TOKEN = "tok/en+with=special chars&é"


def test_a_percent_encoded_token_is_scrubbed_in_either_hex_case():
    upper = "tok%2Fen%2Bwith%3Dspecial%20chars%26%C3%A9"
    echoed = f"401: token {upper} is invalid; again {upper.lower()}"
    assert scrub(echoed, [TOKEN]) == "401: token [secret] is invalid; again [secret]"


def test_form_encoded_and_json_escaped_tokens_are_scrubbed():
    form = "tok%2Fen%2Bwith%3Dspecial+chars%26%C3%A9"
    json_escaped = "tok/en+with=special chars&\\u00e9"
    assert scrub(f"q={form}", [TOKEN]) == "q=[secret]"
    assert scrub(f'{{"token": "{json_escaped}"}}', [TOKEN]) == '{"token": "[secret]"}'


def test_the_plain_token_is_still_scrubbed():
    assert scrub(f"Bearer {TOKEN}", [f"Bearer {TOKEN}"]) == "[secret]"
