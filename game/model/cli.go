package model

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hebbsim/hebbsim/internal/flagcheck"
)

// Flags are hebbsim's command-line flags. They live here, without a
// display, because two programs parse them: the launcher cmd/hebbsim
// (which must not import Ebitengine: it panics at init without a display)
// checks them before it looks for a display, and cmd/hebbsim-app reads
// them again to open the window. Zero values mean "not given": the
// remembered setting (or the default) is used.
type Flags struct {
	Rules    string        // rule file or bundled name to load at start
	Scene    string        // scene to open ("" remembered)
	Seed     int64         // first episode seed (0: not given, 1)
	Speed    int           // speed rung; -1: not given (remembered)
	FPSTest  time.Duration // measure the frame rate this long, print, exit (0: off)
	ShotsDir string        // F12 screenshot directory
	Width    int           // window size (0: remembered)
	Height   int
	State    string // hidden: write the app state as JSON here (tests)
	Tour     bool   // start the guided tour
	TourFile string // the tour's text from this JSON file (a translation of assets/tour/en.json)
	Pin      string // hidden: a synapse under the microscope at start, LAYER:I:J (frame-rate tests)
}

// Window and test limits of the command line.
const (
	FlagMinWidth   = MinW // the smallest window the layout allows (screen.go)
	FlagMaxWidth   = 7680
	FlagMinHeight  = MinH
	FlagMaxHeight  = 4320
	FlagMinFPSTest = time.Second
	FlagMaxFPSTest = time.Hour
)

// ErrHelp is returned by ParseFlags for -h, -help and --help: the usage
// has been written and the program should exit 0.
var ErrHelp = flag.ErrHelp

// ParseFlags parses args (without the program name) and checks every
// value given against its valid range (internal/flagcheck). help receives
// the usage on --help. A bad value returns one line naming the flag and
// what is valid.
func ParseFlags(args []string, help io.Writer) (Flags, error) {
	f := Flags{Speed: -1}
	fs := flag.NewFlagSet("hebbsim", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are returned as one line, not printed with the usage
	fs.StringVar(&f.Rules, "rules", "", "rule file (.npz) or bundled name to load at start")
	fs.StringVar(&f.Scene, "scene", "", "scene to open: "+strings.Join(sceneNames(), " or ")+" (default: the last one)")
	fs.Int64Var(&f.Seed, "seed", 0, "seed of the first episode, ≥ 1 (default 1)")
	fs.IntVar(&f.Speed, "speed", -1, fmt.Sprintf("speed rung 0..%d (⅛× … 8×; 3 is 1×; default: the last one)", len(Speeds)-1))
	fs.DurationVar(&f.FPSTest, "fps-test", 0, fmt.Sprintf("measure the frame rate for this long (%v … %v) after a 3 s warm-up, print fps_median=NN and exit", FlagMinFPSTest, FlagMaxFPSTest))
	fs.StringVar(&f.ShotsDir, "shots", "", "directory for F12 screenshots (default: the last one, else the current directory)")
	fs.IntVar(&f.Width, "width", 0, fmt.Sprintf("window width %d..%d (default: the last one, 1280)", FlagMinWidth, FlagMaxWidth))
	fs.IntVar(&f.Height, "height", 0, fmt.Sprintf("window height %d..%d (default: the last one, 720)", FlagMinHeight, FlagMaxHeight))
	fs.BoolVar(&f.Tour, "tour", false, "start the guided tour (T in the app)")
	fs.StringVar(&f.TourFile, "tour-file", "", "the tour's text from this JSON file (a translation of assets/tour/en.json)")
	fs.StringVar(&f.State, "state-file", "", "") // hidden: tests
	fs.StringVar(&f.Pin, "pin", "", "")          // hidden: frame-rate tests with the microscope open
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeUsage(help, fs)
			return f, ErrHelp
		}
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: "); ok {
			msg = "unknown flag " + name
		}
		return f, fmt.Errorf("%s (hebbsim --help lists the flags)", msg)
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected argument %q (hebbsim takes only flags; --help lists them)", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	var errs []error
	if set["scene"] {
		errs = append(errs, flagcheck.OneOf("scene", f.Scene, sceneNames()))
	}
	if set["seed"] {
		errs = append(errs, flagcheck.IntMin("seed", int(f.Seed), 1))
	}
	if set["speed"] {
		errs = append(errs, flagcheck.Int("speed", f.Speed, 0, len(Speeds)-1))
	}
	if set["fps-test"] {
		errs = append(errs, flagcheck.Duration("fps-test", f.FPSTest, FlagMinFPSTest, FlagMaxFPSTest))
	}
	if set["width"] {
		errs = append(errs, flagcheck.Int("width", f.Width, FlagMinWidth, FlagMaxWidth))
	}
	if set["height"] {
		errs = append(errs, flagcheck.Int("height", f.Height, FlagMinHeight, FlagMaxHeight))
	}
	if set["rules"] && strings.TrimSpace(f.Rules) == "" {
		errs = append(errs, errors.New(`--rules "" is empty: want a rule file (.npz) or a bundled name`))
	}
	if set["tour-file"] {
		// Read and checked here, so the launcher says what is wrong with
		// a translation before any window opens.
		if b, err := os.ReadFile(f.TourFile); err != nil {
			errs = append(errs, fmt.Errorf("--tour-file: %w", err))
		} else if _, err := ParseTour(b); err != nil {
			errs = append(errs, fmt.Errorf("--tour-file %s: %w", f.TourFile, err))
		}
	}
	if set["pin"] {
		if _, err := ParsePin(f.Pin); err != nil {
			errs = append(errs, fmt.Errorf("--pin: %w", err))
		}
	}
	return f, flagcheck.First(errs...)
}

func writeUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: hebbsim [flags]\n\nThe hebbsim simulator: networks that start from random weights organise\nthemselves through evolved Hebbian rules into a walking or driving body.\nPress F1 in the app for the keys. It needs an X display; without one, run\nit under xvfb-run, open the web build (make serve), or use the headless\ntool hebb.\n\n")
	fs.VisitAll(func(fl *flag.Flag) {
		if fl.Usage == "" {
			return
		}
		fmt.Fprintf(w, "  --%-10s %s\n", fl.Name, fl.Usage)
	})
}

// sceneNames are the app's scenes, from the registry.
func sceneNames() []string {
	var out []string
	for _, s := range Specs() {
		out = append(out, s.Name)
	}
	return out
}
