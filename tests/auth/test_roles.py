"""The shared role aliases (``api.auth.roles``): each admits exactly the roles its name
lists, is one flat dependency, and no router defines its own."""

from __future__ import annotations

import re
import typing
import uuid

import pytest
from fastapi.params import Depends
from starlette.requests import Request

from api.auth import roles
from api.auth.principal import Principal
from api.errors import Forbidden
from api.models import Role
from tests.conftest import ROOT

API = ROOT / "api"
ALIASES = {
    name: value
    for name, value in vars(roles).items()
    if typing.get_origin(value) is typing.Annotated
}


def _named(name: str) -> frozenset[Role]:
    """The roles an alias's name lists: ``AdminOrFinance``, ``PartnerOnly``,
    ``AnyRoleButViewer``, ``AnyRole``."""
    if name == "AnyRole":
        return frozenset(Role)
    if name.startswith("AnyRoleBut"):
        return frozenset(Role) - {Role(name.removeprefix("AnyRoleBut").lower())}
    words = re.findall(r"[A-Z][a-z]+", name.removesuffix("Only"))
    return frozenset(Role(word.lower()) for word in words if word != "Or")


def _guard(alias: object) -> typing.Any:
    (depends,) = [m for m in typing.get_args(alias)[1:] if isinstance(m, Depends)]
    return depends.dependency


def _request(role: Role) -> Request:
    principal = Principal(kind="user", id=uuid.uuid4(), role=role)
    return Request({"type": "http", "headers": [], "state": {"principal": principal}})


@pytest.mark.parametrize("name", sorted(ALIASES))
async def test_an_alias_admits_exactly_the_roles_its_name_lists(name: str) -> None:
    guard = _guard(ALIASES[name])
    admitted = set()
    for role in Role:
        try:
            await guard(_request(role))
        except Forbidden:
            continue
        admitted.add(role)
    assert admitted == _named(name)


@pytest.mark.parametrize("name", sorted(ALIASES))
def test_an_alias_is_one_dependency_reading_only_the_request(name: str) -> None:
    # Flat on purpose: FastAPI's cost per request grows with the dependency tree.
    assert typing.get_args(ALIASES[name])[0] is Principal
    hints = typing.get_type_hints(_guard(ALIASES[name]))
    assert hints == {"request": Request, "return": Principal}


def test_role_sets_are_not_defined_outside_api_auth() -> None:
    found = [
        f"{path.relative_to(API.parent)}:{number}"
        for path in sorted(API.rglob("*.py"))
        if path.parent.name != "auth"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "require_roles" in line
    ]
    assert found == [], "use (or add) an alias in api/auth/roles.py: " + ", ".join(found)
