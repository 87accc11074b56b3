"""The real DNS client (dnspython) against a DNS server of our own on 127.0.0.1.

The fake server answers TXT queries for the names it knows, NXDOMAIN for the others and
SERVFAIL for names set up to fail; a second socket that never answers stands for a dead server.
"""
from __future__ import annotations

import socket
import time

import dns.flags
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import pytest

from blueprints.tenancy import services
from blueprints.tenancy.dns import (
    DnsLookupError,
    DnsTxtResolver,
    StaticTxtResolver,
    current_resolver,
    record_name,
    record_value,
)
from tests.fakes import LoopbackServer


class FakeDnsServer(LoopbackServer):
    """A UDP DNS server on 127.0.0.1 answering from ``txt`` (name -> list of TXT records,
    each a list of character-strings); names in ``failing`` answer SERVFAIL."""

    name = "fake-dns"

    def __init__(self, txt: dict[str, list[list[str]]], failing: tuple[str, ...] = ()):
        self.txt = {name.lower().rstrip("."): records for name, records in txt.items()}
        self.failing = {name.lower().rstrip(".") for name in failing}
        self.questions: list[tuple[str, str]] = []
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind(("127.0.0.1", 0))
        super().__init__(sock)

    def serve_once(self) -> None:
        wire, client = self.socket.recvfrom(4096)
        try:
            self.socket.sendto(self.answer(wire), client)
        except Exception as exc:  # reported by __exit__ rather than dying silently
            self.errors.append(exc)

    def answer(self, wire: bytes) -> bytes:
        query = dns.message.from_wire(wire)
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        self.questions.append((name, dns.rdatatype.to_text(question.rdtype)))
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if name in self.failing:
            response.set_rcode(dns.rcode.SERVFAIL)
        elif name not in self.txt:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.TXT and self.txt[name]:
            texts = [" ".join(f'"{part}"' for part in strings) for strings in self.txt[name]]
            response.answer.append(dns.rrset.from_text_list(question.name, 300, dns.rdataclass.IN,
                                                            dns.rdatatype.TXT, texts))
        # a known name without TXT records (or asked for another type): NOERROR without an answer
        return response.to_wire()


@pytest.fixture
def silent_port():
    """A UDP port that receives but never answers: a DNS server that has gone away."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


def resolver_for(port: int, timeout: float = 2) -> DnsTxtResolver:
    return DnsTxtResolver(nameservers=["127.0.0.1"], port=port, timeout=timeout)


def test_txt_records_come_back_as_strings():
    with FakeDnsServer({"_buttek-verify.shop.example.lu": [["buttek-verify=abc123"], ["v=spf1 -all"]]}) as server:
        records = resolver_for(server.port).txt_records("_buttek-verify.shop.example.lu")
    assert sorted(records) == ["buttek-verify=abc123", "v=spf1 -all"]
    assert server.questions == [("_buttek-verify.shop.example.lu", "TXT")]  # asked our server, not the system's


def test_a_record_split_into_several_strings_is_joined():
    """TXT strings hold 255 bytes at most, so DNS hosts split long values; they count as one."""
    long_value = "buttek-verify=" + "x" * 300
    with FakeDnsServer({"_buttek-verify.shop.example.lu": [[long_value[:255], long_value[255:]]]}) as server:
        assert resolver_for(server.port).txt_records("_buttek-verify.shop.example.lu") == [long_value]


def test_an_unknown_name_has_no_records():
    with FakeDnsServer({"other.example.lu": [["x"]]}) as server:
        assert resolver_for(server.port).txt_records("_buttek-verify.shop.example.lu") == []
    assert server.questions  # NXDOMAIN came from our server


def test_a_name_without_txt_records_has_none():
    with FakeDnsServer({"shop.example.lu": []}) as server:  # the name exists, with no TXT record
        assert resolver_for(server.port).txt_records("shop.example.lu") == []
    assert server.questions == [("shop.example.lu", "TXT")]


def test_a_server_that_never_answers_is_a_lookup_error(silent_port):
    started = time.monotonic()
    with pytest.raises(DnsLookupError, match="did not answer"):
        resolver_for(silent_port, timeout=0.5).txt_records("_buttek-verify.shop.example.lu")
    assert time.monotonic() - started < 5  # the time-out is honoured


def test_a_failing_server_is_a_lookup_error():
    with FakeDnsServer({}, failing=("_buttek-verify.shop.example.lu",)) as server, \
            pytest.raises(DnsLookupError):
        resolver_for(server.port).txt_records("_buttek-verify.shop.example.lu")


def test_verify_domain_through_real_dns(store, owner):
    """End to end: the merchant publishes the record shown in the instructions, and Verify finds it."""
    domain = services.add_domain(store, "Shop.Boulangerie.lu", owner)
    instructions = services.dns_instructions(domain)
    with FakeDnsServer({instructions["name"]: [[instructions["value"]]]}) as server:
        assert services.verify_domain(domain, resolver_for(server.port), owner) is True
    assert domain.is_verified


def test_verify_domain_with_a_dead_dns_server_asks_to_try_again(store, owner, silent_port):
    domain = services.add_domain(store, "shop.boulangerie.lu", owner)
    with pytest.raises(services.TenancyError, match="try again"):
        services.verify_domain(domain, resolver_for(silent_port, timeout=0.5), owner)
    assert not domain.is_verified


def test_the_record_to_publish():
    assert record_name("shop.example.lu") == "_buttek-verify.shop.example.lu"
    assert record_value("abc") == "buttek-verify=abc"


def test_the_static_resolver_answers_from_its_dict():
    resolver = StaticTxtResolver({"a.example.lu": ["one"]})
    assert resolver.txt_records("a.example.lu") == ["one"]
    assert resolver.txt_records("b.example.lu") == []
    resolver.txt_records("a.example.lu").append("changed by a caller")
    assert resolver.txt_records("a.example.lu") == ["one"]


def test_the_app_uses_the_resolver_it_was_given_else_real_dns(app, monkeypatch):
    static = StaticTxtResolver()
    monkeypatch.setitem(app.extensions, "tenancy.dns", static)
    assert current_resolver() is static
    monkeypatch.delitem(app.extensions, "tenancy.dns")
    real = current_resolver()
    assert isinstance(real, DnsTxtResolver)
    assert current_resolver() is real  # built once


def test_a_machine_without_resolver_configuration_gets_a_lookup_error_not_a_crash(tmp_path):
    resolver = DnsTxtResolver(resolv_conf=str(tmp_path / "missing-resolv.conf"))
    with pytest.raises(DnsLookupError, match="NoResolverConfiguration"):
        resolver.txt_records("_buttek-verify.shop.example.lu")
