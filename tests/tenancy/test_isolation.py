"""Tenant isolation, generated from the URL map.

Every platform-admin and store-admin route that takes an object id or a store code is called as
a user of one tenant with the objects of another. Each call must answer 404 (403 where the user
lacks the permission altogether) and change no row. A new route is covered as soon as it exists;
a new kind of id in a URL fails here until the generator learns which foreign object to use.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from sqlalchemy import select, text
from werkzeug.routing import BuildError

from blueprints.catalog.models import CatalogImport, Category, Product, ProductTranslation, ProductVariant
from blueprints.cms.models import HomeSection, MediaItem, Page, PageRevision, PageTranslation
from blueprints.cms.services import pages
from blueprints.customers.models import Customer, CustomerNote, CustomerTag, Segment
from blueprints.inventory.models import Location
from blueprints.tenancy import services
from blueprints.tenancy.models import (
    Invitation,
    Merchant,
    MerchantMembership,
    PlatformAssignment,
    Store,
    StoreDomain,
    StoreMembership,
)
from tests.conftest import TEST_PASSWORD, Auth
from webapp import modules
from webapp.extensions import db
from webapp.models import TaskRun, User, utcnow
from webapp.security import hash_password, new_session_token

WATCHED_TABLES = ("platforms", "platform_modules", "users", "merchants", "stores", "store_domains",
                  "merchant_memberships", "store_memberships", "invitations", "platform_assignments", "audit_log",
                  "cms_pages", "cms_page_translations", "cms_page_revisions", "media_items", "cms_home_sections",
                  "customers", "customer_addresses", "customer_notes", "customer_tags", "customer_segments",
                  "catalog_products", "catalog_variants", "catalog_categories", "catalog_imports",
                  "inventory_locations", "inventory_stock_levels", "inventory_movements", "inventory_reservations")
ACTIONS = ("enable", "disable", "verify", "primary", "remove", "activate", "deactivate", "role", "revoke",
           "platforms")
METHODS = ("GET", "POST")


@dataclass
class World:
    own_store: Store
    foreign_store: Store  # another merchant on the same platform
    far_store: Store  # a merchant on another platform
    args_admin: dict
    args_store_foreign: dict
    args_store_own_code: dict
    args_sibling_objects: dict  # own store's code, objects of another store of the same merchant
    sibling_store: Store


def _user(email: str, role: str | None = None) -> User:
    user = User(email=email, platform_role=role, password_hash=hash_password(TEST_PASSWORD),
                session_token=new_session_token(), name=email)
    db.session.add(user)
    db.session.flush()
    return user


def _tenant(platform, name: str, code: str) -> tuple[Merchant, Store, StoreDomain, StoreMembership, Invitation,
                                                     MerchantMembership]:
    staff, admin = _user(f"staff@{code}.example.com"), _user(f"admin@{code}.example.com")  # users first: _user flushes
    merchant = Merchant(platform_id=platform.id, name=name, legal_name=name, contact_email=f"{code}@example.com")
    store = Store(platform_id=platform.id, merchant=merchant, store_code=code, name=name, languages=["fr"],
                  default_language="fr")
    domain = StoreDomain(store=store, host=f"{code}.example.com", verification_token="t", verified_at=utcnow())
    member = StoreMembership(store=store, user=staff, role=StoreMembership.STAFF)
    invitation = Invitation(token_hash=f"hash-{code}", email=f"new@{code}.example.com", merchant=merchant,
                            store=store, role="staff", expires_at=utcnow())
    merchant_admin = MerchantMembership(merchant=merchant, user=admin, role=MerchantMembership.ADMIN)
    db.session.add_all([merchant, store, domain, member, invitation, merchant_admin])
    db.session.flush()
    _page(platform, store)
    _store_content(store)
    return merchant, store, domain, member, invitation, merchant_admin


def _store_content(store) -> dict:
    """A media item, a home section, a product and a category of ``store`` (rows are enough: no route
    reaches the file): their ids."""
    item = MediaItem(store_id=store.id, kind="image", content_type="image/png", stored_name=f"{store.id:032x}.png",
                     original_name="logo.png", size_bytes=1, width=1, height=1)
    section = HomeSection(store_id=store.id, kind="text", content={"fr": {"title": "Bonjour"}})
    category = Category(store_id=store.id, slug=f"category-{store.id}", texts={"fr": {"name": "Pains"}})
    product = Product(store_id=store.id, slug=f"product-{store.id}", categories=[category],
                      translations=[ProductTranslation(language="fr", title="Baguette")],
                      variants=[ProductVariant(store_id=store.id, sku=f"SKU-{store.id}", price_cents=120)])
    # A location serving only this store: a location serving no store is seen by all the merchant's stores.
    location = Location(merchant_id=store.merchant_id, name=f"Depot {store.store_code}", stores=[store])
    csv_import = CatalogImport(store_id=store.id, filename="products.csv", csv_text="slug\n", state="done")
    db.session.add_all([item, section, product, location, csv_import])
    db.session.flush()
    return {"media_id": item.id, "section_id": section.id, "product_id": product.id, "category_id": category.id,
            "variant_id": product.variants[0].id, "location_id": location.id, "import_id": csv_import.id}


def _customers(merchant_id: int) -> dict:
    """A customer of the merchant with a note, a tag and a segment: their ids (customers are merchant-wide)."""
    tag = CustomerTag(merchant_id=merchant_id, name="vip")
    customer = Customer(merchant_id=merchant_id, email=f"shopper-{merchant_id}@example.com", session_token="t",
                        tags=[tag])
    note = CustomerNote(customer=customer, body="note")
    segment = Segment(merchant_id=merchant_id, name="Segment", rules=[])
    db.session.add_all([customer, note, segment])
    db.session.flush()
    return {"customer_id": customer.id, "note_id": note.id, "tag_id": tag.id, "segment_id": segment.id}


def _page_ids(store) -> dict:
    page = db.session.scalar(select(Page).where(Page.store_id == store.id))
    revision = db.session.scalar(select(PageRevision.id).where(PageRevision.page_id == page.id))
    return {"page_id": page.id, "revision_id": revision}


def _page(platform, store=None) -> dict:
    """A content page (of ``store``, else a default of ``platform``) with a revision: their ids."""
    page = Page(platform_id=platform.id, store_id=store.id if store else None,
                scope=Page.STORE if store else Page.DEFAULT, slug=f"page-{store.id if store else 'default'}",
                published=True, translations=[PageTranslation(language="fr", title="Page", body="")])
    db.session.add(page)
    db.session.flush()
    revision = PageRevision(page_id=page.id, number=1, snapshot=pages.snapshot(page))
    db.session.add(revision)
    db.session.flush()
    return {"page_id": page.id, "revision_id": revision.id}


@pytest.fixture
def world(platform, create_platform) -> World:
    far_platform = create_platform("far", "Far away", ["far.example.com"])
    # Optional modules are off by default: a 404 must come from the tenant check, not the module switch.
    for module_code in ("catalog", "inventory"):
        modules.enable(platform, module_code)
    own_merchant, own_store, *_ = _tenant(platform, "Own Shop", "own-shop")
    _, foreign_store, foreign_domain, foreign_member, foreign_invitation, foreign_admin = _tenant(
        platform, "Rival", "rival")
    _, far_store, far_domain, far_member, far_invitation, far_admin = _tenant(far_platform, "Far Shop", "far-shop")
    owner = _user("owner@own-shop.example.com")
    db.session.add(MerchantMembership(merchant=own_merchant, user=owner, role=MerchantMembership.OWNER))
    # Another store of the same merchant, and a manager of the own store only.
    sibling_staff, manager = _user("staff@annex.example.com"), _user("manager@own-shop.example.com")
    sibling = Store(platform_id=platform.id, merchant=own_merchant, store_code="own-annex", name="Annex",
                    languages=["fr"], default_language="fr")
    db.session.add(sibling)
    sibling_domain = StoreDomain(store=sibling, host="annex.example.com", verification_token="t", verified_at=utcnow())
    sibling_member = StoreMembership(store=sibling, user=sibling_staff, role=StoreMembership.STAFF)
    sibling_invitation = Invitation(token_hash="hash-annex", email="new@annex.example.com", merchant=own_merchant,
                                    store=sibling, role="staff", expires_at=utcnow())
    db.session.add_all([sibling, sibling_domain, sibling_member, sibling_invitation,
                        StoreMembership(store=own_store, user=manager, role=StoreMembership.MANAGER)])
    admin = _user("limited-admin@example.com", User.ROLE_PLATFORM_ADMIN)
    db.session.add(PlatformAssignment(user_id=admin.id, platform_id=platform.id))
    run = TaskRun(task_id="x", task_name="monitoring.check_health", state="SUCCESS", platform_id=far_platform.id)
    db.session.add(run)
    far_default, sibling_page = _page(far_platform), _page(platform, sibling)
    sibling_content, rival_customers = _store_content(sibling), _customers(foreign_store.merchant_id)
    db.session.commit()
    rival_content = {
        "media_id": db.session.scalar(select(MediaItem.id).where(MediaItem.store_id == foreign_store.id)),
        "section_id": db.session.scalar(select(HomeSection.id).where(HomeSection.store_id == foreign_store.id)),
        "product_id": db.session.scalar(select(Product.id).where(Product.store_id == foreign_store.id)),
        "category_id": db.session.scalar(select(Category.id).where(Category.store_id == foreign_store.id)),
        "variant_id": db.session.scalar(select(ProductVariant.id).where(ProductVariant.store_id == foreign_store.id)),
        "location_id": db.session.scalar(select(Location.id).where(Location.merchant_id == foreign_store.merchant_id)),
        "import_id": db.session.scalar(select(CatalogImport.id).where(CatalogImport.store_id == foreign_store.id)),
    }
    foreign_ids = {**_page_ids(foreign_store), **rival_content, **rival_customers, "membership_id": foreign_member.id,
                   "invitation_id": foreign_invitation.id,
                   "domain_id": foreign_domain.id, "store_id": foreign_store.id,
                   "merchant_id": foreign_store.merchant_id, "merchant_membership_id": foreign_admin.id}
    return World(
        own_store=own_store, foreign_store=foreign_store, far_store=far_store,
        args_admin={**far_default, "code": "far", "merchant_id": far_store.merchant_id, "store_id": far_store.id,
                    "domain_id": far_domain.id, "user_id": far_member.user_id, "run_id": run.id,
                    "membership_id": far_member.id, "merchant_membership_id": far_admin.id,
                    "invitation_id": far_invitation.id, "module_code": "catalog"},
        args_store_foreign={"store_code": foreign_store.store_code, **foreign_ids},
        args_store_own_code={"store_code": own_store.store_code, **foreign_ids},
        # Customers are merchant-wide: a sibling store has none of its own, so the rival's stand in.
        args_sibling_objects={**sibling_page, **sibling_content, **rival_customers, "store_code": own_store.store_code,
                              "membership_id": sibling_member.id, "invitation_id": sibling_invitation.id,
                              "domain_id": sibling_domain.id, "store_id": sibling.id, "merchant_id": own_merchant.id,
                              "merchant_membership_id": foreign_admin.id},  # merchant-wide: none is the sibling's
        sibling_store=sibling,
    )


def snapshot() -> dict[str, list]:
    db.session.expire_all()
    return {table: [tuple(row) for row in db.session.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
            for table in WATCHED_TABLES}


def object_rules(app, prefix: str):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix) and rule.arguments:
            yield rule


def urls_for(app, rule, args: dict) -> list[str]:
    """Every URL of ``rule`` with foreign objects; ``action`` tries each known action word."""
    unknown = [name for name in rule.arguments if name not in args and name != "action"]
    if unknown:
        pytest.fail(f"{rule.rule}: the isolation test does not know which foreign object to use for {unknown}; "
                    "add it to the `world` fixture.")
    choices = [ACTIONS if name == "action" else (args[name],) for name in sorted(rule.arguments)]
    urls = []
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        for values in itertools.product(*choices):
            arguments = dict(zip(sorted(rule.arguments), values, strict=True))
            try:
                urls.append(adapter.build(rule.endpoint, arguments))
            except BuildError:  # a route left out silently would be a hole in the walk
                pytest.fail(f"{rule.rule}: cannot build it with {arguments}; teach the isolation test its values.")
    return urls


def leaks(app, client, rules, args: dict, allowed: set[int]) -> list[str]:
    """Requests that answered something else than ``allowed`` or changed a row."""
    found = []
    for rule in rules:
        for url in urls_for(app, rule, args):
            for method in METHODS:
                if method not in rule.methods:
                    continue
                before = snapshot()
                response = client.open(url, method=method, data={"name": "x", "role": "manager", "status": "active",
                                                                 "platform_role": "super_admin"})
                changed = [table for table, rows in snapshot().items() if rows != before[table]]
                if response.status_code not in allowed or changed:
                    found.append(f"{method} {url} -> {response.status_code}"
                                 + (f", changed {changed}" if changed else ""))
    return found


def test_platform_admin_routes_never_reach_another_platforms_objects(app, client, world):
    Auth(client).login("limited-admin@example.com")
    rules = list(object_rules(app, "/admin/"))
    assert len(rules) >= 10, "the generator found too few routes to be meaningful"
    assert leaks(app, client, rules, world.args_admin, {403, 404}) == []


def store_login(client, email: str) -> None:
    response = client.post("/store/login", data={"email": email, "password": TEST_PASSWORD})
    assert response.status_code in (302, 303), response.status_code


def test_store_admin_routes_of_another_merchants_store_are_404(app, client, world):
    store_login(client, "owner@own-shop.example.com")
    rules = [rule for rule in object_rules(app, "/store/") if "store_code" in rule.arguments]
    assert leaks(app, client, rules, world.args_store_foreign, {404}) == []


def test_store_admin_routes_with_another_stores_objects_are_404(app, client, world):
    store_login(client, "owner@own-shop.example.com")
    rules = [rule for rule in object_rules(app, "/store/")
             if "store_code" in rule.arguments and len(rule.arguments - {"action"}) > 1]
    assert leaks(app, client, rules, world.args_store_own_code, {404}) == []


def test_objects_of_another_store_of_the_same_merchant_are_404_in_this_store(app, client, world):
    store_login(client, "owner@own-shop.example.com")
    rules = [rule for rule in object_rules(app, "/store/")
             if "store_code" in rule.arguments and len(rule.arguments - {"action"}) > 1]
    assert leaks(app, client, rules, world.args_sibling_objects, {404}) == []


def test_a_store_manager_cannot_open_the_merchants_other_stores(app, client, world):
    store_login(client, "manager@own-shop.example.com")
    rules = [rule for rule in object_rules(app, "/store/") if "store_code" in rule.arguments]
    sibling = {**world.args_sibling_objects, "store_code": world.sibling_store.store_code}
    assert leaks(app, client, rules, sibling, {404}) == []


def test_the_generator_catches_a_service_that_forgets_its_tenant_check(app, client, world, monkeypatch):
    """Shown once: with an unscoped lookup, the same walk reports the leak."""

    def unscoped_get_merchant(user, merchant_id):
        return db.session.get(Merchant, merchant_id)

    monkeypatch.setattr(services, "get_merchant", unscoped_get_merchant)
    Auth(client).login("limited-admin@example.com")
    found = leaks(app, client, list(object_rules(app, "/admin/")), world.args_admin, {403, 404})
    assert any(f"/admin/merchants/{world.far_store.merchant_id}" in leak for leak in found), found


def test_store_objects_resolve_only_within_their_store(world):
    with pytest.raises(services.NotFound):
        services.get_domain(world.own_store, world.args_store_own_code["domain_id"])
    with pytest.raises(services.NotFound):
        services.get_store_membership(world.own_store, world.args_store_own_code["membership_id"])
    assert db.session.scalar(select(Store.id).where(Store.id == world.foreign_store.id))


def test_store_staff_reach_nothing_of_another_merchant(app, client, world):
    store_login(client, "staff@own-shop.example.com")
    rules = [rule for rule in object_rules(app, "/store/") if "store_code" in rule.arguments]
    assert leaks(app, client, rules, world.args_store_foreign, {404}) == []


# -- tenants chosen by query parameter or by host ----------------------------------------------
FAR_NAMES = ("Far Shop", "far-shop", "far.example.com", "Far away")


def admin_pages(app) -> list[str]:
    """Every platform-admin page that takes no path argument (lists, forms, dashboards)."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if rule.rule.startswith("/admin") and not rule.arguments and "GET" in rule.methods
                  and not rule.rule.startswith(("/admin/login", "/admin/logout")))


def shows_far_tenant(client, url: str, **options) -> str | None:
    response = client.get(url, **options)
    if response.status_code in (403, 404):
        return None
    body = response.get_data(as_text=True)
    shown = [name for name in FAR_NAMES if name in body]
    return f"{url} -> {response.status_code} shows {shown}" if shown or response.status_code >= 500 else None


def test_query_parameters_never_choose_another_platforms_tenants(app, client, world):
    """?platform=, ?merchant= and ?store= name a tenant: a platform admin of another platform gets 404 or nothing."""
    Auth(client).login("limited-admin@example.com")
    query = {"platform": "far", "merchant": world.far_store.merchant_id, "store": world.far_store.id,
             "q": "Far"}
    pages = admin_pages(app)
    assert len(pages) >= 5
    found = [leak for page in pages for params in ({"platform": "far"}, query)
             if (leak := shows_far_tenant(client, page, query_string=params))]
    assert found == []


def test_a_limited_platform_admin_on_another_platforms_host_sees_nothing_of_it(app, world):
    far = app.test_client()
    login = far.post("/admin/login", data={"email": "limited-admin@example.com", "password": TEST_PASSWORD},
                     base_url="http://far.example.com")
    assert login.status_code in (302, 303)
    assert far.get("/admin/merchants", base_url="http://far.example.com").status_code == 404
    found = [leak for page in admin_pages(app)
             if (leak := shows_far_tenant(far, page, base_url="http://far.example.com"))]
    assert found == []


def test_the_name_check_sees_the_far_tenant_when_it_is_shown(app, client, world, super_admin):
    """The check above can fail: a super admin may look at the far platform, and it notices."""
    Auth(client).login(super_admin)
    assert shows_far_tenant(client, "/admin/stores", query_string={"platform": "far"}) is not None
