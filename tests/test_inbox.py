import pytest
from evaluations.models import Role, User
from evaluations.services.intake import Rating, evaluation_record
from workorders.services.lifecycle import workorder_accept, workorder_dispatch, workorder_submit

pytestmark = pytest.mark.django_db

def test_probe(make_record, owner, colleague):
    rating = Rating(target="matter", stage="completion", grade=1, channel="pc", tags=["M1-03"])
    evaluation = evaluation_record(rating=rating, record=make_record()).evaluation
    order = workorder_dispatch(evaluation.work_order, by=owner)
    order = workorder_accept(order, by=colleague)
    order = workorder_submit(order, by=colleague, rectification="r", reply="x")
    assert order.state == "reviewing"
