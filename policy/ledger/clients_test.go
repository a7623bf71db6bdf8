package ledger

import (
	"context"
	"slices"
	"testing"

	"github.com/sollecito/sollecito/policy"
)

func TestClientOverride(t *testing.T) {
	db, _, _ := openTest(t)
	five, en, yes, no := 5, "en", true, false
	base := policy.Client{Language: "it", ToleranceDays: 2, PaymentDays: []int{30}}

	o, err := db.ClientOverride(context.Background(), "Nobody@X.example")
	if err != nil || o.Address != "nobody@x.example" || o.Language != nil || o.PaymentDays != nil {
		t.Fatalf("unset override = %+v, %v", o, err)
	}
	if got := o.Apply(base); got.Language != "it" || got.ToleranceDays != 2 || !slices.Equal(got.PaymentDays, []int{30}) {
		t.Errorf("an empty override changed %+v", got)
	}

	steps := []struct {
		set  ClientOverride
		want policy.Client
	}{
		{ClientOverride{Address: "AP@Acme.example", ToleranceDays: &five}, policy.Client{Language: "it", ToleranceDays: 5, PaymentDays: []int{30}}},
		{ClientOverride{Address: "ap@acme.example", Language: &en, PaymentDays: []int{10, 25}}, policy.Client{Language: "en", ToleranceDays: 5, PaymentDays: []int{10, 25}}},
		{ClientOverride{Address: "ap@acme.example", PaymentDays: []int{}, Exclude: &yes}, policy.Client{Language: "en", ToleranceDays: 5, PaymentDays: []int{}, Exclude: true}},
		{ClientOverride{Address: "ap@acme.example", Exclude: &no}, policy.Client{Language: "en", ToleranceDays: 5, PaymentDays: []int{}}},
	}
	for i, st := range steps {
		mustTx(t, db, func(tx *Tx) error { return tx.SetClientOverride(st.set) })
		o, err := db.ClientOverride(context.Background(), "ap@ACME.example")
		if err != nil {
			t.Fatal(err)
		}
		got := o.Apply(base)
		if got.Language != st.want.Language || got.ToleranceDays != st.want.ToleranceDays || got.Exclude != st.want.Exclude ||
			!slices.Equal(got.PaymentDays, st.want.PaymentDays) || (got.PaymentDays == nil) != (st.want.PaymentDays == nil) {
			t.Errorf("step %d: %+v, want %+v", i, got, st.want)
		}
		if o.UpdatedAt.IsZero() {
			t.Errorf("step %d: no UpdatedAt", i)
		}
	}
	all, err := db.ClientOverrides(context.Background())
	if err != nil || len(all) != 1 || all[0].Address != "ap@acme.example" {
		t.Errorf("ClientOverrides = %+v, %v", all, err)
	}
	if err := db.Tx(t.Context(), func(tx *Tx) error { return tx.SetClientOverride(ClientOverride{ToleranceDays: &five}) }); err == nil {
		t.Error("an override without address was stored")
	}
}

func TestOutboxAccount(t *testing.T) {
	db, _, _ := openTest(t)
	mustTx(t, db, func(tx *Tx) error {
		if _, err := tx.Enqueue(Outgoing{MessageID: "a@x", Template: "stage1", To: []string{"c@x.example"}, Raw: rawMail("a@x", "s")}); err != nil {
			return err
		}
		_, err := tx.Enqueue(Outgoing{MessageID: "b@x", Template: "notice", To: []string{"c@x.example"}, Raw: rawMail("b@x", "s"), Account: AccountPEC})
		return err
	})
	pend, err := db.Pending(context.Background(), t0)
	if err != nil || len(pend) != 2 {
		t.Fatalf("pending %v, %v", pend, err)
	}
	if pend[0].Account != "" || pend[1].Account != AccountPEC {
		t.Errorf("accounts %q, %q; want \"\" and %q", pend[0].Account, pend[1].Account, AccountPEC)
	}
}
