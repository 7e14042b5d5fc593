#!/usr/bin/env bash
# Stands in for pulumi (as PLATFORM_PULUMI, which the orchestrator's watchdog runs) and holds one
# command at a known point: `pulumi $HELD_PULUMI_COMMAND ...` writes $HELD_PULUMI_DIR/reached, then
# waits until the test creates $HELD_PULUMI_DIR/open, then runs the real pulumi. Every other
# command, and the held one once opened, runs at once.
if [ "${1:-}" = "$HELD_PULUMI_COMMAND" ]; then
  echo "$$ $*" >> "$HELD_PULUMI_DIR/reached"
  while [ ! -e "$HELD_PULUMI_DIR/open" ]; do sleep 0.2; done
fi
exec "$HELD_PULUMI_REAL" "$@"
