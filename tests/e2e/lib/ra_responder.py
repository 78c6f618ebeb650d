#!/usr/bin/env python3
"""Answers IPv6 router solicitations on one interface with an empty router advertisement.

iPXE starts IPv6 autoconfiguration next to DHCPv4 and waits ~16 s for a router before it
boots; an RA with router lifetime 0 and no options (RFC 4861 section 4.2) tells it at once
that there is no IPv6 router. For test namespaces only. Usage: ra_responder.py IFACE
"""
import socket
import struct
import sys

ICMP6_ROUTER_SOLICIT = 133
ICMP6_ROUTER_ADVERT = 134
ALL_NODES = "ff02::1"
ALL_ROUTERS = "ff02::2"


def main() -> int:
    iface = sys.argv[1]
    index = socket.if_nametoindex(iface)
    sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    # Neighbour discovery messages must carry hop limit 255 or receivers drop them (RFC 4861 6.1.2).
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, 255)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
    group = socket.inet_pton(socket.AF_INET6, ALL_ROUTERS) + struct.pack("@I", index)
    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, group)
    # type, code, checksum (the kernel fills it), cur hop limit, flags, router lifetime 0,
    # reachable time, retrans timer.
    advert = struct.pack("!BBHBBHII", ICMP6_ROUTER_ADVERT, 0, 0, 64, 0, 0, 0, 0)
    print(f"ra: listening on {iface}", flush=True)
    while True:
        data, addr = sock.recvfrom(1500)
        if data and data[0] == ICMP6_ROUTER_SOLICIT:
            sock.sendto(advert, (ALL_NODES, 0, 0, index))
            print(f"ra: advert sent for solicitation from {addr[0]}", flush=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
