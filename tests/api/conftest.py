"""Helpers for the API tests: every page of a list endpoint, the ids a listing page shows."""

import pytest


def _all_results(client, path: str, params: dict | None = None) -> list[dict]:
    params = dict(params or {}, page_size=100)
    results, page = [], 1
    while True:
        response = client.get(path, {**params, "page": page})
        assert response.status_code == 200, (path, params, response.content[:300])
        body = response.json()
        results += body["results"]
        if body["next"] is None:
            assert len(results) == body["count"]
            return results
        page += 1


@pytest.fixture
def api_results(client):
    """``api_results(path, params)`` → the results of every page of a list endpoint."""
    return lambda path, params=None: _all_results(client, path, params)
