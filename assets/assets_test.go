package assets

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRuleFilesOpen(t *testing.T) {
	for _, name := range RuleFiles() {
		if !strings.HasSuffix(name, ".npz") {
			t.Errorf("RuleFiles lists %q, not an .npz", name)
		}
		b, err := Open(name)
		if err != nil || len(b) == 0 {
			t.Errorf("Open(%q): %d bytes, err %v", name, len(b), err)
		}
		if !Has(strings.TrimSuffix(name, ".npz")) {
			t.Errorf("Has(%q) without extension is false", name)
		}
	}
	for _, bad := range []string{"no-such-rule", "../assets.go", "README.md", "rules/x.npz"} {
		if _, err := Open(bad); err == nil {
			t.Errorf("Open(%q) succeeded", bad)
		} else {
			t.Logf("Open(%q): %v", bad, err)
		}
	}
}

func TestResolveFindsFilesThenBundledNames(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.npz")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	names := RuleFiles()
	if len(names) == 0 {
		t.Skip("no bundled rule files")
	}
	bare := strings.TrimSuffix(names[0], ".npz")
	for _, c := range []struct {
		arg, path, bundled, err string
	}{
		{file, file, "", ""},
		{bare, "", names[0], ""},
		{names[0], "", names[0], ""},
		{dir, "", "", "is a directory"},
		{filepath.Join(dir, "none.npz"), "", "", "neither a file nor a bundled rule file"},
		{"", "", "", "no rule file given"},
	} {
		p, b, err := Resolve(c.arg)
		if p != c.path || b != c.bundled || (err == nil) != (c.err == "") || (err != nil && !strings.Contains(err.Error(), c.err)) {
			t.Errorf("Resolve(%q): have %q, %q, %v; want %q, %q, error containing %q", c.arg, p, b, err, c.path, c.bundled, c.err)
		}
	}
}
