"""Fixtures shared by the rota tests."""

import pytest


@pytest.fixture
def team(make_engineer):
    """Ben, Tobi and Asha, with mobiles ending 1, 2 and 3."""
    return {"Ben": make_engineer("Ben Smith", mobile="+447911000001"),
            "Tobi": make_engineer("Tobi Jones", mobile="+447911000002"),
            "Asha": make_engineer("Asha Patel", mobile="+447911000003")}
