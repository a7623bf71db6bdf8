package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sollecito/sollecito/policy"
)

// ClientOverride is what the owner set by email for one client address
// ("tolleranza 5", "lingua en", "giorni di pagamento 10 25", "escludi"). A
// nil field was never set by email: the configuration file's value applies.
type ClientOverride struct {
	Address       string // lower-case
	Language      *string
	ToleranceDays *int
	PaymentDays   []int // nil: not set; empty: the client has no fixed payment days
	Exclude       *bool
	UpdatedAt     time.Time // kept by the ledger
}

// Apply returns c with every field the override sets replaced: a setting
// given by email wins over the configuration file's for that key.
func (o ClientOverride) Apply(c policy.Client) policy.Client {
	if o.Language != nil {
		c.Language = *o.Language
	}
	if o.ToleranceDays != nil {
		c.ToleranceDays = *o.ToleranceDays
	}
	if o.PaymentDays != nil {
		c.PaymentDays = append([]int{}, o.PaymentDays...)
	}
	if o.Exclude != nil {
		c.Exclude = *o.Exclude
	}
	return c
}

// SetClientOverride stores the fields o sets for o.Address, keeping those it
// leaves nil as they were.
func (tx *Tx) SetClientOverride(o ClientOverride) error {
	if err := tx.writable(); err != nil {
		return err
	}
	addr := normalizeAddr(o.Address)
	if addr == "" {
		return errors.New("ledger: client settings: empty address")
	}
	var lang, tol, days, excl any
	if o.Language != nil {
		lang = *o.Language
	}
	if o.ToleranceDays != nil {
		tol = *o.ToleranceDays
	}
	if o.PaymentDays != nil {
		s := make([]string, len(o.PaymentDays))
		for i, d := range o.PaymentDays {
			s[i] = strconv.Itoa(d)
		}
		days = strings.Join(s, ",")
	}
	if o.Exclude != nil {
		excl = boolInt(*o.Exclude)
	}
	_, err := tx.exec(`INSERT INTO client_settings (address, language, tolerance_days, payment_days, exclude, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (address) DO UPDATE SET
			language = coalesce(excluded.language, language),
			tolerance_days = coalesce(excluded.tolerance_days, tolerance_days),
			payment_days = coalesce(excluded.payment_days, payment_days),
			exclude = coalesce(excluded.exclude, exclude),
			updated_at = excluded.updated_at`,
		addr, lang, tol, days, excl, instantValue(tx.now))
	if err != nil {
		return fmt.Errorf("ledger: client settings of %q: %w", addr, err)
	}
	// The client's schedule changed: decide its invoices again (rare
	// enough that every hint goes).
	if _, err := tx.exec(`UPDATE invoices SET next_due = '' WHERE next_due <> ''`); err != nil {
		return fmt.Errorf("ledger: client settings of %q: %w", addr, err)
	}
	return nil
}

const clientSelect = `SELECT address, language, tolerance_days, payment_days, exclude, updated_at FROM client_settings`

func (tx *Tx) clientOverrides(query string, args ...any) ([]ClientOverride, error) {
	rows, err := tx.query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ClientOverride
	for rows.Next() {
		var o ClientOverride
		var lang, days sql.NullString
		var tol, excl sql.NullInt64
		if err := rows.Scan(&o.Address, &lang, &tol, &days, &excl, instantScan{&o.UpdatedAt}); err != nil {
			return nil, err
		}
		if lang.Valid {
			o.Language = &lang.String
		}
		if tol.Valid {
			n := int(tol.Int64)
			o.ToleranceDays = &n
		}
		if days.Valid {
			o.PaymentDays = []int{}
			for f := range strings.SplitSeq(days.String, ",") {
				if f == "" {
					continue
				}
				n, err := strconv.Atoi(f)
				if err != nil {
					return nil, fmt.Errorf("payment days %q of %s: %w", days.String, o.Address, err)
				}
				o.PaymentDays = append(o.PaymentDays, n)
			}
		}
		if excl.Valid {
			b := excl.Int64 != 0
			o.Exclude = &b
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ClientOverride returns what the owner set by email for the address
// (case-insensitive); an override with only Address set when nothing was.
func (tx *Tx) ClientOverride(addr string) (ClientOverride, error) {
	addr = normalizeAddr(addr)
	out, err := tx.clientOverrides(clientSelect+` WHERE address = ?`, addr)
	if err != nil {
		return ClientOverride{}, fmt.Errorf("ledger: client settings of %q: %w", addr, err)
	}
	if len(out) == 0 {
		return ClientOverride{Address: addr}, nil
	}
	return out[0], nil
}

// ClientOverrides returns every client's settings given by email, by address.
func (tx *Tx) ClientOverrides() ([]ClientOverride, error) {
	out, err := tx.clientOverrides(clientSelect + ` ORDER BY address`)
	if err != nil {
		return nil, fmt.Errorf("ledger: client settings: %w", err)
	}
	return out, nil
}

// ClientOverride is Tx.ClientOverride in a read transaction.
func (db *DB) ClientOverride(ctx context.Context, addr string) (ClientOverride, error) {
	return view(ctx, db, func(tx *Tx) (ClientOverride, error) { return tx.ClientOverride(addr) })
}

// ClientOverrides is Tx.ClientOverrides in a read transaction.
func (db *DB) ClientOverrides(ctx context.Context) ([]ClientOverride, error) {
	return view(ctx, db, (*Tx).ClientOverrides)
}
