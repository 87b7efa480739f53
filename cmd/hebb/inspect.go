package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hebbsim/hebbsim/assets"
	"github.com/hebbsim/hebbsim/brain"
)

func newInspect() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect [FILE|NAME]...",
		Short: "show what a rule file holds: metadata, architecture, coefficient statistics",
		Long: `inspect prints a rule file's metadata (environment, observation, rule,
normalisation, provenance), its architecture and, per layer and per coefficient
(A, B, C, D, eta, …) or weight, the mean, std, min and max. With no argument it
inspects every bundled rule file.`,
		Example: `  hebb inspect
  hebb inspect runs/q1/best.npz
  hebb inspect quadruped-hebbian --json`,
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = assets.RuleFiles()
				if len(args) == 0 {
					fmt.Fprintln(c.OutOrStdout(), "no bundled rule files yet (they come from `hebb evolve` runs; see docs/results.md)")
					return nil
				}
			}
			var all []inspection
			for _, a := range args {
				rf, err := loadRules(a)
				if err != nil {
					return err
				}
				in, err := inspectFile(a, rf)
				if err != nil {
					return fmt.Errorf("%s: %w", a, err)
				}
				if !asJSON {
					in.print(c.OutOrStdout())
				}
				all = append(all, in)
			}
			if asJSON {
				enc := json.NewEncoder(c.OutOrStdout())
				enc.SetIndent("", "  ")
				if len(all) == 1 {
					return enc.Encode(all[0])
				}
				return enc.Encode(all)
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

type stats struct {
	Name string  `json:"name"`
	N    int     `json:"n"`
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	Min  float64 `json:"min"`
	Max  float64 `json:"max"`
}

type layerInfo struct {
	Shape []int   `json:"shape"`
	Stats []stats `json:"stats"`
}

type inspection struct {
	File      string      `json:"file"`
	Meta      brain.Meta  `json:"meta"`
	Params    int         `json:"params"`         // values stored: one per synapse coefficient or weight
	Evolved   int         `json:"evolved_params"` // values evolution set: fewer when mirrors tied the genome
	Synapses  int         `json:"synapses"`
	Equation  string      `json:"equation"`
	Layers    []layerInfo `json:"layers"`
	ConvStats []stats     `json:"conv,omitempty"`
}

func statsOf(name string, xs []float32, stride, off int) stats {
	s := stats{Name: name, Min: math.Inf(1), Max: math.Inf(-1)}
	var sum, sq float64
	for i := off; i < len(xs); i += stride {
		v := float64(xs[i])
		sum += v
		sq += v * v
		s.Min, s.Max = math.Min(s.Min, v), math.Max(s.Max, v)
		s.N++
	}
	if s.N == 0 {
		s.Min, s.Max = 0, 0
		return s
	}
	s.Mean = sum / float64(s.N)
	s.Std = math.Sqrt(math.Max(sq/float64(s.N)-s.Mean*s.Mean, 0))
	return s
}

func inspectFile(name string, rf *brain.RuleFile) (inspection, error) {
	net, err := rf.NewNetwork()
	if err != nil {
		return inspection{}, err
	}
	r := net.Rule()
	evolved, err := rf.EvolvedParams()
	if err != nil {
		return inspection{}, err
	}
	in := inspection{File: name, Meta: rf.Meta, Params: net.NumParams(), Evolved: evolved, Synapses: net.Synapses(), Equation: r.Equation}
	for l, L := range net.Layers() {
		li := layerInfo{Shape: []int{L.Out, L.In}}
		if r.Static() {
			li.Stats = []stats{statsOf("w", rf.Weights[l], 1, 0)}
		} else {
			li.Shape = append(li.Shape, r.K)
			for k, cn := range r.CoeffNames {
				li.Stats = append(li.Stats, statsOf(cn, rf.Coeffs[l], r.K, k))
			}
		}
		in.Layers = append(in.Layers, li)
	}
	for i, c := range rf.Conv {
		in.ConvStats = append(in.ConvStats, statsOf(fmt.Sprintf("conv_%d", i), c, 1, 0))
	}
	return in, nil
}

func (in inspection) print(w io.Writer) {
	m := in.Meta
	fmt.Fprintf(w, "%s\n", in.File)
	fmt.Fprintf(w, "  env %s, obs %s, rule %s (%s)\n", m.Env, m.Obs, m.Rule, in.Equation)
	fmt.Fprintf(w, "  layers %v, cnn %v, output %s, normalize %v, init %s(%g)\n", m.Layers, m.CNN, m.Output, m.Normalize, m.Init.Dist, m.Init.Scale)
	if in.Evolved == in.Params {
		fmt.Fprintf(w, "  %d synapses, %d evolved parameters\n", in.Synapses, in.Params)
	} else {
		fmt.Fprintf(w, "  %d synapses, %d stored parameters, %d evolved (the genome was tied by %d mirrors)\n", in.Synapses, in.Params, in.Evolved, len(m.Mirrors))
	}
	p := m.Provenance
	fmt.Fprintf(w, "  provenance: %d generations, fitness %.3f, seed %d, %s, version %s\n", p.Generations, p.Fitness, p.Seed, p.Date, p.Version)
	if p.Command != "" {
		fmt.Fprintf(w, "  command: %s\n", p.Command)
	}
	if m.Description != "" {
		fmt.Fprintf(w, "  %s\n", m.Description)
	}
	for l, li := range in.Layers {
		dims := make([]string, len(li.Shape))
		for i, d := range li.Shape {
			dims[i] = fmt.Sprint(d)
		}
		fmt.Fprintf(w, "  layer %d (%s):\n", l, strings.Join(dims, "×"))
		for _, s := range li.Stats {
			fmt.Fprintf(w, "    %-6s mean %+8.4f  std %7.4f  min %+8.4f  max %+8.4f\n", s.Name, s.Mean, s.Std, s.Min, s.Max)
		}
	}
	for _, s := range in.ConvStats {
		fmt.Fprintf(w, "  %-8s %d weights, mean %+8.4f  std %7.4f  min %+8.4f  max %+8.4f\n", s.Name, s.N, s.Mean, s.Std, s.Min, s.Max)
	}
}
