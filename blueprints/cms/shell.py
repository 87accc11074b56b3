"""What the storefront layout shows around every shopper page: theme, navigation, languages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import g, request, url_for

from blueprints.cms.services import contributions, pages, themes
from webapp.i18n import current_language, store_languages
from webapp.tenancy import current_store, domain_relative


@dataclass
class NavLink:
    label: str
    url: str
    active: bool = False


@dataclass
class StorefrontShell:
    store: object
    languages: list[str]
    theme_css_url: str | None = None
    logo_url: str | None = None
    favicon_url: str | None = None
    header_links: list[NavLink] = field(default_factory=list)
    footer_links: list[NavLink] = field(default_factory=list)
    legal_links: list[NavLink] = field(default_factory=list)
    year: int = field(default_factory=lambda: date.today().year)

    def url_in(self, language: str) -> str:
        """This page in another language: the switcher's link and the hreflang alternates."""
        args = request.args.to_dict()
        args["lang"] = language
        endpoint = request.endpoint or "cms_storefront.home"
        return url_for(endpoint, **(request.view_args or {}), **args)


def storefront_shell() -> StorefrontShell | None:
    """Built once per request, when a storefront template asks for it."""
    if "cms_storefront_shell" not in g:
        store = current_store()
        shell = None
        if store is not None:
            here = domain_relative(request.path)
            language = current_language()
            links = pages.navigation(store, language)
            links["header_links"] = contributions.header_links(store, language) + links["header_links"]
            shell = StorefrontShell(
                store=store, languages=store_languages(store), **themes.shell_assets(store),
                **{placement: [NavLink(label, url, url == here) for label, url in entries]
                   for placement, entries in links.items()},
            )
        g.cms_storefront_shell = shell
    return g.cms_storefront_shell
