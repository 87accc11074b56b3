"""The shopper's language: the store's default, the switcher, and the signed-in customer's preference."""
from __future__ import annotations

from tests.customers.conftest import make_customer, shopper_login
from webapp.extensions import db


def text(response) -> str:
    return response.get_data(as_text=True)


def test_a_french_store_answers_bad_input_in_french(client, store):
    store.default_language = "fr"
    db.session.commit()
    response = client.post("/s/centre/account/register", data={
        "first_name": "Léa", "email": "lea@example.lu", "password": "court", "password_confirm": "court"})
    assert response.status_code == 422
    html = text(response)
    assert '<html lang="fr">' in html and "Le mot de passe doit comporter au moins 10 caractères." in html


def test_the_signed_in_customers_language_wins_over_the_cookie(client, merchant, store):
    make_customer(merchant, "hans@example.lu", store=store, language="de")
    client.get("/s/centre/?lang=fr")  # the cookie says French
    assert '<html lang="fr">' in text(client.get("/s/centre/"))
    shopper_login(client, store, "hans@example.lu")
    assert '<html lang="de">' in text(client.get("/s/centre/"))


def test_switching_language_while_signed_in_is_kept_on_the_customer(client, merchant, store):
    customer = make_customer(merchant, "marie@example.lu", store=store, language="de")
    shopper_login(client, store, "marie@example.lu")
    assert '<html lang="fr">' in text(client.get("/s/centre/account/?lang=fr"))
    db.session.expire_all()
    assert db.session.get(type(customer), customer.id).language == "fr"
    assert '<html lang="fr">' in text(client.get("/s/centre/"))
