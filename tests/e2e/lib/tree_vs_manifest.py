#!/usr/bin/env python3
"""Compares a deployed root tree with an image manifest (`ingot image show ROLE@V --manifest`).

    tree_vs_manifest.py MANIFEST.json ROOT

Every manifest entry must be on disk with its type, mode, owner, symlink target, and for files
its size and sha256. Paths the deploy is expected to change or add (the node's config, the
bootloader, first-boot state, the image's own "keep" list, the paths in the root's
/var/lib/ingot/node-config.list) may differ or be extra; anything else
extra is reported. Exit 0 when the tree is the image, 1 with one line per difference otherwise.
"""
import hashlib
import json
import os
import stat
import sys

# What the deploy writes on top of the image (provisioner/deploy/node_config.cpp, the agent's
# bootloader step) and what the first boot leaves (the tiny system's rcS): prefixes.
DEPLOY_PATHS = (
    "etc/hostname", "etc/hosts", "etc/fstab", "etc/ingot/", "etc/ansible/", "etc/puppetlabs/",
    "etc/systemd/network/", "var/lib/cloud/", "root/.ssh/", "boot/grub/", "boot/efi/",
    "var/lib/ingot/", "lost+found", "etc/machine-id", "etc/resolv.conf", "tmp/", "run/", "var/log/",
)


def allowed(path, keep, parents=False):
    prefixes = DEPLOY_PATHS + tuple(k + "/" for k in keep) + tuple(keep)
    # For extras, a prefix's parents come with it too (etc/systemd for etc/systemd/network/).
    return any(path == p.rstrip("/") or path.startswith(p) or (parents and p.startswith(path + "/")) for p in prefixes)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    root = sys.argv[2]
    keep = [k.strip("/") for k in manifest.get("keep", [])]
    # The node's config files as the deploy agent listed them (kept across upgrades too).
    try:
        with open(os.path.join(root, "var/lib/ingot/node-config.list")) as f:
            keep += [line.strip().strip("/") for line in f if line.strip()]
    except FileNotFoundError:
        pass
    problems = []
    listed = set()
    for e in manifest["entries"]:
        rel = e["path"]
        listed.add(rel)
        p = os.path.join(root, rel)
        if allowed(rel, keep):
            continue
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            problems.append(f"missing: {rel}")
            continue
        kind = {stat.S_IFDIR: "dir", stat.S_IFREG: "file", stat.S_IFLNK: "symlink"}.get(stat.S_IFMT(st.st_mode), "other")
        want = "file" if e["type"] == "hardlink" else e["type"]
        if kind != want:
            problems.append(f"type: {rel} is {kind}, manifest says {e['type']}")
            continue
        if "mode" in e and kind != "symlink" and int(e["mode"], 8) != stat.S_IMODE(st.st_mode):
            problems.append(f"mode: {rel} {oct(stat.S_IMODE(st.st_mode))} != {e['mode']}")
        if (st.st_uid, st.st_gid) != (e.get("uid", 0), e.get("gid", 0)):
            problems.append(f"owner: {rel} {st.st_uid}:{st.st_gid}")
        if kind == "symlink" and os.readlink(p) != e.get("target"):
            problems.append(f"symlink: {rel} -> {os.readlink(p)}, manifest says {e.get('target')}")
        if kind == "file" and "sha256" in e:
            if st.st_size != e.get("size", st.st_size):
                problems.append(f"size: {rel} {st.st_size} != {e['size']}")
            elif sha256(p) != e["sha256"]:
                problems.append(f"content: {rel} sha256 differs")
    for dirpath, dirnames, filenames in os.walk(root):
        for n in dirnames + filenames:
            rel = os.path.relpath(os.path.join(dirpath, n), root)
            if rel not in listed and not allowed(rel, keep, parents=True):
                problems.append(f"extra: {rel}")
    for p in problems:
        print(p)
    print(f"{len(listed)} manifest entries, {len(problems)} difference(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
