package invoice

import (
	"archive/zip"
	"bytes"
	"encoding/asn1"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"
)

// Limits on attachments read, so that hostile mail cannot exhaust memory.
const (
	maxXMLSize     = 5 << 20
	maxZipEntries  = 64
	maxZipEntry    = 10 << 20
	maxASN1Depth   = 32
	maxInstalments = 120
)

// FatturaPA 1.2.x, only the elements the bot reads. Element names match in any
// namespace: the root is namespaced ("p:"), its children are not.
type fpDocument struct {
	XMLName  xml.Name `xml:"FatturaElettronica"`
	Versione string   `xml:"versione,attr"`
	Header   struct {
		Cessionario struct {
			IdPaese       string `xml:"DatiAnagrafici>IdFiscaleIVA>IdPaese"`
			IdCodice      string `xml:"DatiAnagrafici>IdFiscaleIVA>IdCodice"`
			CodiceFiscale string `xml:"DatiAnagrafici>CodiceFiscale"`
			Anagrafica    struct {
				Denominazione string `xml:"Denominazione"`
				Nome          string `xml:"Nome"`
				Cognome       string `xml:"Cognome"`
			} `xml:"DatiAnagrafici>Anagrafica"`
		} `xml:"CessionarioCommittente"`
	} `xml:"FatturaElettronicaHeader"`
	Bodies []fpBody `xml:"FatturaElettronicaBody"`
}

type fpBody struct {
	Documento struct {
		TipoDocumento          string       `xml:"TipoDocumento"`
		Divisa                 string       `xml:"Divisa"`
		Data                   string       `xml:"Data"`
		Numero                 string       `xml:"Numero"`
		Ritenute               []fpRitenuta `xml:"DatiRitenuta"`
		ImportoTotaleDocumento string       `xml:"ImportoTotaleDocumento"`
	} `xml:"DatiGenerali>DatiGeneraliDocumento"`
	Pagamenti []struct {
		CondizioniPagamento string        `xml:"CondizioniPagamento"`
		Dettagli            []fpDettaglio `xml:"DettaglioPagamento"`
	} `xml:"DatiPagamento"`
}

type fpRitenuta struct {
	TipoRitenuta    string `xml:"TipoRitenuta"`
	ImportoRitenuta string `xml:"ImportoRitenuta"`
}

type fpDettaglio struct {
	ModalitaPagamento     string `xml:"ModalitaPagamento"`
	DataScadenzaPagamento string `xml:"DataScadenzaPagamento"`
	ImportoPagamento      string `xml:"ImportoPagamento"`
	IBAN                  string `xml:"IBAN"`
}

// fpReading is what one FatturaPA file says. Zero values are absent fields.
type fpReading struct {
	Number      string
	IssueDate   time.Time
	DueDate     time.Time // the first instalment's
	Amount      decimal.Decimal
	HasAmount   bool
	Currency    string
	IBAN        string
	Instalments []Instalment
	Client      string // CessionarioCommittente name
	ClientVAT   string // its IdFiscaleIVA (IdPaese+IdCodice), else CodiceFiscale
	Notes       []string
}

var errNotFatturaPA = errors.New("invoice: not a FatturaPA document")

// parseFatturaPA reads a FatturaElettronica 1.2.x document. A file with
// several bodies (a batch) is refused: it is not one invoice.
func parseFatturaPA(data []byte) (fpReading, error) {
	var r fpReading
	if len(data) > maxXMLSize {
		return r, fmt.Errorf("fatturapa: %d bytes, over the %d limit", len(data), maxXMLSize)
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charsetReader
	var doc fpDocument
	if err := dec.Decode(&doc); err != nil {
		var se xml.UnmarshalError
		if errors.As(err, &se) && strings.Contains(string(se), "expected element type <FatturaElettronica>") {
			return r, errNotFatturaPA
		}
		return r, fmt.Errorf("fatturapa: %w", err)
	}
	if len(doc.Bodies) != 1 {
		return r, fmt.Errorf("fatturapa: %d invoice bodies, want exactly one", len(doc.Bodies))
	}
	cc := doc.Header.Cessionario
	a := cc.Anagrafica
	r.Client = cleanName(a.Denominazione)
	if r.Client == "" {
		r.Client = cleanName(a.Nome + " " + a.Cognome)
	}
	r.ClientVAT = taxID(cc.IdPaese, cc.IdCodice, cc.CodiceFiscale)
	b := doc.Bodies[0]
	d := b.Documento
	r.Number = normalizeNumber(d.Numero)
	if t, err := time.Parse(time.DateOnly, strings.TrimSpace(d.Data)); err == nil {
		r.IssueDate = t
	} else if d.Data != "" {
		r.Notes = append(r.Notes, fmt.Sprintf("fatturapa: unreadable Data %q", d.Data))
	}
	r.Currency = strings.ToUpper(strings.TrimSpace(d.Divisa))
	if d.TipoDocumento == "TD04" {
		r.Notes = append(r.Notes, "fatturapa: TD04 is a credit note, not an invoice to chase")
	}

	// Instalments: every DettaglioPagamento row of every DatiPagamento block.
	var rows []Instalment
	sum := decimal.Zero
	allAmounts, allDates := true, true
	for _, p := range b.Pagamenti {
		for _, det := range p.Dettagli {
			if len(rows) >= maxInstalments {
				break
			}
			var in Instalment
			if t, err := time.Parse(time.DateOnly, strings.TrimSpace(det.DataScadenzaPagamento)); err == nil {
				in.DueDate = t
			} else {
				allDates = false
			}
			if v, err := decimal.NewFromString(strings.TrimSpace(det.ImportoPagamento)); err == nil {
				in.Amount = v
				sum = sum.Add(v)
			} else {
				allAmounts = false
			}
			rows = append(rows, in)
			if r.IBAN == "" && det.IBAN != "" {
				if err := ValidIBAN(det.IBAN); err == nil {
					r.IBAN = NormalizeIBAN(det.IBAN)
				} else {
					r.Notes = append(r.Notes, "fatturapa: "+err.Error())
				}
			}
		}
	}
	if len(rows) > 0 && allAmounts {
		r.Amount, r.HasAmount = sum, true
	} else if tot, err := decimal.NewFromString(strings.TrimSpace(d.ImportoTotaleDocumento)); err == nil {
		// No payment rows: what is due is the document total less any withholding.
		for _, rit := range d.Ritenute {
			v, err := decimal.NewFromString(strings.TrimSpace(rit.ImportoRitenuta))
			if err != nil {
				r.Notes = append(r.Notes, fmt.Sprintf("fatturapa: unreadable ImportoRitenuta %q", rit.ImportoRitenuta))
				tot = decimal.Zero
				break
			}
			tot = tot.Sub(v)
		}
		if tot.IsPositive() {
			r.Amount, r.HasAmount = tot, true
		}
	}
	if len(rows) > 0 && allDates {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].DueDate.Before(rows[j].DueDate) })
		r.DueDate = rows[0].DueDate
		if len(rows) > 1 && allAmounts {
			r.Instalments = rows
		}
	}
	return r, nil
}

// taxID is the VAT number a FatturaPA gives for a party, with its country
// prefix, else its codice fiscale; "" when neither is a plausible code.
func taxID(country, code, fiscal string) string {
	country = strings.ToUpper(strings.TrimSpace(country))
	code = strings.ToUpper(strings.Join(strings.Fields(code), ""))
	fiscal = strings.ToUpper(strings.Join(strings.Fields(fiscal), ""))
	if len(country) == 2 && plausibleCode(code) {
		return country + strings.TrimPrefix(code, country)
	}
	if plausibleCode(fiscal) {
		return fiscal
	}
	return ""
}

// plausibleCode: 2 to 28 letters and digits (FatturaPA's IdCodice allows 28).
func plausibleCode(s string) bool {
	if len(s) < 2 || len(s) > 28 {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func charsetReader(label string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(label) {
	case "iso-8859-1", "latin1", "iso8859-1":
		return charmap.ISO8859_1.NewDecoder().Reader(in), nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252.NewDecoder().Reader(in), nil
	case "iso-8859-15":
		return charmap.ISO8859_15.NewDecoder().Reader(in), nil
	}
	return nil, fmt.Errorf("unsupported charset %q", label)
}

// OIDs of CMS (RFC 5652) content types.
var (
	oidSignedData = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidData       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
)

// unwrapP7M returns the signed content of a CAdES / PKCS#7 SignedData
// envelope (an .xml.p7m), in DER or BER (indefinite lengths, chunked OCTET
// STRINGs), raw or base64 (with or without PEM armour). It does not verify
// the signature: the bot only reads the invoice inside.
func unwrapP7M(data []byte) ([]byte, error) {
	der := data
	if len(der) == 0 || der[0] != 0x30 {
		dec, err := decodeBase64Armour(data)
		if err != nil {
			return nil, fmt.Errorf("p7m: neither DER nor base64: %w", err)
		}
		der = dec
	}
	ci, _, err := readTLV(der, 0)
	if err != nil {
		return nil, fmt.Errorf("p7m: %w", err)
	}
	// ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
	kids, err := ci.children(0)
	if err != nil || ci.tag != 0x30 || len(kids) < 2 {
		return nil, errors.New("p7m: not a ContentInfo")
	}
	if !kids[0].isOID(oidSignedData) {
		return nil, errors.New("p7m: content is not SignedData")
	}
	wrapped, err := kids[1].children(1)
	if err != nil || kids[1].tag != 0xa0 || len(wrapped) != 1 {
		return nil, errors.New("p7m: missing SignedData content")
	}
	// SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo SEQUENCE, ... }
	sd, err := wrapped[0].children(2)
	if err != nil || len(sd) < 3 {
		return nil, errors.New("p7m: malformed SignedData")
	}
	eci, err := sd[2].children(3)
	if err != nil || len(eci) < 2 || eci[0].tag != 0x06 {
		return nil, errors.New("p7m: detached signature, no content inside")
	}
	if !eci[0].isOID(oidData) {
		return nil, errors.New("p7m: encapsulated content is not id-data")
	}
	inner, err := eci[1].children(4)
	if err != nil || eci[1].tag != 0xa0 || len(inner) != 1 {
		return nil, errors.New("p7m: malformed eContent")
	}
	return inner[0].octets(5)
}

func decodeBase64Armour(data []byte) ([]byte, error) {
	var b strings.Builder
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "-----") || strings.Contains(line, ":") {
			continue // PEM armour and headers
		}
		b.WriteString(line)
	}
	s := b.String()
	if out, err := base64.StdEncoding.DecodeString(s); err == nil {
		return out, nil
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(s, "="))
}

// tlv is one BER element: its tag byte, whether it is constructed, and its
// content (for indefinite lengths, the content up to the end-of-contents).
type tlv struct {
	tag         byte
	constructed bool
	content     []byte
}

// readTLV reads one BER element from b, returning it and the bytes read.
// High tag numbers (multi-byte tags) are refused: CMS does not use them.
func readTLV(b []byte, depth int) (tlv, int, error) {
	if depth > maxASN1Depth {
		return tlv{}, 0, errors.New("asn1: nested too deep")
	}
	if len(b) < 2 {
		return tlv{}, 0, errors.New("asn1: truncated")
	}
	t := tlv{tag: b[0], constructed: b[0]&0x20 != 0}
	if b[0]&0x1f == 0x1f {
		return tlv{}, 0, errors.New("asn1: multi-byte tag")
	}
	l := int(b[1])
	pos := 2
	switch {
	case l < 0x80:
	case l == 0x80: // indefinite: children up to 00 00
		if !t.constructed {
			return tlv{}, 0, errors.New("asn1: indefinite length on a primitive")
		}
		p := pos
		for {
			if len(b)-p < 2 {
				return tlv{}, 0, errors.New("asn1: missing end-of-contents")
			}
			if b[p] == 0 && b[p+1] == 0 {
				t.content = b[pos:p]
				return t, p + 2, nil
			}
			_, n, err := readTLV(b[p:], depth+1)
			if err != nil {
				return tlv{}, 0, err
			}
			p += n
		}
	default:
		nb := l & 0x7f
		if nb > 4 || len(b) < pos+nb {
			return tlv{}, 0, errors.New("asn1: bad length")
		}
		l = 0
		for _, c := range b[pos : pos+nb] {
			l = l<<8 | int(c)
		}
		pos += nb
	}
	if l < 0 || len(b)-pos < l {
		return tlv{}, 0, errors.New("asn1: truncated content")
	}
	t.content = b[pos : pos+l]
	return t, pos + l, nil
}

func (t tlv) children(depth int) ([]tlv, error) {
	if !t.constructed {
		return nil, errors.New("asn1: primitive has no children")
	}
	var out []tlv
	for b := t.content; len(b) > 0; {
		c, n, err := readTLV(b, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		b = b[n:]
	}
	return out, nil
}

func (t tlv) isOID(want asn1.ObjectIdentifier) bool {
	if t.tag != 0x06 {
		return false
	}
	full := append([]byte{0x06, byte(len(t.content))}, t.content...)
	if len(t.content) > 127 {
		return false
	}
	var got asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(full, &got); err != nil {
		return false
	}
	return got.Equal(want)
}

// octets returns an OCTET STRING's bytes, joining the chunks of a constructed one.
func (t tlv) octets(depth int) ([]byte, error) {
	if t.tag&^0x20 != 0x04 {
		return nil, fmt.Errorf("asn1: tag %#x is not an OCTET STRING", t.tag)
	}
	if !t.constructed {
		return t.content, nil
	}
	kids, err := t.children(depth)
	if err != nil {
		return nil, err
	}
	var out []byte
	for _, k := range kids {
		b, err := k.octets(depth + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
	}
	return out, nil
}

// unzip returns the files of a ZIP archive that may hold an invoice (XML,
// signed XML, PDF), each read up to a size limit.
func unzip(data []byte) ([]namedFile, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	var out []namedFile
	for i, f := range zr.File {
		if i >= maxZipEntries {
			break
		}
		name := strings.ToLower(f.Name)
		if !(strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".p7m") || strings.HasSuffix(name, ".pdf")) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return out, fmt.Errorf("zip %s: %w", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxZipEntry+1))
		rc.Close()
		if err != nil {
			return out, fmt.Errorf("zip %s: %w", f.Name, err)
		}
		if len(b) > maxZipEntry {
			return out, fmt.Errorf("zip %s: over %d bytes", f.Name, maxZipEntry)
		}
		out = append(out, namedFile{name: f.Name, data: b})
	}
	return out, nil
}

type namedFile struct {
	name string
	data []byte
}
