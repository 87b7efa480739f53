package flagcheck

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Int checks lo ≤ v ≤ hi.
func Int(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("--%s %d is out of range: want an integer in [%d, %d]", name, v, lo, hi)
	}
	return nil
}

// IntMin checks v ≥ lo (no upper bound).
func IntMin(name string, v, lo int) error {
	if v < lo {
		return fmt.Errorf("--%s %d is out of range: want an integer ≥ %d", name, v, lo)
	}
	return nil
}

// Float checks lo ≤ v ≤ hi; NaN and infinities are refused.
func Float(name string, v, lo, hi float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < lo || v > hi {
		return fmt.Errorf("--%s %v is out of range: want a number in [%v, %v]", name, v, lo, hi)
	}
	return nil
}

// Positive checks v > 0 and finite.
func Positive(name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		return fmt.Errorf("--%s %v is out of range: want a number > 0", name, v)
	}
	return nil
}

// Duration checks lo ≤ v ≤ hi (hi 0: no upper bound).
func Duration(name string, v, lo, hi time.Duration) error {
	if v < lo || (hi > 0 && v > hi) {
		if hi > 0 {
			return fmt.Errorf("--%s %v is out of range: want a duration in [%v, %v]", name, v, lo, hi)
		}
		return fmt.Errorf("--%s %v is out of range: want a duration ≥ %v", name, v, lo)
	}
	return nil
}

// IntIn checks lo ≤ v ≤ hi for a number inside a longer flag value (the
// step of "FL:shorten@300"); the message shows the whole value and what
// the number is.
func IntIn(name, value string, v, lo, hi int, what string) error {
	if v < lo || v > hi {
		return fmt.Errorf("--%s %s is out of range: want %s in [%d, %d]", name, value, what, lo, hi)
	}
	return nil
}

// OneOf checks that v is one of valid.
func OneOf(name, v string, valid []string) error {
	if !slices.Contains(valid, v) {
		return fmt.Errorf("--%s %q is not known: want one of %s", name, v, strings.Join(valid, ", "))
	}
	return nil
}

// First returns the first non-nil error of errs, so a command checks all
// its flags in one expression and reports the first problem.
func First(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
