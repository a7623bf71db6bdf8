// Command trainreplies trains the learned reply reader (reply/model) on
// labelled folders in the corpus format and writes the model file that the
// reply package embeds. Train only on the training split: the test split
// (reply/testdata/corpus/test/) and ../shared/corpus/replies/ are for
// measuring.
//
// Usage:
//
//	go run ./cmd/trainreplies [-o reply/model.bin] [-cv 5] DIR...
//
// With -cv K it first reports K-fold cross-validated accuracy over the
// given folders (each fold trained on the others), then trains on all.
// The same folders always give the same model.
package main

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sollecito/sollecito/reply"
	"github.com/sollecito/sollecito/reply/corpuseval"
	"github.com/sollecito/sollecito/reply/model"
)

type sample struct {
	c corpuseval.Case
	x []uint32
	y int
}

func main() {
	out := flag.String("o", filepath.Join("reply", "model.bin"), "where to write the model")
	cv := flag.Int("cv", 0, "report K-fold cross-validated accuracy first (0: none)")
	epochs := flag.Int("epochs", 0, "passes over the samples (0: the default)")
	misses := flag.Bool("misses", false, "with -cv, list the held-back replies the bot (reply.DefaultThresholds) reads wrong, dangerous ones first")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: trainreplies [-o FILE] [-cv K] DIR...\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	dirs := flag.Args()
	sort.Strings(dirs)
	for _, d := range dirs {
		if strings.Contains(filepath.ToSlash(d), "/test/") || strings.Contains(filepath.ToSlash(d), "shared/corpus") {
			fmt.Fprintf(os.Stderr, "trainreplies: %s is a test set: never train on it\n", d)
			os.Exit(2)
		}
	}
	opts := model.TrainOptions{Epochs: *epochs}
	if *cv > 1 {
		samples, classes, err := loadAll(dirs)
		if err != nil {
			fmt.Fprintf(os.Stderr, "trainreplies: %v\n", err)
			os.Exit(1)
		}
		crossValidate(samples, classes, *cv, opts, *misses)
	}
	data, n, err := train(dirs, opts)
	if err != nil {
		fmt.Fprintf(os.Stderr, "trainreplies: %v\n", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "trainreplies: %v\n", err)
		os.Exit(1)
	}
	manifest := strings.TrimSuffix(*out, filepath.Ext(*out)) + ".txt"
	if err := os.WriteFile(manifest, []byte(manifestText(dirs, n, *epochs, data)), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "trainreplies: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("trained on %d replies from %d folders; wrote %s (%d bytes) and %s\n", n, len(dirs), *out, len(data), manifest)
}

// manifestText says how the model file was made, so that a test (and
// anyone) can make it again and compare.
func manifestText(dirs []string, n, epochs int, data []byte) string {
	sum := sha256.Sum256(data)
	var b strings.Builder
	b.WriteString("# The learned reply reader (model.bin beside this file), made from the training split by:\n")
	fmt.Fprintf(&b, "#   go run ./cmd/trainreplies -o reply/model.bin%s %s\n", epochFlag(epochs), strings.Join(dirs, " "))
	fmt.Fprintf(&b, "epochs %d\n", epochs)
	for _, d := range dirs {
		fmt.Fprintf(&b, "dir %s\n", filepath.ToSlash(d))
	}
	fmt.Fprintf(&b, "replies %d\nsha256 %x\n", n, sum)
	return b.String()
}

func epochFlag(epochs int) string {
	if epochs == 0 {
		return ""
	}
	return fmt.Sprintf(" -epochs %d", epochs)
}

// loadAll reads the folders, in the order given, and names the classes.
func loadAll(dirs []string) ([]sample, []string, error) {
	classes := make([]string, len(reply.Kinds))
	index := map[reply.Kind]int{}
	for i, k := range reply.Kinds {
		classes[i], index[k] = string(k), i
	}
	var samples []sample
	for _, d := range dirs {
		s, err := load(d, index)
		if err != nil {
			return nil, nil, err
		}
		samples = append(samples, s...)
	}
	return samples, classes, nil
}

// train trains on every reply of dirs and returns the encoded model and
// the number of replies.
func train(dirs []string, opts model.TrainOptions) ([]byte, int, error) {
	samples, classes, err := loadAll(dirs)
	if err != nil {
		return nil, 0, err
	}
	xs := make([][]uint32, len(samples))
	ys := make([]int, len(samples))
	for i, s := range samples {
		xs[i], ys[i] = s.x, s.y
	}
	m, err := model.Train(classes, xs, ys, opts)
	if err != nil {
		return nil, 0, err
	}
	return m.Encode(), len(samples), nil
}

// crossValidate trains K models, each on all folds but one, and reports
// over the held-back folds the model alone and the bot (rules and model
// together, reply.Decide) under reply.DefaultThresholds and the ten best
// of a grid of others with no more dangerous errors: what to choose
// reply.DefaultThresholds by, on training data only.
func crossValidate(samples []sample, classes []string, k int, opts model.TrainOptions, misses bool) {
	thresholds := []reply.Thresholds{reply.DefaultThresholds} // first: the one -misses lists
	for _, alone := range []float64{0, 0.6, 0.8} {
		for _, min := range []float64{0.2, 0.3, 0.5} {
			for _, promise := range []float64{0, 0.6, 0.7, 0.8} {
				for _, redirect := range []float64{0, 0.6, 0.8} {
					for _, nr := range []float64{0, 0.6, 0.7, 0.8} {
						thresholds = append(thresholds, reply.Thresholds{Min: min, Alone: alone, Promise: promise, Redirect: redirect, NotReceived: nr})
					}
				}
			}
		}
	}
	verdicts := make([][]reply.Verdict, len(thresholds))
	for t := range verdicts {
		verdicts[t] = make([]reply.Verdict, len(samples))
	}
	cases := make([]corpuseval.Case, len(samples))
	correct := 0
	for fold := 0; fold < k; fold++ {
		var trx [][]uint32
		var tr []int
		for i, s := range samples {
			if i%k != fold {
				trx, tr = append(trx, s.x), append(tr, s.y)
			}
		}
		m, err := model.Train(classes, trx, tr, opts)
		if err != nil {
			fmt.Fprintf(os.Stderr, "trainreplies: %v\n", err)
			os.Exit(1)
		}
		for i, s := range samples {
			if i%k != fold {
				continue
			}
			cases[i] = s.c
			p := m.Predict(s.x)
			if argmax(p) == s.y {
				correct++
			}
			r := reply.Reading{All: map[reply.Kind]float64{}}
			for j, c := range classes {
				r.All[reply.Kind(c)] = p[j]
				if p[j] > r.P {
					r.Kind, r.P = reply.Kind(c), p[j]
				}
			}
			v, certain := reply.Rules(s.c.Msg, corpuseval.Context(reply.Context{}, s.c))
			for t, th := range thresholds {
				verdicts[t][i] = reply.Decide(s.c.Msg, v, certain, r, th)
			}
		}
	}
	if misses {
		// What the bot, as it ships, reads wrong on replies its model did
		// not see: dangerous errors first.
		for _, dangerous := range []bool{true, false} {
			for i, v := range verdicts[0] {
				l := cases[i].Label
				if v.Kind == l.Kind || corpuseval.Dangerous(l.Kind, v.Kind) != dangerous {
					continue
				}
				tag := "miss"
				if dangerous {
					tag = "DANGEROUS"
				}
				fmt.Printf("%s %s: want %s, got %s (guess %s %.0f%%)\n", tag, l.File, l.Kind, v.Kind, v.Guess, 100*v.GuessConfidence)
			}
		}
	}
	fmt.Printf("%d-fold cross-validation over %d training replies\n", k, len(samples))
	fmt.Printf("  the model alone: %s\n", corpuseval.Pct(correct, len(samples)))
	// The thresholds as shipped, then the best others that make no more
	// dangerous errors: a grid of hundreds is not read line by line.
	scores := make([]corpuseval.Scores, len(thresholds))
	for t := range thresholds {
		scores[t], _ = corpuseval.Score(cases, verdicts[t])
	}
	line := func(t int) string {
		th := thresholds[t]
		return fmt.Sprintf("Min %.2f Alone %.2f Promise %.2f Redirect %.2f NotReceived %.2f: %s", th.Min, th.Alone, th.Promise, th.Redirect, th.NotReceived, scores[t].Line())
	}
	fmt.Printf("  the bot as shipped, %s\n", line(0))
	var others []int
	for t := 1; t < len(thresholds); t++ {
		if scores[t].Dangerous <= scores[0].Dangerous {
			others = append(others, t)
		}
	}
	sort.SliceStable(others, func(i, j int) bool { return scores[others[i]].Correct > scores[others[j]].Correct })
	for _, t := range others[:min(len(others), 10)] {
		fmt.Printf("  the bot, %s\n", line(t))
	}
}

func argmax(p []float64) int {
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	return best
}

// load reads one labelled folder.
func load(dir string, index map[reply.Kind]int) ([]sample, error) {
	cases, err := corpuseval.Load(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	var out []sample
	for _, c := range cases {
		if c.Err != nil {
			return nil, fmt.Errorf("%s: %w", dir, c.Err)
		}
		y, ok := index[c.Label.Kind]
		if !ok {
			return nil, fmt.Errorf("%s: %s: unknown kind %q", dir, c.Label.File, c.Label.Kind)
		}
		subject, text := reply.ModelInput(c.Msg)
		out = append(out, sample{c: c, x: model.Features(subject, text), y: y})
	}
	return out, nil
}
