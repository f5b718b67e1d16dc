"""IPv4 and IPv6 addresses."""

from __future__ import annotations

import pytest

from purposely.redact.network import IpRecognizer

IP = IpRecognizer()


def ips(text: str) -> list[str]:
    """The IP addresses found in ``text``, as written."""
    return [text[s.start : s.end] for s in IP.find(text, None)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mein Server 192.168.0.1 ist down", ["192.168.0.1"]),
        ("blocked 215.188.239.131.", ["215.188.239.131"]),
        ("IP: 8.8.8.8, 1.1.1.1", ["8.8.8.8", "1.1.1.1"]),
        (
            "v6 2001:db8::1 und fe80::1ff:fe23:4567:890a",
            ["2001:db8::1", "fe80::1ff:fe23:4567:890a"],
        ),
        (
            "full 2001:0db8:85a3:0000:0000:8a2e:0370:7334 here",
            ["2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
        ),
        ("mapped ::ffff:192.0.2.128 too", ["::ffff:192.0.2.128"]),
    ],
)
def test_ip_addresses_are_found(text: str, found: list[str]) -> None:
    assert ips(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Update v1.2.3.4 ist da",
        "Version 10.0.19045.3803",
        "Build 1.2.3.4 is out",
        "300.1.1.1 is no address",
        "Treffen am 12.03.2024",
        "um 12:30:45 Uhr",
        "std::vector<int>",
        "MAC 00:1A:2B:3C:4D:5E",
        "Ratio 1:2:3",
        "1.2.3.4.5 is a version",
    ],
)
def test_ip_lookalikes_are_not_found(text: str) -> None:
    assert ips(text) == []
