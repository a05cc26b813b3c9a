"""schemathesis against the saved OpenAPI document, over real HTTP: no route answers with a 5xx,
whatever parameters and bodies the schema admits (a documented 503 for a store that is down aside)."""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

ROOT = Path(__file__).resolve().parent.parent
schema = schemathesis.openapi.from_path(ROOT / "api" / "openapi.json")


@schema.parametrize()
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_route_fails_with_a_server_error(case, base):
    response = case.call(base_url=base, timeout=30)
    assert response.status_code < 500 or response.status_code == 503, (case.path, response.text[:300])
    case.validate_response(response, checks=[not_a_server_error])
