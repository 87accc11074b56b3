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

    def __init__(self, nameservers: list[str] | None = None, port: int = 53, timeout: float = 5.0,
                 resolv_conf: str = "/etc/resolv.conf"):
        self.nameservers, self.port, self.timeout, self.resolv_conf = nameservers, port, timeout, resolv_conf

    def _resolver(self) -> dns.resolver.Resolver:
        """Built per lookup: a machine without resolv.conf is a failed lookup, not a crash at start-up."""
        resolver = dns.resolver.Resolver(configure=False)
        if self.nameservers is None:
            resolver.read_resolv_conf(self.resolv_conf)
        else:
            resolver.nameservers = self.nameservers
        resolver.port, resolver.lifetime = self.port, self.timeout
        return resolver

    def txt_records(self, name: str) -> list[str]:
        try:
            answer = self._resolver().resolve(name, "TXT")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.exception.DNSException, OSError) as exc:  # time-out, no server, no resolv.conf, refused
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
