"""Fixtures of the API sources' tests: the fake UCDP and ACLED servers on 127.0.0.1, civcas
pointed at them with credentials, and a build file of the test's own (tests/fake_api/)."""

from fake_api.fixtures import api_env, con, fake_apis

__all__ = ["api_env", "con", "fake_apis"]  # pytest finds fixtures by name
