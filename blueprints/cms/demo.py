"""Demo content (``flask demo seed``): the standard pages on every platform, a home page per demo store,
and the bakery's own version of its "about" page."""
from sqlalchemy import select

from blueprints.cms.models import HomeSection, Page
from blueprints.cms.services import pages
from blueprints.tenancy.models import Store
from webapp.extensions import db
from webapp.models import Platform

HOMES = {
    "boulangerie-centre": [
        ("hero", "/pages/about", {
            "fr": {"title": "Du pain frais, chaque matin", "text": "Au levain, cuit au feu de bois depuis 1920.",
                   "button_label": "Notre histoire"},
            "de": {"title": "Frisches Brot, jeden Morgen", "text": "Mit Sauerteig, im Holzofen gebacken, seit 1920.",
                   "button_label": "Unsere Geschichte"},
            "en": {"title": "Fresh bread, every morning", "text": "Sourdough, baked in a wood-fired oven since 1920.",
                   "button_label": "Our story"},
            "lb": {"title": "Frëscht Brout, all Moien", "text": "Mat Suerdeeg, am Holzuewen gebak, zanter 1920.",
                   "button_label": "Eis Geschicht"},
        }),
        ("text", "", {
            "fr": {"title": "Ouvert 7 jours sur 7", "text": "De **6 h à 19 h**, au 12, rue du Fossé."},
            "de": {"title": "Sieben Tage die Woche geöffnet", "text": "Von **6 bis 19 Uhr**, 12, rue du Fossé."},
            "en": {"title": "Open seven days a week", "text": "From **6 am to 7 pm**, at 12, rue du Fossé."},
            "lb": {"title": "7 Deeg op 7 op", "text": "Vu **6 bis 19 Auer**, 12, rue du Fossé."},
        }),
        ("cta", "/pages/contact", {
            "fr": {"title": "Une commande pour une fête ?", "text": "Nous préparons vos gâteaux sur mesure.",
                   "button_label": "Nous contacter"},
            "de": {"title": "Eine Bestellung für ein Fest?", "text": "Wir backen Ihre Torten nach Maß.",
                   "button_label": "Kontakt"},
            "en": {"title": "Ordering for a party?", "text": "We bake cakes made to measure.",
                   "button_label": "Contact us"},
            "lb": {"title": "Eng Bestellung fir e Fest?", "text": "Mir baken Är Taarte op Mooss.",
                   "button_label": "Kontakt"},
        }),
    ],
}
ABOUT = {"fr": ("Notre histoire", "Depuis **1920**, quatre générations de boulangers au cœur de Luxembourg."),
         "de": ("Unsere Geschichte", "Seit **1920** vier Generationen Bäcker im Herzen Luxemburgs."),
         "en": ("Our story", "Since **1920**, four generations of bakers in the heart of Luxembourg."),
         "lb": ("Eis Geschicht", "Zanter **1920** véier Generatioune Bäcker an der Stad.")}


def seed() -> None:
    for platform in db.session.scalars(select(Platform)):
        pages.ensure_platform_defaults(platform)
    stores = {s.store_code: s for s in db.session.scalars(select(Store).where(Store.store_code.in_(
        ["boulangerie-centre", "boulangerie-gare", "mode-lux"])))}
    for code, sections in HOMES.items():
        store = stores.get(code)
        if store is None or db.session.scalar(select(HomeSection.id).where(HomeSection.store_id == store.id)):
            continue
        db.session.add_all(HomeSection(store_id=store.id, kind=kind, position=position, button_url=url,
                                       content=content) for position, (kind, url, content) in enumerate(sections))
    centre = stores.get("boulangerie-centre")
    if centre is not None and db.session.scalar(
            select(Page.id).where(Page.store_id == centre.id, Page.slug == "about")) is None:
        about = db.session.scalar(select(Page).where(Page.platform_id == centre.platform_id,
                                                     Page.scope == Page.DEFAULT, Page.slug == "about"))
        pages.update_store_page(centre, about, {
            "slug": "about", "placement": "header", "position": 0, "published": True,
            "translations": {language: {"title": title, "body": body} for language, (title, body) in ABOUT.items()},
        }, None)
    db.session.commit()
