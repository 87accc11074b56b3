"""The standard pages every new platform offers its stores, in the four storefront languages.

Merchants customise them in their store admin; until then the platform's text shows.
"""
from __future__ import annotations

# (slug, placement, {language: (title, Markdown body)})
DEFAULT_PAGES: list[tuple[str, str, dict[str, tuple[str, str]]]] = [
    ("about", "header", {
        "en": ("About us", "We are a local business from Luxembourg. Tell your customers your story here."),
        "fr": ("À propos", "Nous sommes une entreprise locale du Luxembourg. Racontez ici votre histoire."),
        "de": ("Über uns", "Wir sind ein lokales Unternehmen aus Luxemburg. Erzählen Sie hier Ihre Geschichte."),
        "lb": ("Iwwer eis", "Mir sinn e lokale Betrib aus Lëtzebuerg. Erzielt hei Är Geschicht."),
    }),
    ("contact", "header", {
        "en": ("Contact", "Write to us or visit us; we answer within one working day."),
        "fr": ("Contact", "Écrivez-nous ou rendez-nous visite ; nous répondons sous un jour ouvrable."),
        "de": ("Kontakt", "Schreiben Sie uns oder besuchen Sie uns; wir antworten innerhalb eines Werktages."),
        "lb": ("Kontakt", "Schreift eis oder kommt laanscht; mir äntweren bannent engem Schaffdag."),
    }),
    ("shipping-returns", "footer", {
        "en": ("Shipping and returns", "Orders ship within two working days. You may return an item within "
                                       "14 days of delivery."),
        "fr": ("Livraison et retours", "Les commandes partent sous deux jours ouvrables. Vous pouvez retourner "
                                       "un article dans les 14 jours suivant la livraison."),
        "de": ("Versand und Rückgabe", "Bestellungen werden innerhalb von zwei Werktagen versandt. Sie können "
                                       "einen Artikel innerhalb von 14 Tagen nach Lieferung zurückgeben."),
        "lb": ("Liwwerung a Retouren", "Bestellunge ginn bannent zwee Schaffdeeg verschéckt. Dir kënnt en "
                                       "Artikel bannent 14 Deeg no der Liwwerung zréckginn."),
    }),
    ("terms", "legal", {
        "en": ("Terms and conditions", "These terms apply to every order placed in this store."),
        "fr": ("Conditions générales", "Ces conditions s'appliquent à toute commande passée dans ce magasin."),
        "de": ("Allgemeine Geschäftsbedingungen", "Diese Bedingungen gelten für jede Bestellung in diesem Shop."),
        "lb": ("Allgemeng Konditiounen", "Dës Konditioune gëllen fir all Bestellung an dësem Buttek."),
    }),
    ("privacy", "legal", {
        "en": ("Privacy policy", "We process your personal data only to handle your orders and account, "
                                 "as the GDPR allows."),
        "fr": ("Protection des données", "Nous traitons vos données personnelles uniquement pour gérer vos "
                                         "commandes et votre compte, conformément au RGPD."),
        "de": ("Datenschutz", "Wir verarbeiten Ihre personenbezogenen Daten nur zur Abwicklung Ihrer "
                              "Bestellungen und Ihres Kontos, wie es die DSGVO erlaubt."),
        "lb": ("Dateschutz", "Mir veraarbechten Är perséinlech Donnéeën nëmme fir Är Bestellungen an Äre "
                             "Kont, wéi et d'DSGVO erlaabt."),
    }),
]
