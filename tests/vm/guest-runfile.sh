#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# guest-runfile.sh - run one runfile INSIDE the busybox-only VM and hand its
# exit status back (used by .ci/main, the README's quick start).
#
# Usage (on the host):
#   run-in-vm.sh --env RUNFILE=NAME.run [--env RUNFILE_ARGS="--duration 2"] \
#       CACHE tests/vm/guest-runfile.sh path/to/NAME.run
#
# Prints the runfile's output as it runs, then "RUNFILE-EXIT=<status>"; the
# script exits with that status (run-in-vm.sh passes it on). RUNFILE_ARGS is
# split at spaces. Fails (status 1, "RUN: FAIL: why") if the guest has bash
# or RUNFILE is missing: this VM exists to prove a runfile needs no shell.
CASE=RUN
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

[ -n "${RUNFILE:-}" ] || fail "RUNFILE is not set (run-in-vm.sh --env RUNFILE=NAME.run)"
[ -x "/opt/$RUNFILE" ] || fail "/opt/$RUNFILE missing or not executable"
assert_no_bash
echo "guest: $(uname -r), $(nproc) CPUs, sched_ext state $(sched_state), no bash; running $RUNFILE ${RUNFILE_ARGS:-}"
# shellcheck disable=SC2086  # RUNFILE_ARGS is a word list
"/opt/$RUNFILE" ${RUNFILE_ARGS:-}
rc=$?
echo "RUNFILE-EXIT=$rc"
exit "$rc"
