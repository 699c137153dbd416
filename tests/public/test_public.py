"""The anonymous public summary and its small-count suppression."""

from __future__ import annotations

import random
import re

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from api.models import Group, LocationKind, Role
from api.public.suppression import suppress
from tests.support import overview_data
from tests.support.builders import Builder
from tests.support.overview_data import count_statements

URL = "/api/v1/public/summary"


# -- the suppression rule, as a pure function ------------------------------------------


def test_no_small_count_no_suppression() -> None:
    result = suppress({"a": 12, "b": 0, "c": 5})
    assert result.hidden == frozenset() and not result.total_hidden


def test_one_small_cell_takes_the_next_smallest_with_it() -> None:
    # 3 is hidden; 7 is the next-smallest positive cell; the 0 stays (it helps no one).
    result = suppress({"a": 3, "b": 0, "c": 7, "d": 40})
    assert result.hidden == {"a", "c"} and not result.total_hidden


def test_two_small_cells_are_enough() -> None:
    assert suppress({"a": 1, "b": 2, "c": 30}).hidden == {"a", "b"}


def test_ties_are_broken_by_key() -> None:
    assert suppress({"z": 9, "a": 9, "m": 2}).hidden == {"a", "m"}


def test_total_is_hidden_when_nothing_else_protects_the_cell() -> None:
    result = suppress({"a": 3, "b": 0, "c": 0})
    assert result.hidden == {"a"} and result.total_hidden
    assert suppress({"a": 2, "b": 2}).total_hidden  # total 4 is itself small


@pytest.mark.parametrize("seed", range(20))
def test_property_no_hidden_cell_follows_from_the_total(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(250):
        size = rng.randint(1, 9)
        table = {
            f"k{i}": rng.choice([0, 0, 1, 2, 3, 4, 5, 6, rng.randint(0, 60)]) for i in range(size)
        }
        result = suppress(table)
        hidden = [table[k] for k in result.hidden]
        visible = [n for k, n in table.items() if k not in result.hidden]
        total = sum(table.values())
        assert all(k in result.hidden for k, n in table.items() if 0 < n < 5), table
        assert result.total_hidden or not 0 < total < 5, table
        assert len(result.hidden) != 1 or result.total_hidden, table
        if not result.total_hidden:
            for value in hidden:
                assert total - sum(visible) != value, (table, result)


# -- the endpoint ----------------------------------------------------------------------


def cells(rows: list[dict[str, object]], key: str, column: str) -> dict[str, object]:
    return {str(row[key]): row[column] for row in rows}


HIDDEN = {"count": None, "suppressed": True}


def shown(n: int) -> dict[str, object]:
    return {"count": n, "suppressed": False}


async def test_summary_is_anonymous_and_suppresses_small_counts(
    client: httpx.AsyncClient, build: Builder
) -> None:
    partner = await build.partner()
    data = await overview_data.known(build.db, partner)
    r = await client.get(URL)  # no token at all
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    # A token is neither needed nor checked, not even a broken one.
    assert (await client.get(URL, headers={"Authorization": "Bearer nonsense"})).status_code == 200
    body = r.json()
    assert body["on"] == data["today"].isoformat()
    # No location names (private hosting is someone's home), no ids of anything.
    for loc in ("l1", "l2", "l3"):
        assert data[loc].name not in r.text
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-", r.text)

    # Places and locations are not people: shown as they are, also when small.
    capacity = cells(body["locations"], "kind", "capacity")
    assert capacity == {"municipal_ukrainian": 10, "private_hosting": 3}
    assert "asylum_center" not in capacity  # closed: a row of zeros is left out
    assert cells(body["locations"], "kind", "locations") == {
        "municipal_ukrainian": 1,
        "private_hosting": 1,
    }
    assert body["locationsTotal"]["capacity"] == 13
    assert body["locationsTotal"]["locations"] == 2
    occupied = cells(body["locations"], "kind", "occupied")
    assert occupied["municipal_ukrainian"] == HIDDEN and occupied["private_hosting"] == HIDDEN
    assert body["locationsTotal"]["occupied"] == shown(7)
    # Where: by kind and postcode area; a host family is not given by area at all.
    assert body["areas"] == [
        {"kind": "municipal_ukrainian", "area": "2101", "locations": 1, "capacity": 10}
    ]
    assert "Kerklaan" not in r.text and "2101 HN" not in r.text

    groups = cells(body["participants"], "group", "participants")
    assert groups == {
        "ukrainian_displaced": shown(5),
        "asylum_seeker": HIDDEN,
        "unaccompanied_minor": HIDDEN,
    }
    assert body["participantsTotal"] == shown(7)

    # Activities on offer are not people: 1 is shown as 1; the ended kind is left out.
    offer = cells(body["activities"], "kind", "onOffer")
    assert offer == {"language": 1, "work": 1, "volunteering": 1}
    assert body["activitiesTotal"] == 3
    taking_part = cells(body["activities"], "kind", "participants")
    assert taking_part["language"] == HIDDEN and taking_part["work"] == HIDDEN

    resolved = cells(body["signals"], "category", "resolved")
    assert resolved["safety"] == HIDDEN
    assert "question" not in resolved  # resolved 400 days ago, none open: all zeros
    assert body["signalsTotal"] == {"resolved": HIDDEN, "open": HIDDEN}


async def test_summary_shows_counts_of_five_and_more(
    client: httpx.AsyncClient, build: Builder
) -> None:
    partner = await build.partner()
    w = overview_data.Writer(partner)
    town = w.location(LocationKind.municipal_ukrainian, 20)
    home = w.location(LocationKind.private_hosting, 2)
    for _ in range(7):
        w.person(Group.ukrainian_displaced, town)
    for _ in range(5):
        w.person(Group.asylum_seeker, town)
    w.person(Group.unaccompanied_minor, home)
    await w.write(build.db)
    body = (await client.get(URL, headers=build.headers_for(Role.viewer))).json()
    groups = cells(body["participants"], "group", "participants")
    # 1 is small; 5 is the next-smallest and is hidden with it; 7 and the total stay.
    assert groups == {
        "ukrainian_displaced": shown(7),
        "asylum_seeker": HIDDEN,
        "unaccompanied_minor": HIDDEN,
    }
    assert body["participantsTotal"] == shown(13)
    assert body["locationsTotal"] == {"locations": 2, "capacity": 22, "occupied": shown(13)}


async def test_summary_statement_count_does_not_grow(
    client: httpx.AsyncClient, build: Builder, engine: AsyncEngine
) -> None:
    partner = await build.partner()
    await overview_data.known(build.db, partner)
    with count_statements(engine) as small:
        assert (await client.get(URL)).status_code == 200
    await overview_data.more(build.db, partner, 40)
    with count_statements(engine) as large:
        assert (await client.get(URL)).status_code == 200
    assert len(small) == len(large)


async def test_summary_is_public_in_the_openapi_document(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/api/v1/openapi.json")).json()
    operation = doc["paths"]["/public/summary"]["get"]
    assert "security" not in operation  # public: no OAuth2 requirement
    assert "401" not in operation["responses"]


async def test_summary_tells_the_money_of_this_year_and_last_as_the_budget_report_does(
    client: httpx.AsyncClient, build: Builder
) -> None:
    partner = await build.partner()
    data = await overview_data.known(build.db, partner)
    this_year = data["today"].year
    finance = build.headers_for(Role.finance)
    # Five bookings a cell: the public page shows no cost that stems from fewer
    # (``public.disclosure``; tests/public/test_public_money.py).
    for day, category, amount in (
        [(f"{this_year - 1}-03-1{i}", "activities", "246.90") for i in range(5)]
        + [(f"{this_year - 1}-06-0{i + 1}", "staff", "160.00") for i in range(5)]
        + [(f"{this_year}-02-0{i + 1}", "staff", "20.00") for i in range(5)]
    ):
        r = await client.post(
            "/api/v1/expenses",
            json={"date": day, "category": category, "amount": amount, "description": "x"},
            headers=finance,
        )
        assert r.status_code == 201, r.text
    body = (await client.get(URL)).json()
    assert [m["year"] for m in body["money"]] == [this_year, this_year - 1]
    for shown_year in body["money"]:
        r = await client.get(
            "/api/v1/reports/budget", params={"year": shown_year["year"]}, headers=finance
        )
        whole = r.json()["wholeYear"]
        totals = whole["totals"]
        assert shown_year["incomeTotal"] == totals["expected"]
        assert shown_year["receivedTotal"] == totals["received"]
        assert shown_year["costsTotal"] == totals["expenses"]
        assert shown_year["balance"] == totals["balance"]
        assert shown_year["receivedBalance"] == totals["receivedBalance"]
        # Every category with costs, and only those; every scheme with anything.
        assert {c["category"]: c["amount"] for c in shown_year["costs"]} == {
            e["category"]: e["amount"] for e in whole["expenses"] if e["amount"] != "0.00"
        }
        assert {s["schemeCode"]: s["expected"] for s in shown_year["income"]} == {
            s["schemeCode"]: s["expected"]
            for s in whole["schemes"]
            if s["expected"] != "0.00" or s["claimed"] != "0.00" or s["received"] != "0.00"
        }
    last = body["money"][1]
    assert {c["category"] for c in last["costs"]} == {"activities", "staff"}
    assert last["costsTotal"] == "2034.50"
    # The municipal location of 10 places is paid per place per day (BOO-GOO); the
    # schemes without any place of theirs are left out: the asylum centre states no
    # five-year availability, so its places are not durable (SPW-DUURZAAM left out).
    assert "BOO-GOO" in {s["schemeCode"] for s in last["income"]}
    assert "SPW-DUURZAAM" not in {s["schemeCode"] for s in last["income"]}
