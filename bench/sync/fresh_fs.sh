# Sourced by bench/sync.sh: each lay-down (and each upgrade's copy of n) goes into a freshly
# made ext4 (a loop file under $work), as a deploy lays an image onto a disk it has just
# formatted. Reusing one directory (rm -rf, then lay down again) measures ext4's inode
# allocator instead: for a minute or more after thousands of deletes, every create scans past the recently deleted inodes
# (recently_deleted() in perf), and the runs get slower one after the other whoever the tool.
# Falls back to an empty directory, and says so, where loop devices cannot be mounted.
fresh_fs_size=${FRESH_FS_SIZE:-2G}
fresh_dst_mode=""

release_dst() {
  if mountpoint -q "$work/dst" 2>/dev/null; then umount "$work/dst"; fi
  rm -f "$work/dst.img"
}

# fresh_dst: $work/dst is an empty directory, on a new ext4 when possible.
fresh_dst() {
  release_dst
  rm -rf "$work/dst"
  mkdir -p "$work/dst"
  if [[ $fresh_dst_mode != dir ]] && truncate -s "$fresh_fs_size" "$work/dst.img" \
    && mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$work/dst.img" \
    && mount -o loop "$work/dst.img" "$work/dst" 2>/dev/null; then
    rmdir "$work/dst/lost+found"
    [[ -n $fresh_dst_mode ]] || echo "  (each run lays down onto a fresh ext4 of $fresh_fs_size on a loop device)"
    fresh_dst_mode=ext4
  else
    [[ -n $fresh_dst_mode ]] || echo "  (no loop mount here: each run lays down into a fresh directory of $work)"
    fresh_dst_mode=dir
    rm -f "$work/dst.img"
  fi
  sync
}
