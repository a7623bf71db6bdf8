package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromium finds Debian's headless browser: it fails the test under CI
// when missing (.ci/run installs it), and skips it elsewhere.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but chromium is not installed: .ci/run must install it")
	}
	t.Skip("chromium not installed (apt-get install chromium): the browser test is skipped")
	return ""
}

// browse runs headless Chromium on url with extra flags and returns its
// standard output.
func browse(t *testing.T, bin, url string, extra ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
		"--hide-scrollbars", "--user-data-dir=" + t.TempDir()}, extra...)
	cmd := exec.CommandContext(ctx, bin, append(args, url)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %s: %v\n%s", url, err, stderr.String())
	}
	return stdout.Bytes()
}

// TestWebPageInBrowser serves the page over the ledger the demo's engine
// filled, and reads it with a real browser: the rendered DOM shows the
// invoices, their states, the timeline and how a reply was read, and the
// screenshot is a real picture of the page.
func TestWebPageInBrowser(t *testing.T) {
	bin := chromium(t)
	cfgPath := demoLedger(t)
	a, err := openLedgerApp(context.Background(), cfgPath, demoViewsEnd, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	defer a.db.Close()
	srv, err := startWeb("127.0.0.1:0", a.cfg, a.eng, a.now, newLogger(os.Stderr, slog.LevelError))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	base := "http://" + srv.Addr()

	list := string(browse(t, bin, base+"/", "--dump-dom"))
	for _, want := range []string{
		`<table id="invoices">`, "2026/101", "2026/102", "2026/104", "INV-2026-105",
		"contestata: decide il titolare", "pagata", "in mano al titolare", "€ 850,00", "€ 0,00", "61–90", "31–60",
	} {
		if !strings.Contains(list, want) {
			t.Errorf("the list page's DOM lacks %q", want)
		}
	}
	rows, err := a.eng.Find(context.Background(), "2026/102")
	if err != nil || len(rows) != 1 {
		t.Fatalf("find 2026/102: %v %v", rows, err)
	}
	page := "/invoice/" + strconv.FormatInt(rows[0].ID, 10)
	if !strings.Contains(list, `href="`+page+`"`) {
		t.Errorf("the list does not link to %s", page)
	}
	inv := string(browse(t, bin, base+page, "--dump-dom"))
	for _, want := range []string{
		"Fattura 2026/102", `<ol class="timeline" id="timeline">`,
		"primo sollecito", "risposta letta come: promessa di pagamento", "promise: \"pagheremo\"", // a timeline entry and the reading of a reply
		"il cliente contesta la fattura: nessun sollecito", "contestazione inoltrata", "perché:",
	} {
		if !strings.Contains(inv, want) {
			t.Errorf("the invoice page's DOM lacks %q", want)
		}
	}

	for _, shot := range []struct {
		name, path string
		w, h       int
	}{
		{"list.png", "/", 1280, 800},
		{"invoice-phone.png", page, 390, 1400},
	} {
		file := filepath.Join(t.TempDir(), shot.name)
		browse(t, bin, base+shot.path, "--screenshot="+file, fmt.Sprintf("--window-size=%d,%d", shot.w, shot.h))
		checkScreenshot(t, file, shot.w, shot.h)
		if dir := os.Getenv("SOLLECITO_SCREENSHOTS"); dir != "" {
			b, _ := os.ReadFile(file)
			os.WriteFile(filepath.Join(dir, shot.name), b, 0o644)
		}
	}
}

// checkScreenshot checks that file is a PNG of the window's size showing a
// page: many colours, and both the header's dark band and a light body.
func checkScreenshot(t *testing.T, file string, w, h int) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s is not a PNG: %v", file, err)
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		t.Errorf("%s is %dx%d, want %dx%d", file, b.Dx(), b.Dy(), w, h)
	}
	colours := map[[3]uint32]bool{}
	dark, light := 0, 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			switch lum := (r + g + bl) / 3 >> 8; {
			case lum < 90:
				dark++
			case lum > 230:
				light++
			}
		}
	}
	if len(colours) < 50 || dark == 0 || light == 0 {
		t.Errorf("%s looks blank: %d colours, %d dark and %d light samples", file, len(colours), dark, light)
	}
	if !headerDark(img) {
		t.Errorf("%s: no dark header band at the top: the stylesheet did not apply (CSP?)", file)
	}
}

// headerDark reports whether the page's top-left corner shows the header's
// dark blue, which only the stylesheet paints.
func headerDark(img image.Image) bool {
	r, g, b, _ := img.At(3, 3).RGBA()
	return r>>8 < 60 && g>>8 < 80 && b>>8 > 60 && b>>8 < 120
}

// TestWebRefusesOpenAddressWithoutAuth: `run --http` beyond loopback
// without [http] credentials stops before serving anything.
func TestWebRefusesOpenAddressWithoutAuth(t *testing.T) {
	cfgPath := demoLedger(t)
	code, _, errs := run(t, "run", "--config", cfgPath, "--http", "0.0.0.0:0")
	if code != 1 || !strings.Contains(errs, "username") || !strings.Contains(errs, "loopback") {
		t.Errorf("run --http 0.0.0.0:0 without credentials: exit %d, %q", code, errs)
	}
	if code, _, errs := run(t, "run", "--config", cfgPath, "--once", "--http", "127.0.0.1:0"); code != 2 {
		t.Errorf("run --once --http: exit %d, want 2 (%s)", code, errs)
	}
}
