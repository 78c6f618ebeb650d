#!/usr/bin/env python3
"""compare_facts.py GOLDEN FRESH: compares two facts files (lists of 4-tuples) on what the
capture controls: QEMU's command line (SMBIOS strings, topology, devices, serials, MACs, disk
sizes). Values that Debian moves under a fixed fixture are masked on both sides first:
the kernel package (its version, the CPU flags it shows, the memory it reserves) and QEMU's
own version (the `pc` machine alias, the NVMe firmware revision). Exit 0 when equal, 1 with a
unified diff when not, 2 on unreadable input."""
import difflib
import json
import re
import sys

# (class, name, key) regular expressions, each with why its value is not the fixture's.
MASKED = [
    (r"system", r"kernel", r"version", "Debian's current kernel package (fetch-kernel.sh)"),
    (r"cpu", r"physical_\d+", r"flags", "the flags a kernel release shows for the same CPU model"),
    (r"memory", r"total", r"size", "memory the kernel reserves for itself"),
    (r"numa", r"node_\d+", r"memory", "memory the kernel reserves per node"),
    (r"system", r"motherboard", r"version", "QEMU resolves `-machine pc` to its own version"),
    (r"disk", r"nvme\d+n\d+", r"rev", "QEMU reports its version as the NVMe firmware revision"),
]


def normalise(facts):
    out = []
    for t in facts:
        if not (isinstance(t, list) and len(t) == 4 and all(isinstance(v, str) for v in t)):
            raise ValueError("not a 4-tuple of strings: %r" % (t,))
        for c, n, k, why in MASKED:
            if re.fullmatch(c, t[0]) and re.fullmatch(n, t[1]) and re.fullmatch(k, t[2]):
                t = [t[0], t[1], t[2], "<masked: %s>" % why]
                break
        out.append(json.dumps(t))
    return out


def main(argv):
    if len(argv) != 3:
        print("usage: compare_facts.py GOLDEN FRESH", file=sys.stderr)
        return 2
    try:
        sides = []
        for path in argv[1:]:
            with open(path) as f:
                sides.append(normalise(json.load(f)))
    except (OSError, ValueError) as e:
        print("compare_facts: %s" % e, file=sys.stderr)
        return 2
    if sides[0] == sides[1]:
        return 0
    sys.stdout.writelines(l + "\n" for l in difflib.unified_diff(sides[0], sides[1], argv[1], argv[2], lineterm=""))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
