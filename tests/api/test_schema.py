"""Property-based tests of the REST API from its own OpenAPI document (schemathesis): whatever
a client sends, valid or not, the server answers without a server error.

Requests carry a token allowed every operation for every purpose, so they get past the
scope checks into the handlers, where a crash would hide. SQLite only: the point is the
handlers' input handling, which the database does not change; the REST tests cover both.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import BaseSchema, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok

from purposely.access import Operation
from purposely.api.services import Services
from purposely.store import Store
from tests.api.conftest import bearer

EXAMPLES = 15  # per operation and mode: about 20 s for the whole module


@pytest.fixture
def store(sqlite_store: Store) -> Iterator[Store]:
    """This module's store: SQLite only (see the module's docstring)."""
    yield sqlite_store


@pytest.fixture
def api_schema(app: FastAPI) -> BaseSchema:
    """The application's OpenAPI document, as schemathesis reads it from ``/openapi.json``."""
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture
def every_scope(services: Services) -> dict[str, str]:
    """Headers with a token allowed every operation for every purpose of the policy."""
    return bearer(services, list(services.policy.purposes), [o.value for o in Operation])


def test_the_schema_describes_the_api(api_schema: BaseSchema) -> None:
    """The property test below runs once per operation: make sure there are operations, so
    an empty document cannot pass it by testing nothing."""
    paths = api_schema.raw_schema["paths"]
    assert {"/api/v1/events", "/api/v1/consents", "/api/v1/gate/{purpose}"} <= set(paths)
    assert {"/api/v1/datasets/builds", "/api/v1/datasets/builds/{build_id}"} <= set(paths)


# schemathesis's own pytest integration (``from_fixture`` + ``parametrize``) does not run on
# pytest 9 (it reads ``node._nodeid``, which pytest 9 removed): each operation's strategy is
# driven with hypothesis directly instead, which is what that integration does.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_request_makes_a_server_error(
    mode: GenerationMode,
    api_schema: BaseSchema,
    every_scope: dict[str, str],
    services: Services,
    client: TestClient,
) -> None:
    """Valid requests (positive) and requests that break the schema (negative), for every
    operation: each is answered with a status below 500. (``client`` runs the app's lifespan,
    which starts the consent writer and the build queue the handlers need.)"""
    results = list(api_schema.get_all_operations())
    operations = [result.ok() for result in results if isinstance(result, Ok)]
    assert operations and len(operations) == len(results), "the OpenAPI document is invalid"
    # Random strings are rarely a purpose of the policy or a member, and a request naming an
    # unknown one stops at the scope check or the lookup. Half the time the case gets a real
    # one, so the handlers behind those checks see generated input too.
    purposes = st.sampled_from([*services.policy.purposes, None, None])
    subjects = st.sampled_from(["alice", "@bob", None, None])
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(
            case=operation.as_strategy(generation_mode=mode),
            purpose=purposes,
            subject=subjects,
        )
        def answered(case: Case[Any], purpose: str | None, subject: str | None) -> None:
            _name(case, "purpose", purpose)
            _name(case, "subject", subject)
            response = case.call(headers=every_scope)
            case.validate_response(response, checks=[not_a_server_error], headers=every_scope)

        answered()


def _name(case: Case[Any], field: str, value: str | None) -> None:
    """Put ``value`` wherever ``case`` has a ``field``: path, query, body, or the events of
    a push (as generated, with whatever else they hold)."""
    if value is None:
        return
    for where in (case.path_parameters, case.query):
        if where and field in where:
            where[field] = value
    body: dict[str, Any] = case.body if isinstance(case.body, dict) else {}
    events = body.get("events")
    for item in [body, *(events if isinstance(events, list) else [])]:
        if isinstance(item, dict) and field in item:
            item[field] = value
