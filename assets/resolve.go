package assets

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// Resolve says what a rule-file argument (hebb's --rules, hebbsim's
// --rules) names: a file on disk when one exists at that path (path set),
// else a bundled rule file (bundled set to its name with ".npz"). The app
// and the tool both resolve through it, so a name one accepts the other
// accepts too.
func Resolve(name string) (path, bundled string, err error) {
	if name == "" {
		return "", "", fmt.Errorf("no rule file given (a path or a bundled name: %s)", list())
	}
	if st, err := os.Stat(name); err == nil {
		if st.IsDir() {
			return "", "", fmt.Errorf("%s is a directory, not a rule file", name)
		}
		return name, "", nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", "", fmt.Errorf("%s: %v", name, errors.Unwrap(err))
	}
	if Has(name) {
		if !strings.HasSuffix(name, ".npz") {
			name += ".npz"
		}
		return "", name, nil
	}
	return "", "", fmt.Errorf("no rule file %q: neither a file nor a bundled rule file (bundled: %s)", name, list())
}
