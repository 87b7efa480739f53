package assets

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// rules holds assets/rules: the evolved rule files (*.npz) and a README that
// keeps the pattern matching while there are none.
//
//go:embed rules
var rules embed.FS

// RuleFiles lists the names of the bundled rule files (e.g.
// "quadruped-hebbian.npz"), sorted.
func RuleFiles() []string {
	ents, err := fs.ReadDir(rules, "rules")
	if err != nil {
		panic("assets: " + err.Error()) // the embedded directory always exists
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".npz") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

// Open returns the bytes of a bundled rule file. name may omit ".npz".
func Open(name string) ([]byte, error) {
	if !strings.HasSuffix(name, ".npz") {
		name += ".npz"
	}
	if name != path.Base(name) {
		return nil, fmt.Errorf("assets: %q is not a bundled rule file name", name)
	}
	b, err := rules.ReadFile("rules/" + name)
	if err != nil {
		return nil, fmt.Errorf("assets: no bundled rule file %q (bundled: %s)", name, list())
	}
	return b, nil
}

// Has reports whether name (with or without ".npz") is a bundled rule file.
func Has(name string) bool {
	_, err := Open(name)
	return err == nil
}

func list() string {
	if f := RuleFiles(); len(f) > 0 {
		return strings.Join(f, ", ")
	}
	return "none yet"
}
