"""Schemathesis over the app's own OpenAPI, in-process, each operation with and without the service token:
valid and invalid input alike get no 5xx, and the answers conform to the document (status codes, content
types, bodies; errors in the app's format).

Not checked: that schema-valid data is always accepted (positive_data_acceptance). The intake models hold
rules across fields the document cannot state (consent text, one transfer target, a status to move to), so
schema-valid data may rightly get a 422.
"""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.fuzz.harness import load_schema

# 413: the body cap (bot/api/hardening.py) sits below the largest body the schema allows
CONFIG = schemathesis.Config.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": [
    "400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]}}})
schema = load_schema(CONFIG)
BUDGET = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                         HealthCheck.function_scoped_fixture])
SKIPPED = [positive_data_acceptance]


@schema.parametrize()
@BUDGET
def test_anonymous(case, fuzz_app):
    case.call_and_validate(excluded_checks=SKIPPED)


@schema.parametrize()
@BUDGET
def test_with_service_token(case, fuzz_app, token_headers):
    case.call_and_validate(headers=token_headers, excluded_checks=SKIPPED)
