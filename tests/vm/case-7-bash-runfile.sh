#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# case-7-bash-runfile.sh - check-vm case 7, run INSIDE the VM (busybox ash,
# no bash): the reason this project exists. The sample test with scx_simple
# as a runfile in `cargo ktstr export`'s bash format (made by the conversion
# issue's fixture generator, tests/helpers/mkbashrun) cannot even start on
# this host: its "#!/bin/bash" interpreter does not exist, so exec fails
# (busybox ash: "not found", status 127) and nothing runs. The same file
# converted with `ktstr-pack --from-run` passes, with sched_ext enabled and
# ops "simple" throughout, and leaves a clean host.
#
# Files in /opt (check-vm.sh): sample-bash.run (bash format), converted.run
# (ktstr-pack --from-run sample-bash.run); include/sample-test.conf in both:
# expect_sched=simple record_dir=/tmp/rec.
#
# Exit status: 0 "CASE7: PASS", 1 "CASE7: FAIL: why".
CASE=CASE7
# shellcheck source-path=SCRIPTDIR source=guest-lib.sh
. /guest-lib.sh

OLD=/opt/sample-bash.run
NEW=/opt/converted.run

case_begin

# ---- the bash runfile: its interpreter is missing -------------------------
read -r shebang < "$OLD"
[ "$shebang" = "#!/bin/bash" ] || fail "$OLD starts with '$shebang', not #!/bin/bash"
rf_run /tmp/old.log "$OLD"
expect_rc 127
expect_line /tmp/old.log "not found"
expect_no_line /tmp/old.log "ktstr runfile:"
[ ! -e "$REC/test.stamp" ] || fail "the bash runfile started the test"
[ "$(enable_seq)" = "$SEQ0" ] || fail "the bash runfile attached a scheduler"
assert_clean_host
echo "bash runfile: exit $RF_RC ($(tail -n 1 /tmp/old.log)): nothing ran"

# ---- its conversion: runs -------------------------------------------------
rf_run /tmp/new.log "$NEW" --duration 1
expect_rc 0
expect_verdict /tmp/new.log PASS
expect_line /tmp/new.log "ktstr runfile: test=sample scheduler=scx_simple "
expect_line /tmp/new.log "$RF_NAME: scheduler scx_simple attached"
R=$REC/test.result
expect_record "$R" test_fn sample
expect_record "$R" expect_sched simple
expect_record "$R" sched_ok 1
expect_record "$R" bad_samples 0
expect_record "$R" workers_ok 1
expect_record "$R" first_state enabled
expect_record "$R" last_ops simple
[ "$(enable_seq)" = $((SEQ0 + 1)) ] || fail "enable_seq $SEQ0 -> $(enable_seq), want one attach"
[ "$(sched_state)" = disabled ] || fail "state is $(sched_state) after the run"
assert_clean_host
pass "bash runfile: exit 127, nothing ran; converted runfile: PASS, clean host"
