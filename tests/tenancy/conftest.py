"""Tenancy fixtures: two merchants on one platform, their staff, and a mailbox on disk."""
from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from pathlib import Path

import pytest

from blueprints.tenancy.models import MerchantMembership
from tests.tenancy.factories import make_member, make_merchant, make_store, make_user


@pytest.fixture
def merchant(platform):
    return make_merchant(platform, name="Boulangerie Test", contact_email="contact@boulangerie.test")


@pytest.fixture
def store(merchant):
    return make_store(merchant, "centre", name="Boulangerie Centre")


@pytest.fixture
def second_store(merchant):
    """Another store of the same merchant."""
    return make_store(merchant, "gare", name="Boulangerie Gare")


@pytest.fixture
def other_merchant(platform):
    """A second tenant on the same platform."""
    return make_merchant(platform, name="Mode Test", contact_email="contact@mode.test")


@pytest.fixture
def other_store(other_merchant):
    return make_store(other_merchant, "mode-lux", name="Mode Lux")


@pytest.fixture
def other_owner(other_merchant):
    user = make_user("owner@mode.test")
    make_member(user, other_merchant, MerchantMembership.OWNER)
    return user


@dataclass
class Mail:
    path: Path
    message: email.message.EmailMessage

    @property
    def to(self) -> str:
        return self.message["To"]

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()


class Mailbox:
    """The .eml files that ``webapp.mail.send_mail`` wrote, oldest first."""

    def __init__(self, folder: Path):
        self.folder = folder

    def messages(self) -> list[Mail]:
        if not self.folder.exists():
            return []
        return [Mail(path, email.message_from_bytes(path.read_bytes(), policy=email.policy.default))
                for path in sorted(self.folder.glob("*.eml"))]

    def only(self) -> Mail:
        messages = self.messages()
        assert len(messages) == 1, [m.subject for m in messages]
        return messages[0]


@pytest.fixture(autouse=True)
def _mail_to_tmp_path(app, tmp_path, monkeypatch) -> Path:
    """Every tenancy test mails into a folder of its own: no SMTP server, nothing in instance/."""
    folder = tmp_path / "mail"
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_FOLDER", str(folder))
    return folder


@pytest.fixture
def mailbox(_mail_to_tmp_path) -> Mailbox:
    """Reads back what this test mailed (parsed with the ``email`` package)."""
    return Mailbox(_mail_to_tmp_path)
