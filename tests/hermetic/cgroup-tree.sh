#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# cgroup-tree.sh - the stub's native cgroup walk and removal on a real
# cgroup2, checked against libcgroup's walker (tests/helpers/cgroup-tree-check.c).
HERMETIC_EXTRA_BINS=${KTSTR_HELPERS:-$PWD/tests/helpers}/cgroup-tree-check
. "$(dirname "$0")/lib.sh"
hermetic_enter "$@"

# under /sys/fs/cgroup (a bind mount of this test's own cgroup)
case_cgroup_tree() {
    /run/bin/cgroup-tree-check /sys/fs/cgroup/cgcheck
}

# libcgroup finds controllers at the cgroup2 mount itself (/run/cg): there
# its walker runs, and must agree with ours
case_cgroup_tree_libcgroup() {
    local out
    out=$(/run/bin/cgroup-tree-check "$CG_TEST/cgcheck2") || { echo "$out"; return 1; }
    echo "$out" | grep -q 'libcgroup reference walk: 7 directories, same set' ||
        fail "libcgroup's walker did not run: $out"
}

run_case cgroup-tree-native case_cgroup_tree
run_case cgroup-tree-vs-libcgroup case_cgroup_tree_libcgroup
finish
