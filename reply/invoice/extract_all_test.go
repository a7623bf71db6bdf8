package invoice

import (
	"testing"

	"github.com/sollecito/sollecito/mailbox/message"
)

// TestExtractAll: a mail carrying two invoices, each a PDF of its own
// number, reads as two; a single invoice, or a credit note beside an
// invoice, stays one reading for the owner to decide.
func TestExtractAll(t *testing.T) {
	inv := func(n, amount string) []byte {
		return makePDF(t, "FATTURA N. "+n, "Data: 03/11/2026", "Scadenza: 03/12/2026", "TOTALE DA PAGARE € "+amount)
	}
	two := parseMail(t, buildMail("Fatture di novembre", "In allegato le due fatture di novembre.",
		attachment{"A-2361.pdf", "application/pdf", inv("A-2361", "1.287,36")}, attachment{"A-2362.pdf", "application/pdf", inv("A-2362", "402,60")}))
	got := ExtractAll((*message.Message)(two), Options{Own: []string{"solleciti@bianchi.example"}})
	if len(got) != 2 || got[0].Number != "A-2361" || got[1].Number != "A-2362" || got[1].Amount.String() != "402.6" ||
		len(got[1].ClientEmails) != 1 || got[1].ClientEmails[0] != "amministrazione@cliente.example" {
		t.Errorf("two invoices: %+v", got)
	}
	credit := parseMail(t, buildMail("Fattura e nota di credito", "In allegato la fattura e la nota di credito.",
		attachment{"033E.pdf", "application/pdf", inv("033/E", "4.636,00")},
		attachment{"004NC.pdf", "application/pdf", makePDF(t, "NOTA DI CREDITO N. 004/NC", "Data: 03/11/2026", "TOTALE € 366,00")}))
	if got := ExtractAll((*message.Message)(credit), Options{}); len(got) != 1 || got[0].Number != "033/E" || got[0].Amount.String() != "4636" {
		t.Errorf("an invoice and a credit note: %+v, want the invoice alone", got)
	}
	one := parseMail(t, buildMail("Fattura A-2361", "In allegato la fattura.", attachment{"A-2361.pdf", "application/pdf", inv("A-2361", "1.287,36")}))
	if got := ExtractAll((*message.Message)(one), Options{}); len(got) != 1 || got[0].Number != "A-2361" {
		t.Errorf("one invoice: %+v", got)
	}
}

// TestCreditNote: a mail whose subject names a credit note and no invoice
// is a credit note; one that corrects an invoice by name is read as usual.
func TestCreditNote(t *testing.T) {
	nc := parseMail(t, buildMail("Nota di credito n. 4/NC del 03/11/2026", "In allegato la nota di credito n. 4/NC di € 366,00."))
	if f := Extract((*message.Message)(nc), Options{}); !f.CreditNote {
		t.Errorf("a credit note: %+v", f)
	}
	inv := parseMail(t, buildMail("Fattura 33/E e nota di credito 4/NC", "In allegato la fattura n. 33/E di € 4.636,00 e la nota di credito."))
	if f := Extract((*message.Message)(inv), Options{}); f.CreditNote {
		t.Errorf("an invoice with a credit note named: read as a credit note")
	}
}
