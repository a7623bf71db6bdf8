// Package model is the learned half of the reply reader: a linear
// classifier (multinomial logistic regression) over hashed word and
// character n-grams of what a writer wrote. It is trained from a labelled
// corpus by cmd/trainreplies, stored in a compact binary form, and gives
// for each text a probability per kind. It does no I/O.
package model

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Dim is the number of hashed feature buckets.
const Dim = 1 << 16

// maxInput bounds how much text Features reads: a reply's message is in
// its first lines, and the cost stays fixed whatever arrives.
const maxInput = 4 << 10

// Features returns the hashed features of a reply: its subject's words
// (without Re:/Fwd:), and of the writer's own text the words, the word
// pairs and the character 3- to 5-grams of each word. Text is lower-cased
// and every digit reads as 0, so that amounts and dates of any value look
// alike. The same input always gives the same features.
func Features(subject, text string) []uint32 {
	if len(text) > maxInput {
		text = text[:maxInput]
		for !utf8.ValidString(text) && len(text) > 0 {
			text = text[:len(text)-1]
		}
	}
	if len(subject) > 512 {
		subject = subject[:512]
	}
	out := make([]uint32, 0, len(text)*2)
	for _, w := range words(subject) {
		if isReplyPrefix(w) {
			continue
		}
		out = append(out, hash("s", w, ""))
	}
	prev := "^"
	for _, w := range words(text) {
		out = append(out, hash("w", w, ""), hash("b", prev, w))
		prev = w
		if len(w) > 24 {
			continue // an identifier, not a word
		}
		padded := "<" + w + ">"
		for n := 3; n <= 5; n++ {
			for i := 0; i+n <= len(padded); i++ {
				out = append(out, hash("c", padded[i:i+n], ""))
			}
		}
	}
	out = append(out, hash("b", prev, "$"))
	return out
}

func isReplyPrefix(w string) bool {
	switch w {
	case "re", "r", "fw", "fwd", "i", "aw", "wg", "tr", "rif", "res", "enc":
		return true
	}
	return false
}

// words splits lower-cased text into runs of letters and digits, digits
// read as 0.
func words(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsDigit(r):
			b.WriteByte('0')
		case unicode.IsLetter(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

// hash is FNV-1a over the parts, separated, modulo Dim.
func hash(kind, a, b string) uint32 {
	h := uint32(2166136261)
	add := func(s string) {
		for i := 0; i < len(s); i++ {
			h ^= uint32(s[i])
			h *= 16777619
		}
		h ^= 0xff
		h *= 16777619
	}
	add(kind)
	add(a)
	add(b)
	return h % Dim
}

// Model is a trained classifier: one weight per class and feature bucket,
// and a bias per class.
type Model struct {
	Classes []string
	w       []float32 // len(Classes)*Dim, class-major
	b       []float32
}

// Predict returns the probability of each class (in Classes order) for the
// features f. The probabilities sum to 1.
func (m *Model) Predict(f []uint32) []float64 {
	scores := m.scores(f)
	softmax(scores)
	return scores
}

func (m *Model) scores(f []uint32) []float64 {
	k := len(m.Classes)
	out := make([]float64, k)
	scale := 1.0
	if len(f) > 0 {
		scale = 1 / math.Sqrt(float64(len(f)))
	}
	for c := 0; c < k; c++ {
		row := m.w[c*Dim : (c+1)*Dim]
		var s float32
		for _, i := range f {
			s += row[i]
		}
		out[c] = float64(s)*scale + float64(m.b[c])
	}
	return out
}

func softmax(v []float64) {
	mx := math.Inf(-1)
	for _, x := range v {
		mx = math.Max(mx, x)
	}
	sum := 0.0
	for i, x := range v {
		v[i] = math.Exp(x - mx)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

// TrainOptions tune Train; the zero value gives the defaults.
type TrainOptions struct {
	Epochs int     // passes over the samples (default 40)
	Rate   float64 // initial learning rate (default 0.5)
	L2     float64 // weight decay per step (default 1e-6)
	Seed   uint64  // the order of the samples in each pass (default 1)
}

// Train fits a model to the samples xs (features) with labels ys (indexes
// into classes) by stochastic gradient descent on the cross-entropy, each
// class weighted by the inverse of its frequency so that rare kinds count.
// It is deterministic: the same samples and options give the same model.
func Train(classes []string, xs [][]uint32, ys []int, o TrainOptions) (*Model, error) {
	if len(xs) != len(ys) || len(xs) == 0 {
		return nil, fmt.Errorf("model: %d samples and %d labels", len(xs), len(ys))
	}
	if o.Epochs == 0 {
		o.Epochs = 40
	}
	if o.Rate == 0 {
		o.Rate = 0.5
	}
	if o.L2 == 0 {
		o.L2 = 1e-6
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	k := len(classes)
	m := &Model{Classes: append([]string(nil), classes...), w: make([]float32, k*Dim), b: make([]float32, k)}
	count := make([]float64, k)
	for _, y := range ys {
		if y < 0 || y >= k {
			return nil, fmt.Errorf("model: label %d out of range", y)
		}
		count[y]++
	}
	weight := make([]float64, k)
	for c := range weight {
		if count[c] > 0 {
			weight[c] = float64(len(ys)) / (float64(k) * count[c])
		}
	}
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x50ec17))
	step := 0
	total := o.Epochs * len(xs)
	for e := 0; e < o.Epochs; e++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			rate := o.Rate * (1 - float64(step)/float64(total+1))
			step++
			f := xs[i]
			p := m.Predict(f)
			scale := 1.0
			if len(f) > 0 {
				scale = 1 / math.Sqrt(float64(len(f)))
			}
			for c := 0; c < k; c++ {
				g := p[c]
				if c == ys[i] {
					g -= 1
				}
				g *= weight[ys[i]] * rate
				if g == 0 {
					continue
				}
				row := m.w[c*Dim : (c+1)*Dim]
				d := float32(g * scale)
				for _, j := range f {
					row[j] -= d
				}
				m.b[c] -= float32(g)
			}
		}
		// weight decay once a pass, over every weight
		decay := float32(1 - o.L2*float64(len(xs)))
		for i := range m.w {
			m.w[i] *= decay
		}
	}
	return m, nil
}

// The binary form: "SOLM1", the class count and names, Dim, then per class
// a float32 scale and Dim int16 weights (weight = int16 × scale), then the
// float32 biases. Little-endian throughout.
var magic = []byte("SOLM1")

// Encode returns the model in its binary form. Weights are stored as 16-bit
// integers scaled per class: the loss against float32 is below 1/30000 of
// the largest weight.
func (m *Model) Encode() []byte {
	var buf bytes.Buffer
	buf.Write(magic)
	le := binary.LittleEndian
	buf.Write(le.AppendUint16(nil, uint16(len(m.Classes))))
	for _, c := range m.Classes {
		buf.WriteByte(byte(len(c)))
		buf.WriteString(c)
	}
	buf.Write(le.AppendUint32(nil, Dim))
	for c := range m.Classes {
		row := m.w[c*Dim : (c+1)*Dim]
		var mx float32
		for _, x := range row {
			mx = max(mx, float32(math.Abs(float64(x))))
		}
		scale := mx / 32767
		if scale == 0 {
			scale = 1
		}
		buf.Write(le.AppendUint32(nil, math.Float32bits(scale)))
		q := make([]byte, 0, 2*Dim)
		for _, x := range row {
			q = le.AppendUint16(q, uint16(int16(math.Round(float64(x/scale)))))
		}
		buf.Write(q)
	}
	for _, b := range m.b {
		buf.Write(le.AppendUint32(nil, math.Float32bits(b)))
	}
	return buf.Bytes()
}

// ErrFormat is wrapped by every error of Decode.
var ErrFormat = errors.New("model: not a model file")

// Decode reads a model in the form Encode writes.
func Decode(data []byte) (*Model, error) {
	le := binary.LittleEndian
	if !bytes.HasPrefix(data, magic) {
		return nil, fmt.Errorf("%w: no %q header", ErrFormat, magic)
	}
	p := data[len(magic):]
	need := func(n int) error {
		if len(p) < n {
			return fmt.Errorf("%w: truncated", ErrFormat)
		}
		return nil
	}
	if err := need(2); err != nil {
		return nil, err
	}
	k := int(le.Uint16(p))
	p = p[2:]
	if k < 2 || k > 64 {
		return nil, fmt.Errorf("%w: %d classes", ErrFormat, k)
	}
	m := &Model{}
	for range k {
		if err := need(1); err != nil {
			return nil, err
		}
		n := int(p[0])
		if err := need(1 + n); err != nil {
			return nil, err
		}
		m.Classes = append(m.Classes, string(p[1:1+n]))
		p = p[1+n:]
	}
	if err := need(4); err != nil {
		return nil, err
	}
	if d := le.Uint32(p); d != Dim {
		return nil, fmt.Errorf("%w: %d buckets, this build hashes into %d", ErrFormat, d, Dim)
	}
	p = p[4:]
	if err := need(k*(4+2*Dim) + 4*k); err != nil {
		return nil, err
	}
	m.w = make([]float32, k*Dim)
	for c := 0; c < k; c++ {
		scale := math.Float32frombits(le.Uint32(p))
		p = p[4:]
		row := m.w[c*Dim : (c+1)*Dim]
		for i := range row {
			row[i] = float32(int16(le.Uint16(p[2*i:]))) * scale
		}
		p = p[2*Dim:]
	}
	m.b = make([]float32, k)
	for c := range m.b {
		m.b[c] = math.Float32frombits(le.Uint32(p[4*c:]))
	}
	return m, nil
}
