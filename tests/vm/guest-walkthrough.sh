#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-walkthrough.sh - the README's walk-through, run INSIDE the VM
# (busybox ash, no bash): what an operator types on a busybox-only host,
# each command echoed with a "# " prompt before its output.
#
# Usage (on the host, from the build directory):
#   printf 'expect_sched=simple\n' > sample-test.conf
#   ./ktstr-pack --runner tests/helpers/sample-test \
#       --scheduler /var/tmp/ktstr-vm/scx_simple --include sample-test.conf \
#       --cores-per-llc 2 --threads-per-core 2 --git-hash 0123abc sample
#   run-in-vm.sh --smp 4,sockets=1,cores=2,threads=2 /var/tmp/ktstr-vm \
#       tests/vm/guest-walkthrough.sh sample.run [sample-bash.run]
#
# sample-bash.run, when given, is the same test in ktstr 0.6.0's bash format:
# it shows what that format does on this host.
#
# Exit status: 0 when the runfile passed and left the host clean, else 1.
CASE=WALKTHROUGH
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

cd /opt || fail "no /opt"
assert_no_bash
# shellcheck disable=SC2016  # the prompt line shows the command as typed
show() { echo "# $*"; "$@"; rc=$?; [ "$rc" = 0 ] || echo "(exit status $rc)"; return 0; }

echo "--- walk-through: $(uname -sr), $(nproc) CPUs, $(busybox | head -n1)"
show ./sample.run --version
show ./sample.run --verify
show ./sample.run --preflight
show ./sample.run --duration 1
show ls -d /tmp/ktstr-run-* /sys/fs/cgroup/ktstr
show cat /sys/kernel/sched_ext/state
if [ -e sample-bash.run ]; then
    show ./sample-bash.run --duration 1
fi
echo "--- end of walk-through"
assert_clean_host
pass "walk-through done"
