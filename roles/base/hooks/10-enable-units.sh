#!/bin/sh
# Runs in the build chroot. Enabling only writes symlinks; nothing starts (policy-rc.d).
set -eu
systemctl enable ingot-ssh-keygen.service
systemctl enable ssh.service chrony.service
# A node's own /etc/fstab comes from the agent (keep list); the image ships none.
rm -f /etc/fstab
