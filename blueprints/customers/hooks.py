"""Start-up wiring of the customers module into the framework's extension points."""
from blueprints.customers.services import accounts, sessions
from webapp import i18n


def _preferred_language() -> str | None:
    """The signed-in shopper's language, for the storefront's language choice."""
    customer = sessions.current_customer()
    return customer.language if customer is not None else None


def _remember_language(code: str) -> None:
    """A language switched to on the storefront becomes the signed-in shopper's preference."""
    customer = sessions.current_customer()
    if customer is not None:
        accounts.set_language(customer, code)


def on_startup(_data) -> None:
    i18n.set_customer_language(_preferred_language, _remember_language)
