package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sollecito/sollecito/reply/model"
)

// TestModelReproducible trains again from the folders reply/model.txt
// names and finds the very model the reply package embeds: the model is
// made from the repository's training split by one command, nothing else.
func TestModelReproducible(t *testing.T) {
	root := filepath.Join("..", "..")
	manifest, err := os.ReadFile(filepath.Join(root, "reply", "model.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	epochs := 0
	for _, line := range strings.Split(string(manifest), "\n") {
		if d, ok := strings.CutPrefix(line, "dir "); ok {
			dirs = append(dirs, filepath.Join(root, filepath.FromSlash(d)))
		}
		if e, ok := strings.CutPrefix(line, "epochs "); ok {
			epochs, _ = strconv.Atoi(e)
		}
	}
	if len(dirs) == 0 {
		t.Fatal("reply/model.txt names no folder")
	}
	for _, d := range dirs {
		if strings.Contains(filepath.ToSlash(d), "/test/") {
			t.Fatalf("the model was trained on a test folder: %s", d)
		}
	}
	got, n, err := train(dirs, model.TrainOptions{Epochs: epochs})
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(root, "reply", "model.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("training on the %d replies of %v does not give reply/model.bin: run go run ./cmd/trainreplies -o reply/model.bin %s", n, dirs, strings.Join(dirs, " "))
	}
}
