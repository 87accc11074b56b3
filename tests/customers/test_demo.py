"""The demo customers: seeded once for the Boulangerie Demo merchant, whatever the number of runs."""
from sqlalchemy import func, select

from blueprints.customers import demo
from blueprints.customers.models import Customer, Segment
from blueprints.customers.services import segments
from blueprints.tenancy import demo as tenancy_demo
from webapp.extensions import db
from webapp.models import User
from webapp.security import verify_password


def test_the_demo_seeds_customers_tags_and_a_segment_once(platform, create_user):
    create_user("root@example.com", User.ROLE_SUPER_ADMIN)
    tenancy_demo.seed()
    demo.seed()
    demo.seed()
    assert db.session.scalar(select(func.count(Customer.id))) == len(demo.CUSTOMERS)
    customer = db.session.scalar(select(Customer).where(Customer.email == "customer@boulangerie.demo"))
    assert verify_password(customer.password_hash, demo.DEMO_PASSWORD)
    assert [tag.name for tag in customer.tags] == ["vip"] and len(customer.addresses) == 1
    segment = db.session.scalar(select(Segment))
    assert segments.counts_of(segment.merchant_id, [segment]) == {segment.id: 2}
