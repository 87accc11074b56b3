"""Demo customers of the Boulangerie Demo merchant (``flask demo seed``); the password is ``buttek-demo``."""
from sqlalchemy import select

from blueprints.customers.models import Customer, CustomerAddress, CustomerTag, Segment
from webapp.extensions import db
from webapp.models import utcnow
from webapp.security import hash_password, new_session_token

DEMO_PASSWORD = "buttek-demo"
MERCHANT = "Boulangerie Demo"
CUSTOMERS = [
    {"email": "customer@boulangerie.demo", "first_name": "Claire", "last_name": "Muller", "language": "fr",
     "marketing_consent": True, "tags": ["vip"],
     "address": {"label": "Home", "name": "Claire Muller", "street": "5, rue de Hollerich", "postal_code": "1740",
                 "city": "Luxembourg", "country": "LU"}},
    {"email": "jean.weber@boulangerie.demo", "first_name": "Jean", "last_name": "Weber", "language": "de",
     "marketing_consent": False, "tags": ["wholesale"], "address": None},
    {"email": "ana.silva@boulangerie.demo", "first_name": "Ana", "last_name": "Silva", "language": "en",
     "marketing_consent": True, "tags": ["vip", "wholesale"], "address": None},
]
SEGMENT = {"name": "VIP with marketing consent", "match": "all",
           "rules": [{"field": "tag", "operator": "is", "value": "vip"},
                     {"field": "marketing_consent", "operator": "is", "value": "yes"}]}


def seed() -> None:
    merchants = db.metadata.tables["merchants"]
    stores = db.metadata.tables["stores"]
    merchant_id = db.session.scalar(select(merchants.c.id).where(merchants.c.name == MERCHANT)
                                    .order_by(merchants.c.id).limit(1))
    if merchant_id is None:  # the tenancy demo did not run (or was renamed): nothing to attach customers to
        return
    store_id = db.session.scalar(select(stores.c.id).where(stores.c.merchant_id == merchant_id)
                                 .order_by(stores.c.id).limit(1))
    password_hash = hash_password(DEMO_PASSWORD)
    tags: dict[str, CustomerTag] = {}
    for spec in CUSTOMERS:
        if db.session.scalar(select(Customer.id).where(Customer.merchant_id == merchant_id,
                                                       Customer.email == spec["email"])):
            continue
        customer = Customer(merchant_id=merchant_id, registered_store_id=store_id, email=spec["email"],
                            password_hash=password_hash, session_token=new_session_token(),
                            first_name=spec["first_name"], last_name=spec["last_name"], language=spec["language"],
                            marketing_consent=spec["marketing_consent"],
                            marketing_consent_at=utcnow() if spec["marketing_consent"] else None)
        for name in spec["tags"]:
            customer.tags.append(tags.get(name) or _tag(merchant_id, name, tags))
        if spec["address"]:
            customer.addresses.append(CustomerAddress(**spec["address"], is_default=True))
        db.session.add(customer)
        db.session.flush()
    if db.session.scalar(select(Segment.id).where(Segment.merchant_id == merchant_id,
                                                  Segment.name == SEGMENT["name"])) is None:
        db.session.add(Segment(merchant_id=merchant_id, **SEGMENT))
    db.session.commit()


def _tag(merchant_id: int, name: str, cache: dict) -> CustomerTag:
    tag = db.session.scalar(select(CustomerTag).where(CustomerTag.merchant_id == merchant_id,
                                                      CustomerTag.name == name))
    if tag is None:
        tag = CustomerTag(merchant_id=merchant_id, name=name)
        db.session.add(tag)
        db.session.flush()
    cache[name] = tag
    return tag
