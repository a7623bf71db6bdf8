package engine

import (
	"context"

	"github.com/sollecito/sollecito/policy"
	"github.com/sollecito/sollecito/policy/ledger"
)

// LoginRefused records that the bot cannot log in to server as account
// for a reason only the owner can remove (cause: its OAuth2 authorization
// is revoked, or was never given), and queues the owner's alert: at most
// once a calendar day, however often it is called, so a daemon that keeps
// retrying never floods the owner. It reports whether this call queued it;
// Flush sends it, by SMTP, if SMTP still logs in.
func (e *Engine) LoginRefused(ctx context.Context, server, account string, cause error) (bool, error) {
	now := e.now()
	queued := false
	err := e.db.Tx(ctx, func(tx *ledger.Tx) error {
		if done, err := e.recordedToday(tx, now, func(ev ledger.Event) bool { return ev.Kind == policy.EventLoginRefused }); done || err != nil {
			return err
		}
		why := policy.Why{Code: policy.WhyLoginRefused, Address: server, Text: firstLine(cause.Error())}
		if err := tx.AddEvent(ledger.Event{At: now, Kind: policy.EventLoginRefused, Reason: why.English(), Why: &why}); err != nil {
			return err
		}
		queued = true
		return e.enqueue(tx, policy.Invoice{}, policy.AuthAlert, now, about{login: account, words: why.Text, key: "login-refused-" + e.today(now).Format("2006-01-02")})
	})
	return queued, err
}
