package reply

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/sollecito/sollecito/mailbox/message"
	"github.com/sollecito/sollecito/reply/model"
)

// modelData is the learned reader, trained by
//
//	go run ./cmd/trainreplies -o reply/model.bin reply/testdata/corpus/train/*/
//
// from the training split only.
//
//go:embed model.bin
var modelData []byte

// learned decodes the embedded model once, at its first use (never at
// start-up).
var learned = sync.OnceValues(func() (*model.Model, error) {
	m, err := model.Decode(modelData)
	if err != nil {
		return nil, fmt.Errorf("reply: embedded model: %w", err)
	}
	for _, c := range m.Classes {
		if !isKind(Kind(c)) {
			return nil, fmt.Errorf("reply: embedded model: unknown kind %q", c)
		}
	}
	return m, nil
})

func isKind(k Kind) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// ModelInput is what the learned reader reads of a message: its subject
// and the writer's own text (quotes, signatures and disclaimers removed;
// the whole body when nothing is left). Training reads the same.
func ModelInput(m *message.Message) (subject, text string) {
	m = pecContent(m)
	return m.Subject, modelText(textsOf(m))
}

// modelText is the text the learned reader reads: the writer's own, or
// the whole body when the writer added nothing above a quote.
func modelText(t texts) string {
	if strings.TrimSpace(t.own) == "" {
		return t.body
	}
	return t.own
}

// Reading is the learned reader's opinion of a message: the most likely
// kind and the probability of each.
type Reading struct {
	Kind Kind
	P    float64          // the probability of Kind
	All  map[Kind]float64 // every kind's probability
}

// Learned returns the learned reader's reading of a message. It fails
// only when the embedded model cannot be read (a broken build).
func Learned(m *message.Message) (Reading, error) {
	m = pecContent(m)
	return learnedReading(m.Subject, textsOf(m))
}

func learnedReading(subject string, t texts) (Reading, error) {
	lm, err := learned()
	if err != nil {
		return Reading{}, err
	}
	p := lm.Predict(model.Features(subject, modelText(t)))
	r := Reading{All: make(map[Kind]float64, len(p))}
	for i, c := range lm.Classes {
		r.All[Kind(c)] = p[i]
		if p[i] > r.P {
			r.Kind, r.P = Kind(c), p[i]
		}
	}
	return r, nil
}
