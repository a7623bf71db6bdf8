package mailbox_test

import (
	"fmt"
	"time"

	"github.com/sollecito/sollecito/mailbox"
)

// A reminder threaded under the original invoice mail, with a Message-ID
// that stays the same if the send is retried.
func ExampleCompose() {
	id := mailbox.MessageID([]byte("installation secret"), "solleciti@studio.example", "invoice 12/2026", "stage1")
	raw, err := mailbox.Compose(mailbox.Outgoing{
		From:      mailbox.Address{Name: "Studio Bianchi", Email: "solleciti@studio.example"},
		To:        []mailbox.Address{{Name: "Rossi Srl", Email: "amministrazione@rossi.example"}},
		Subject:   "Fattura n. 12/2026: è scaduta",
		Text:      "Gentile cliente, la fattura n. 12/2026 è scaduta il 10/11/2026.\n",
		MessageID: id,
		InReplyTo: "fattura-12@studio.example",
		Date:      time.Date(2026, 11, 20, 9, 30, 0, 0, time.FixedZone("CET", 3600)),
		Headers:   map[string]string{"Auto-Submitted": "auto-generated"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := mailbox.Parse(raw)
	fmt.Println(m.Subject)
	fmt.Println(m.MessageID == id, m.InReplyTo)
	fmt.Println(m.Date.Format(time.RFC3339))
	fmt.Print(m.Text)
	// Output:
	// Fattura n. 12/2026: è scaduta
	// true [fattura-12@studio.example]
	// 2026-11-20T09:30:00+01:00
	// Gentile cliente, la fattura n. 12/2026 è scaduta il 10/11/2026.
}
