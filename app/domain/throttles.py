"""What rate limits count: which part of a client's address, and how long a much-attacked
account's logins wait."""

from __future__ import annotations

import ipaddress

IPV6_NETWORK_BITS = 64  # one subscriber's network: the unit an IPv6 client can change at will


def rate_limit_address(host: str) -> str:
    """Return what limits count a client by: an IPv4 address whole, an IPv6 address's /64."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        network = int(address) >> (128 - IPV6_NETWORK_BITS) << (128 - IPV6_NETWORK_BITS)
        return str(ipaddress.IPv6Network((network, IPV6_NETWORK_BITS)))
    return str(address)


def login_backoff_seconds(failures: int, after: int, step: float, most: float) -> float:
    """Return how long a login waits once an account has `failures` recent failed logins from all
    clients together: nothing up to `after`, then `step` more for each failure, at most `most`."""
    if failures < after:
        return 0.0
    return min(most, step * (failures - after + 1))
