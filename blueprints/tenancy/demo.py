"""Demo merchants, stores and staff (``flask demo seed``); every password is ``buttek-demo``."""
from sqlalchemy import select

from blueprints.tenancy import services
from blueprints.tenancy.models import Merchant, MerchantMembership, Store, StoreMembership
from webapp.extensions import db
from webapp.models import Platform, User
from webapp.security import new_session_token, set_password

DEMO_PASSWORD = "buttek-demo"

MERCHANTS = [
    {
        "merchant": {"name": "Boulangerie Demo", "legal_name": "Boulangerie Demo S.à r.l.", "vat_number": "LU15027442",
                     "street": "12, rue du Fossé", "postal_code": "1536", "city": "Luxembourg", "country": "LU",
                     "contact_email": "contact@boulangerie.demo"},
        "owner": "owner@boulangerie.demo",
        "stores": [("boulangerie-centre", "Boulangerie Centre"), ("boulangerie-gare", "Boulangerie Gare")],
    },
    {
        "merchant": {"name": "Mode Demo", "legal_name": "Mode Demo S.A.", "vat_number": "",
                     "street": "3, Grand-Rue", "postal_code": "1661", "city": "Luxembourg", "country": "LU",
                     "contact_email": "contact@mode.demo"},
        "owner": "owner@mode.demo",
        "stores": [("mode-lux", "Mode Lux")],
    },
]
STAFF = ("staff@boulangerie.demo", "boulangerie-gare")


def _user(email: str, name: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name=name, session_token=new_session_token())
        set_password(user, DEMO_PASSWORD)
        db.session.add(user)
        db.session.flush()
    return user


def seed() -> None:
    platform = db.session.scalar(select(Platform).where(Platform.code == "main"))
    admin = db.session.scalar(select(User).where(User.platform_role == User.ROLE_SUPER_ADMIN).order_by(User.id))
    for spec in MERCHANTS:
        merchant = db.session.scalar(select(Merchant).where(Merchant.platform_id == platform.id,
                                                            Merchant.name == spec["merchant"]["name"]))
        if merchant is None:
            merchant = services.create_merchant(platform, spec["merchant"], admin)
        owner = _user(spec["owner"], f"Owner of {merchant.name}")
        if db.session.scalar(select(MerchantMembership.id).where(MerchantMembership.user_id == owner.id)) is None:
            db.session.add(MerchantMembership(merchant_id=merchant.id, user_id=owner.id, role=MerchantMembership.OWNER))
        for code, name in spec["stores"]:
            if db.session.scalar(select(Store.id).where(Store.platform_id == platform.id, Store.store_code == code)):
                continue
            services.create_store(merchant, {"store_code": code, "name": name, "default_language": "fr",
                                             "languages": ["fr", "de", "en", "lb"]}, admin)
    email, code = STAFF
    staff = _user(email, "Staff of Boulangerie Gare")
    store = db.session.scalar(select(Store).where(Store.platform_id == platform.id, Store.store_code == code))
    if db.session.scalar(select(StoreMembership.id).where(StoreMembership.user_id == staff.id)) is None:
        db.session.add(StoreMembership(store_id=store.id, user_id=staff.id, role=StoreMembership.STAFF))
    db.session.commit()
