"""Schemathesis against /openapi.json: every data operation answers without a server error and
with a body that matches its documented schema, whatever the generated parameters."""

from __future__ import annotations

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from app.main import create_app
from app.settings import Settings

DATA_OPERATIONS = r"^/(api/v1|export)/"
OPENAPI = create_app(Settings(database_url="sqlite://", secret_key="schema-only")).openapi()
schema = schemathesis.openapi.from_dict(OPENAPI).include(path_regex=DATA_OPERATIONS)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_data_operations_answer_within_their_schema(
    case: schemathesis.Case, client: TestClient
) -> None:
    request = case.as_transport_kwargs(base_url="http://testserver")
    response = client.request(
        request["method"],
        request["url"],
        params=request.get("params"),
        headers=request.get("headers"),
    )
    case.validate_response(
        response, checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
    )
