"""Names with letters beyond A-Z are found whatever their case, on SQLite as on PostgreSQL."""

import pytest

from customers.directory import CustomerError, add_customer, remove_customer
from rota import engineers as engineer_service
from tests.conftest import ADDED_AT


# name as added            | as typed later
@pytest.mark.parametrize("added, typed", [
    ("Zoë O'Brien-Łukasz", "zoë o'brien-łukasz"),
    ("ÉMILE DURAND", "émile durand"),
    ("Ben Smith", "BEN SMITH"),
])
def test_an_engineer_is_found_by_name_in_any_case(db, added, typed):
    engineer_service.add_engineer(added, "+447911123401", region="GB", now=ADDED_AT)
    assert engineer_service.find_engineer(typed).name == added
    with pytest.raises(engineer_service.RotaError):  # and the same name twice is refused
        engineer_service.add_engineer(typed, "+447911123402", region="GB", now=ADDED_AT)


def test_a_customer_is_found_by_name_in_any_case(db):
    add_customer("Über Logistik GmbH", ["+442079460501"], region="GB")
    with pytest.raises(CustomerError):  # the same name in another case is the same customer
        add_customer("über logistik gmbh", ["+442079460502"], region="GB")
    assert remove_customer("über logistik gmbh").name == "Über Logistik GmbH"
