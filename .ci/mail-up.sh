#!/usr/bin/env bash
# Start a throwaway Dovecot on loopback for tests: IMAP (STARTTLS offered), IMAPS
# with a self-signed certificate, LMTP; maildir storage under DIR.
#
# Usage: .ci/mail-up.sh [DIR] [USER[:PASSWORD]...]   -> prints DIR
#   Users bot@example.test, customer@example.test and catchall@example.test
#   always exist; more come from the arguments after DIR and from
#   SOLLECITO_TEST_USERS (space- or comma-separated). The default password is
#   "secret". Users can also be added later: append "addr:{PLAIN}password"
#   lines to DIR/users (Dovecot and Exim read it on every login).
#   Ports: IMAP_PORT (10143), IMAPS_PORT (10993), LMTP_PORT (10024) and, when
#   dovecot-submissiond is installed, SUBMISSION_PORT (10587, relaying to the
#   Exim of smtp-up.sh on SMTP_PORT, 10025); they are saved in DIR/ports for
#   smtp-up.sh and mail-down.sh.
# OAuth2: IMAP and submission also take OAUTHBEARER and XOAUTH2 with a JWT
#   access token signed HS256 by the key in DIR/oauth2/key (raw bytes; its
#   base64 is in the dict Dovecot reads), issuer "sollecito-test", the login
#   name in "sub". Dovecot validates the tokens itself (introspection_mode =
#   local): a test's token endpoint signs with the same key.
# Files: DIR/dovecot.conf, DIR/log/dovecot.log, DIR/run/master.pid,
#   DIR/tls/cert.pem (the certificate to trust: CAFile), DIR/mail (maildirs).
# Stop with .ci/mail-down.sh DIR.
set -euo pipefail
D=${1:-$(mktemp -d -t sollecito-mail.XXXXXX)}
shift || true
mkdir -p "$D"
D=$(cd "$D" && pwd)
command -v dovecot >/dev/null || { echo "mail-up: dovecot not installed (apt-get install dovecot-imapd dovecot-lmtpd)" >&2; exit 1; }
IMAP_PORT=${IMAP_PORT:-10143}; IMAPS_PORT=${IMAPS_PORT:-10993}; LMTP_PORT=${LMTP_PORT:-10024}
SUBMISSION_PORT=${SUBMISSION_PORT:-10587}; SMTP_PORT=${SMTP_PORT:-10025}
mkdir -p "$D"/{run,state,log,mail,tls}
if [ "$(id -u)" = 0 ]; then
  # root: dovecot drops privileges to its own users; mail is stored as nobody
  IU=dovecot; IG=dovecot; LU=dovenull; MU=nobody; MG=nogroup
  chown -R "$MU:$MG" "$D/mail"; chmod 755 "$D"
else
  # unprivileged: every process runs as the invoking user
  IU=$(id -un); IG=$(id -gn); LU=$IU; MU=$IU; MG=$IG
fi
[ -f "$D/tls/cert.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
  -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
  -keyout "$D/tls/key.pem" -out "$D/tls/cert.pem" 2>/dev/null
chmod 644 "$D/tls/"*.pem

# user database, one "user:{PLAIN}password" a line
users=(bot@example.test customer@example.test catchall@example.test "$@")
extra=${SOLLECITO_TEST_USERS:-}
for u in ${extra//,/ }; do users+=("$u"); done
: > "$D/users"
declare -A seen=()
for u in "${users[@]}"; do
  [ -n "$u" ] || continue
  name=${u%%:*}; pass=secret
  [ "$name" != "$u" ] && pass=${u#*:}
  case "$name" in *@*) ;; *) echo "mail-up: user $name: want an address (user@domain)" >&2; exit 1;; esac
  [ -n "${seen[$name]:-}" ] && continue
  seen[$name]=1
  printf '%s:{PLAIN}%s\n' "$name" "$pass" >> "$D/users"
done
chmod 644 "$D/users"
printf 'IMAP_PORT=%s\nIMAPS_PORT=%s\nLMTP_PORT=%s\n' "$IMAP_PORT" "$IMAPS_PORT" "$LMTP_PORT" > "$D/ports"

# OAuth2 bearer tokens, validated by Dovecot itself: the HS256 key under
# <azp>/<alg>/<kid> of a file dict (the dict key is shared/<azp>/<alg>/<kid>;
# "default" where the token names none)
mkdir -p "$D/oauth2/keys/default/HS256"
[ -f "$D/oauth2/key" ] || head -c 32 /dev/urandom > "$D/oauth2/key"
base64 -w0 "$D/oauth2/key" > "$D/oauth2/keys/default/HS256/default"
chmod -R a+rX "$D/oauth2"
cat > "$D/oauth2/dovecot-oauth2.conf.ext" <<CONF
introspection_mode = local
local_validation_key_dict = fs:posix:prefix=$D/oauth2/keys/
issuers = sollecito-test
username_attribute = sub
CONF
authuser=""
# root ignores file modes: auth runs as the internal user, as it does unprivileged
[ "$(id -u)" = 0 ] && authuser="service auth {
  user = $IU
}"
protocols="imap lmtp"
submission=""
if [ -x /usr/lib/dovecot/submission ]; then
  protocols="imap lmtp submission"
  printf 'SUBMISSION_PORT=%s\n' "$SUBMISSION_PORT" >> "$D/ports"
  submission="hostname = localhost
submission_relay_host = 127.0.0.1
submission_relay_port = $SMTP_PORT
submission_relay_trusted = yes
service submission-login {
  chroot =
  inet_listener submission {
    address = 127.0.0.1
    port = $SUBMISSION_PORT
  }
}"
fi

cat > "$D/dovecot.conf" <<CONF
instance_name = sollecito-test-$IMAP_PORT
base_dir = $D/run
state_dir = $D/state
log_path = $D/log/dovecot.log
protocols = $protocols
listen = 127.0.0.1
default_internal_user = $IU
default_internal_group = $IG
default_login_user = $LU
ssl = yes
ssl_cert = <$D/tls/cert.pem
ssl_key = <$D/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login oauthbearer xoauth2
# tests try wrong passwords: answer at once, and no penalty for the next logins
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8
passdb {
  driver = passwd-file
  mechanisms = plain login none
  args = scheme=PLAIN username_format=%u $D/users
}
passdb {
  driver = oauth2
  mechanisms = oauthbearer xoauth2
  args = $D/oauth2/dovecot-oauth2.conf.ext
}
userdb {
  driver = static
  args = uid=$MU gid=$MG home=$D/mail/%d/%n
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = create
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
service anvil {
  chroot =
  # no auth penalty: tests refuse logins on purpose, and Dovecot would hold
  # every later login from 127.0.0.1 for 2, 4, 8, 15 s (auth cannot connect
  # to a socket nobody may write, so it logs that once and goes on without)
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
$authuser
$submission
CONF
dovecot -c "$D/dovecot.conf"
for i in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$IMAP_PORT") 2>/dev/null && { echo "$D"; exit 0; }
  sleep 0.1
done
echo "mail-up: dovecot did not open 127.0.0.1:$IMAP_PORT; see $D/log/dovecot.log" >&2
exit 1
