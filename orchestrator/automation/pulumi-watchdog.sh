#!/usr/bin/env bash
# Runs the real pulumi ($PLATFORM_PULUMI) for the orchestrator and ends it when the orchestrator
# is gone, however it died: in a session of its own, so killing the orchestrator's process group
# does not take it down before it has stopped pulumi and the plugins pulumi started.
if [ -z "${PLATFORM_WATCHDOG_SESSION:-}" ]; then
  PLATFORM_WATCHDOG_SESSION=1 exec setsid --wait "$0" "$@"
fi
orchestrator=$PPID
session=$$
# Plugins run in process groups of their own and outlive a cancelled pulumi; they stay in this session.
end_session() {
  for pid in $(pgrep -s "$session"); do
    [ "$pid" = "$session" ] || [ "$pid" = "$1" ] || kill -KILL "$pid" 2>/dev/null
  done
}
"$PLATFORM_PULUMI" "$@" &
child=$!
trap 'kill -INT "$child" 2>/dev/null' INT TERM
(
  while kill -0 "$orchestrator" 2>/dev/null; do sleep 1; done
  # An interrupt lets pulumi cancel cleanly and stop its plugins; past the grace period, force it.
  kill -INT "$child" 2>/dev/null
  for _ in $(seq 30); do kill -0 "$child" 2>/dev/null || break; sleep 1; done
  end_session "$BASHPID"
  kill -KILL "$session" 2>/dev/null
) </dev/null >/dev/null 2>&1 &
watcher=$!
status=0
while kill -0 "$child" 2>/dev/null; do
  wait "$child"
  status=$?
done
kill "$watcher" 2>/dev/null
end_session ""
exit "$status"
