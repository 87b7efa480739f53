package assets

import (
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
