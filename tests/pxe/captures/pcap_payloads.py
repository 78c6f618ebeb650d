#!/usr/bin/env python3
# Writes the UDP payload of every DHCP packet (ports 67/68/4011) in a classic pcap file
# (Ethernet link type) to OUT_PREFIX-NN-<type>.bin, so golden tests read raw DHCP bytes.
import struct, sys

def payloads(path):
    data = open(path, 'rb').read()
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    pos = 24
    while pos + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[pos:pos + 16])
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        if len(frame) < 14 or frame[12:14] != b'\x08\x00':
            continue
        ihl = (frame[14] & 0x0f) * 4
        if frame[23] != 17:
            continue
        udp = frame[14 + ihl:]
        sport, dport, ulen = struct.unpack('>HHH', udp[:6])
        if {sport, dport} & {67, 68, 4011}:
            yield udp[8:ulen]

def msg_type(p):
    i = 240
    while i + 1 < len(p):
        code = p[i]
        if code == 0: i += 1; continue
        if code == 255: break
        ln = p[i + 1]
        if code == 53: return {1:'discover',2:'offer',3:'request',4:'decline',5:'ack',6:'nak',7:'release',8:'inform'}.get(p[i+2], 'type%d' % p[i+2])
        i += 2 + ln
    return 'bootp'

for n, p in enumerate(payloads(sys.argv[1])):
    name = '%s-%02d-%s.bin' % (sys.argv[2], n, msg_type(p))
    open(name, 'wb').write(p)
    print(name, len(p))
