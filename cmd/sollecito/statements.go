package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/sollecito/sollecito/policy/bank"
)

// statementFolder imports the bank statements that appear in
// payments.folder (where a home-banking download or a sync with the bank
// puts them), before each pass decides any reminder. A file is read once
// per run of the daemon (once per name, size and time of change); reading
// one again after a restart changes nothing, since each credit is recorded
// once whatever overlaps. A file still being written (changed in the last
// seconds) waits for the next pass; one that is not a statement is logged
// once and left where it is.
type statementFolder struct {
	dir  string
	seen map[string]bool
	// wall is the clock a file's modification time is compared with: the
	// file system's, not the business clock run --now may fix.
	wall func() time.Time
}

// settle is how long a file must stay unchanged before it is read.
const settle = 3 * time.Second

// importNew imports the files of the folder not read in this run, and
// reports how many it read.
func (f *statementFolder) importNew(ctx context.Context, a *app) (int, error) {
	if f == nil || f.dir == "" {
		return 0, nil
	}
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return 0, fmt.Errorf("payments.folder: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	read := 0
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		key := fmt.Sprintf("%s|%d|%d", e.Name(), fi.Size(), fi.ModTime().UnixNano())
		if f.seen[key] || f.wall().Sub(fi.ModTime()) < settle {
			continue
		}
		f.seen[key] = true
		path := filepath.Join(f.dir, e.Name())
		data, err := readLimited(path, bank.MaxStatementSize)
		if err != nil {
			a.log.Warn("statement file not read", "file", path, "err", err)
			continue
		}
		credits, err := bank.ParseStatement(data, a.cfg.CSVColumns())
		if err != nil {
			a.log.Warn("not a bank statement; left alone", "file", path, "err", err)
			continue
		}
		r, err := a.eng.ImportCredits(ctx, path, credits)
		if err != nil {
			delete(f.seen, key) // the ledger failed: try again next pass
			return read, fmt.Errorf("%s: %w", path, err)
		}
		read++
		a.log.Info("statement imported", "file", path, "credits", r.Read, "new", r.New, "paid", r.Paid, "to_confirm", r.Probable, "unmatched", r.None)
	}
	return read, nil
}
