"""Looking up the TXT record that proves a merchant controls a domain.

Production asks DNS through dnspython; tests point the same client at a local fake server, or
swap in ``StaticTxtResolver``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import dns.exception
import dns.resolver
from flask import current_app

VERIFY_PREFIX = "_buttek-verify"
VERIFY_VALUE = "buttek-verify={token}"


class DnsLookupError(RuntimeError):
    """DNS did not answer (time-out, server failure): try again later."""


def record_name(host: str) -> str:
    return f"{VERIFY_PREFIX}.{host}"


def record_value(token: str) -> str:
    return VERIFY_VALUE.format(token=token)


class DnsTxtResolver:
    """TXT records through real DNS (the system's resolvers, or the given name servers)."""

    def __init__(self, nameservers: list[str] | None = None, port: int = 53, timeout: float = 5.0):
        self.resolver = dns.resolver.Resolver(configure=nameservers is None)
        if nameservers is not None:
            self.resolver.nameservers = nameservers
        self.resolver.port = port
        self.resolver.lifetime = timeout

    def txt_records(self, name: str) -> list[str]:
        try:
            answer = self.resolver.resolve(name, "TXT")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.exception.Timeout, dns.resolver.NoNameservers) as exc:
            raise DnsLookupError(f"DNS did not answer for {name}: {type(exc).__name__}") from exc
        return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]


@dataclass
class StaticTxtResolver:
    """Answers from a dict; for tests and demos."""

    records: dict[str, list[str]] = field(default_factory=dict)

    def txt_records(self, name: str) -> list[str]:
        return list(self.records.get(name, []))


def current_resolver():
    """The app's resolver: ``app.extensions["tenancy.dns"]`` when set (tests, demos), else real DNS."""
    resolver = current_app.extensions.get("tenancy.dns")
    if resolver is None:
        resolver = current_app.extensions["tenancy.dns"] = DnsTxtResolver()
    return resolver
