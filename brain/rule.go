package brain

import (
	"fmt"
	"strings"
)

// Rule names one plasticity rule: how many coefficients each synapse
// carries (K) and what each coefficient column means (CoeffNames, in the
// order they appear in the genome and in a rule file's coeffs_l arrays).
type Rule struct {
	Name       string
	K          int
	CoeffNames []string
	// Equation is the per-synapse update, for help texts.
	Equation string
	kind     ruleKind
}

// Static reports whether the rule is the static baseline (weights evolved
// directly, no plasticity).
func (r Rule) Static() bool { return r.kind == kindStatic }

type ruleKind int

const (
	kindStatic ruleKind = iota
	kindA
	kindAD
	kindADlr
	kindABC
	kindABClr
	kindABCD
	kindABCDlr
	kindABCDlrDout
	kindABCDlrDinout
)

// StaticName is the rule name of the static baseline, accepted wherever a
// rule name is.
const StaticName = "static"

// DefaultRule is the rule an Arch with an empty Rule uses (the paper's).
const DefaultRule = "ABCD_lr"

// The nine variants of the reference code (DESIGN.md §1). The coefficient
// order follows the reference's heb_coeffs columns: A, B, C, D(_in), eta,
// then D_out.
var rules = []Rule{
	{"A", 1, []string{"A"}, "Δw = A·pre·post", kindA},
	{"AD", 2, []string{"A", "D"}, "Δw = A·pre·post + D", kindAD},
	{"AD_lr", 3, []string{"A", "D", "eta"}, "Δw = η(A·pre·post + D)", kindADlr},
	{"ABC", 3, []string{"A", "B", "C"}, "Δw = A·pre·post + B·pre + C·post", kindABC},
	{"ABC_lr", 4, []string{"A", "B", "C", "eta"}, "Δw = η(A·pre·post + B·pre + C·post)", kindABClr},
	{"ABCD", 4, []string{"A", "B", "C", "D"}, "Δw = A·pre·post + B·pre + C·post + D", kindABCD},
	{"ABCD_lr", 5, []string{"A", "B", "C", "D", "eta"}, "Δw = η(A·pre·post + B·pre + C·post + D)", kindABCDlr},
	{"ABCD_lr_D_out", 5, []string{"A", "B", "C", "D_out", "eta"}, "Δw = η(A·pre·post + B·pre + C·post) + D_out", kindABCDlrDout},
	{"ABCD_lr_D_in_and_out", 6, []string{"A", "B", "C", "D_in", "eta", "D_out"}, "Δw = η(A·pre·post + B·pre + C·post + D_in) + D_out", kindABCDlrDinout},
}

var staticRule = Rule{StaticName, 0, nil, "no plasticity: weights evolved directly", kindStatic}

// Rules returns the nine plastic rule variants, simplest first. The static
// baseline is not among them; RuleByName("static") returns it.
func Rules() []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		r.CoeffNames = append([]string(nil), r.CoeffNames...)
		out[i] = r
	}
	return out
}

// RuleNames returns the names RuleByName accepts: the nine variants, then
// "static".
func RuleNames() []string {
	names := make([]string, 0, len(rules)+1)
	for _, r := range rules {
		names = append(names, r.Name)
	}
	return append(names, StaticName)
}

// RuleByName returns the rule with the given name ("" means DefaultRule).
// The error lists the valid names.
func RuleByName(name string) (Rule, error) {
	if name == "" {
		name = DefaultRule
	}
	if name == StaticName {
		r := staticRule
		return r, nil
	}
	for _, r := range rules {
		if r.Name == name {
			r.CoeffNames = append([]string(nil), r.CoeffNames...)
			return r, nil
		}
	}
	return Rule{}, fmt.Errorf("brain: unknown rule %q (valid: %s)", name, strings.Join(RuleNames(), ", "))
}
