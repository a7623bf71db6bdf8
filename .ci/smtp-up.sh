#!/usr/bin/env bash
# Start a throwaway Exim on loopback for tests: SMTP with STARTTLS and AUTH
# PLAIN/LOGIN (same users as Dovecot, DIR/users), delivering every
# @example.test address to Dovecot's LMTP and everything else to
# catchall@example.test. An unknown @example.test user is refused by Dovecot,
# so Exim returns a real bounce (DSN) to the sender.
#
# Usage: .ci/smtp-up.sh DIR   (DIR as given to / printed by mail-up.sh)
#   Port: SMTP_PORT (10025); LMTP port from DIR/ports. Log: DIR/log/exim.log,
#   DIR/exim/log/. Loopback clients may relay without AUTH: for tests only.
set -euo pipefail
D=$(cd "${1:?usage: smtp-up.sh DIR}" && pwd)
command -v exim4 >/dev/null || { echo "smtp-up: exim4 not installed (apt-get install exim4-daemon-light)" >&2; exit 1; }
[ -f "$D/users" ] || { echo "smtp-up: $D/users missing: run mail-up.sh $D first" >&2; exit 1; }
LMTP_PORT=10024
# shellcheck disable=SC1091
[ -f "$D/ports" ] && . "$D/ports"
SMTP_PORT=${SMTP_PORT:-10025}
touch "$D/ports"; sed -i '/^SMTP_PORT=/d' "$D/ports"; echo "SMTP_PORT=$SMTP_PORT" >> "$D/ports"
mkdir -p "$D/exim/spool" "$D/exim/log"
# exim refuses a -C file not owned by root (or the invoking user): write it
# afresh, and give only the spool and the logs to the exim user
rm -f "$D/exim/exim.conf"
if [ "$(id -u)" = 0 ]; then EU=Debian-exim; EG=Debian-exim; chown -R $EU:$EG "$D/exim/spool" "$D/exim/log"
else EU=$(id -un); EG=$(id -gn); fi
cat > "$D/exim/exim.conf" <<CONF
exim_user = $EU
exim_group = $EG
never_users =
primary_hostname = mail.example.test
domainlist local_domains = example.test
spool_directory = $D/exim/spool
log_file_path = $D/exim/log/%s.log
pid_file_path = $D/run/exim.pid
daemon_smtp_ports = $SMTP_PORT
local_interfaces = 127.0.0.1
host_lookup =
rfc1413_hosts =
keep_environment =
tls_advertise_hosts = *
tls_certificate = $D/tls/cert.pem
tls_privatekey = $D/tls/key.pem
auth_advertise_hosts = *
acl_smtp_rcpt = acl_rcpt
acl_smtp_data = acl_data
message_size_limit = 50M

begin acl
acl_rcpt:
  accept hosts = 127.0.0.1
  deny   message = relay not permitted

# Stamp Authentication-Results the way a receiving server does, so that
# tests exercise owner trust as in production (owner.authserv_id =
# "mail.example.test"): SPF passes only for an authenticated session, as if
# only the owner's own submission server were in the domain's SPF record.
# Like many real servers it leaves look-alike fields in the message alone:
# the bot must find its server's own, the topmost.
acl_data:
  warn   authenticated = *
         add_header = :at_start:Authentication-Results: mail.example.test; spf=pass smtp.mailfrom=\$sender_address
  warn   !authenticated = *
         add_header = :at_start:Authentication-Results: mail.example.test; spf=fail smtp.mailfrom=\$sender_address
  accept

begin routers
local_users:
  driver = accept
  domains = +local_domains
  transport = dovecot_lmtp
# any other domain (e.g. real customer addresses in fixtures) lands in catchall@example.test
catchall:
  driver = redirect
  data = catchall@example.test

begin transports
dovecot_lmtp:
  driver = smtp
  protocol = lmtp
  hosts = 127.0.0.1
  port = $LMTP_PORT
  allow_localhost
  hosts_avoid_tls = *

begin retry
*  *  F,2m,5s

begin authenticators
# same credentials as dovecot's passwd-file (exim4-daemon-light has no "dovecot" authenticator)
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = \${if eq{\$auth3}{\${sg{\${lookup{\$auth2}lsearch{$D/users}{\$value}fail}}{\N^\{PLAIN\}\N}{}}}}
  server_set_id = \$auth2
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = \${if eq{\$auth2}{\${sg{\${lookup{\$auth1}lsearch{$D/users}{\$value}fail}}{\N^\{PLAIN\}\N}{}}}}
  server_set_id = \$auth1
CONF
# -bdf = daemon in foreground, so $! is its pid; unprivileged exim logs to stderr
exim4 -C "$D/exim/exim.conf" -bdf -q30s >>"$D/log/exim.log" 2>&1 &
echo $! > "$D/run/exim-fg.pid"
for i in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && { echo "$D"; exit 0; }
  sleep 0.1
done
echo "smtp-up: exim did not open 127.0.0.1:$SMTP_PORT; see $D/log/exim.log" >&2
exit 1
