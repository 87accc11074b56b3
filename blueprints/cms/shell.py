"""What the storefront layout shows around every shopper page: theme, navigation, languages."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask import g, request, url_for

from blueprints.cms.services import pages, themes
from webapp.i18n import current_language, store_languages
from webapp.modules import enabled_codes
from webapp.tenancy import current_platform, current_store, domain_relative

# Modules link pages of their own from the header (the catalog: its categories): provider(store, language)
# -> [(label, url)], asked only while its module is enabled on the platform. Modules' fixed entries come
# from the registry (Surface.STOREFRONT), which the layout shows beside the language switcher.
HeaderLinks = Callable[[object, str], list[tuple[str, str]]]
_header_links: dict[str, HeaderLinks] = {}


def register_header_links(module: str, provider: HeaderLinks) -> None:
    """Called when a module's storefront routes load; registering again (each app) replaces the entry."""
    _header_links[module] = provider


def _module_header_links(store, language: str) -> list[tuple[str, str]]:
    enabled = enabled_codes(current_platform())  # read once per request: the layout's navigation needs them too
    return [link for module, provider in _header_links.items() if module in enabled
            for link in provider(store, language)]


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
            links["header_links"] = _module_header_links(store, language) + links["header_links"]
            shell = StorefrontShell(
                store=store, languages=store_languages(store), **themes.shell_assets(store),
                **{placement: [NavLink(label, url, url == here) for label, url in entries]
                   for placement, entries in links.items()},
            )
        g.cms_storefront_shell = shell
    return g.cms_storefront_shell
