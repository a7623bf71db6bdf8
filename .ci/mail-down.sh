#!/usr/bin/env bash
# Stop the Exim and Dovecot started by smtp-up.sh and mail-up.sh in DIR, by
# their own pids, and wait until their ports are free. DIR itself is kept
# (logs, maildirs); remove it when done.
# Usage: .ci/mail-down.sh DIR
D=${1:?usage: mail-down.sh DIR}
IMAP_PORT=10143; IMAPS_PORT=10993; LMTP_PORT=10024; SMTP_PORT=10025
# shellcheck disable=SC1091
[ -f "$D/ports" ] && . "$D/ports"
for f in "$D/run/exim-fg.pid" "$D/run/master.pid"; do
  [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
done
busy="127\.0\.0\.1:($IMAP_PORT|$IMAPS_PORT|$LMTP_PORT|$SMTP_PORT) "
for i in $(seq 50); do   # dovecot needs about a second
  ss -ltn | grep -qE "$busy" || exit 0
  sleep 0.1
done
echo "mail-down: ports still busy: $(ss -ltn | grep -E "$busy" | awk '{print $4}' | tr '\n' ' ')" >&2
exit 1
