package game

import (
	"errors"
	"path"
	"strings"
	"sync"

	"github.com/hebbsim/hebbsim/brain"
	"github.com/hebbsim/hebbsim/game/model"
)

// memDir prefixes the names of rule files held in memory: files dropped
// without a path and files picked in the browser, which has no file system
// the app can read. The prefix makes them look like absolute paths so the
// model treats them as any other file.
const memDir = "/picked/"

// memLoader is the app's rule loader on both platforms: model.FileLoader
// (disk and the bundled files) plus files given as bytes.
type memLoader struct {
	model.FileLoader
	mu    sync.Mutex
	files map[string][]byte
}

func newMemLoader() *memLoader { return &memLoader{files: map[string][]byte{}} }

// Add keeps b under a name of its own and returns the path to load.
func (l *memLoader) Add(name string, b []byte) string {
	p := memDir + path.Base(strings.ReplaceAll(name, "\\", "/"))
	l.mu.Lock()
	l.files[p] = b
	l.mu.Unlock()
	return p
}

// Load implements model.RuleLoader.
func (l *memLoader) Load(p string) (*model.Rules, error) {
	if !strings.HasPrefix(p, memDir) {
		return l.FileLoader.Load(p)
	}
	l.mu.Lock()
	b, ok := l.files[p]
	l.mu.Unlock()
	if !ok {
		return nil, errors.New("a picked or dropped file is kept only while the app runs: pick it again")
	}
	rf, err := brain.Decode(b)
	if err != nil {
		return nil, err
	}
	r, err := model.RulesFromFile(rf, path.Base(p))
	if err != nil {
		return nil, err
	}
	r.Path = p
	return r, nil
}

// pruneRecent drops in-memory files from a remembered recent list: they
// are gone after a restart.
func pruneRecent(s *model.Settings) {
	out := s.Recent[:0]
	for _, r := range s.Recent {
		if !strings.HasPrefix(r, memDir) {
			out = append(out, r)
		}
	}
	s.Recent = out
}
