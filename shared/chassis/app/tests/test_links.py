"""A route's OpenAPI links: from its answer to the operations that take the resource it names."""

from typing import Any

import pytest
from fastapi import APIRouter
from pydantic import BaseModel

from chassis.app import create_app, links
from chassis.app.tests.example_service import GreeterSettings


class Thing(BaseModel):
    id: int


def _openapi(created: dict[int | str, dict[str, Any]]) -> dict[str, Any]:
    router = APIRouter(prefix="/v1/things")

    @router.post("", status_code=201, responses=created)
    async def create_thing() -> Thing:
        return Thing(id=1)

    @router.get("/{thing_id}")
    async def get_thing(thing_id: int) -> Thing:
        return Thing(id=thing_id)

    return create_app(GreeterSettings(), routers=[router]).openapi()


def test_an_answer_links_to_each_operation_named_with_a_field_of_its_body() -> None:
    document = _openapi(links(201, "GET /v1/things/{thing_id}", thing_id="id"))
    created = document["paths"]["/v1/things"]["post"]["responses"]["201"]
    assert created["links"] == {
        "GET_v1_things_thing_id": {
            "operationRef": "#/paths/~1v1~1things~1{thing_id}/get",
            "parameters": {"thing_id": "$response.body#/id"},
        }
    }
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Thing"
    }


def test_a_link_to_an_operation_the_app_lacks_fails_its_openapi() -> None:
    with pytest.raises(ValueError, match="GET_v1_thing_thing_id"):
        _openapi(links(201, "GET /v1/thing/{thing_id}", thing_id="id"))
