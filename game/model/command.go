package model

import (
	"fmt"
	"sort"
	"strings"
)

// Commands are plain strings so that keys, buttons, the test script and
// the state dump all speak one language. A command with an argument is
// written "name:arg" (e.g. "damage:FL", "kind:amputate", "scene:racer").
const (
	CmdPause      = "pause"      // play / pause
	CmdStep       = "step"       // one step while paused
	CmdFaster     = "faster"     // next rung of the speed ladder
	CmdSlower     = "slower"     // previous rung
	CmdMax        = "max"        // as fast as possible (toggle)
	CmdRestart    = "restart"    // same seed, fresh random weights
	CmdNewSeed    = "newseed"    // next seed
	CmdWipe       = "wipe"       // brain wipe: fresh random weights mid-episode
	CmdScene      = "scene"      // scene:next, scene:prev, scene:NAME
	CmdDamage     = "damage"     // damage:N (1-based key slot) or damage:TARGET
	CmdKind       = "kind"       // kind:NAME or kind:next
	CmdRepair     = "repair"     // repair everything
	CmdCompare    = "compare"    // Hebbian vs static, side by side
	CmdView       = "view"       // heatmap view: view:w, view:dw, view:absdw, view:coef, view:next
	CmdCoef       = "coef"       // coef:N selects the coefficient shown in the coef view
	CmdHelp       = "help"       // F1 overlay
	CmdShot       = "screenshot" // F12
	CmdHome       = "home"       // reset the camera
	CmdFollow     = "follow"     // toggle camera follow
	CmdRules      = "rules"      // rules:PATH loads a rule file; rules:default random coefficients
	CmdRulesPanel = "rulespanel" // show / hide the rules list
	CmdOpen       = "open"       // file dialog (zenity on the desktop, the page's picker in the browser)
	CmdZoomIn     = "zoomin"
	CmdZoomOut    = "zoomout"
	CmdHeatmaps   = "heatmaps" // show / hide the bottom panels
	CmdQuit       = "quit"
	CmdClose      = "close"    // close the help and the rules list, end the tour, release the pin
	CmdTour       = "tour"     // tour (start / end), tour:next, tour:back, tour:start, tour:end
	CmdPin        = "pin"      // pin:L:I:J pins a synapse (again: releases), pin:auto, pin:off
	CmdOrder      = "order"    // heatmap order: order:next, order:natural, order:coef, order:activity
	CmdRecord     = "record"   // start / stop recording a GIF clip
	CmdClipArea   = "cliparea" // clips of the whole window or the world view alone
)

// SplitCmd splits "name:arg" into its name and argument.
func SplitCmd(c string) (name, arg string) {
	name, arg, _ = strings.Cut(c, ":")
	return name, arg
}

// Binding maps a key, named as ebiten.Key.String() names it, to a command.
type Binding struct {
	Key  string
	Cmd  string
	Help string
}

// Bindings are the default keys. The help overlay is generated from them,
// so the overlay and the keys cannot drift apart.
var Bindings = []Binding{
	{"Space", CmdPause, "play / pause"},
	{"Period", CmdStep, "one step (while paused)"},
	{"N", CmdStep, "one step (while paused)"},
	{"Equal", CmdFaster, "faster (1/8× … 8×, then max)"},
	{"NumpadAdd", CmdFaster, "faster"},
	{"Minus", CmdSlower, "slower"},
	{"NumpadSubtract", CmdSlower, "slower"},
	{"M", CmdMax, "as fast as possible (toggle)"},
	{"R", CmdRestart, "restart, same seed"},
	{"S", CmdNewSeed, "new episode, next seed"},
	{"W", CmdWipe, "brain wipe: fresh random weights now (compare: both lanes)"},
	{"BracketLeft", CmdScene + ":prev", "previous scene"},
	{"BracketRight", CmdScene + ":next", "next scene"},
	{"Digit1", CmdDamage + ":1", "toggle damage FL (racer: oil*)"},
	{"Digit2", CmdDamage + ":2", "toggle damage FR (racer: engine*)"},
	{"Digit3", CmdDamage + ":3", "toggle damage BL (racer: steering*)"},
	{"Digit4", CmdDamage + ":4", "toggle damage BR"},
	{"K", CmdKind + ":next", "next damage kind"},
	{"Digit0", CmdRepair, "repair everything"},
	{"C", CmdCompare, "compare: Hebbian vs static"},
	{"V", CmdView + ":next", "next heatmap view (w, Δw, |Δw|, rule)"},
	{"B", CmdCoef + ":next", "next rule coefficient (A B C D η)"},
	{"H", CmdHeatmaps, "show / hide heatmaps and plots"},
	{"L", CmdRulesPanel, "rules list"},
	{"O", CmdOpen, "open a rule file (file dialog)"},
	{"F", CmdFollow, "camera follow on / off"},
	{"Home", CmdHome, "reset the view"},
	{"PageUp", CmdZoomIn, "zoom in (or mouse wheel)"},
	{"PageDown", CmdZoomOut, "zoom out"},
	{"T", CmdTour, "guided tour (start / end)"},
	{"ArrowRight", CmdTour + ":next", "tour: next caption"},
	{"Enter", CmdTour + ":next", "tour: next caption"},
	{"ArrowLeft", CmdTour + ":back", "tour: previous caption"},
	{"G", CmdOrder + ":next", "heatmap order: index, by rule coefficient, by activity"},
	{"F9", CmdRecord, "record a GIF clip (start / stop)"},
	{"F8", CmdClipArea, "clips: whole window or world view only"},
	{"E", CmdEvolve, "Evolve mode: watch evolution discover a rule"},
	{"P", CmdEvolve + ":go", "Evolve mode: start the run, pause, resume"},
	{"F1", CmdHelp, "this help"},
	{"Escape", CmdClose, "close help / rules list, end the tour, release the synapse"},
	{"F12", CmdShot, "screenshot (PNG)"},
}

// KeyCommands returns the key → command map built from Bindings.
func KeyCommands() map[string]string {
	m := make(map[string]string, len(Bindings))
	for _, b := range Bindings {
		if _, dup := m[b.Key]; dup {
			panic(fmt.Sprintf("model: key %s bound twice", b.Key))
		}
		m[b.Key] = b.Cmd
	}
	return m
}

// HelpLines is the F1 overlay: one line per command, keys merged.
func HelpLines() []string {
	type entry struct {
		keys []string
		help string
		pos  int
	}
	byCmd := map[string]*entry{}
	for i, b := range Bindings {
		e, ok := byCmd[b.Cmd]
		if !ok {
			e = &entry{help: b.Help, pos: i}
			byCmd[b.Cmd] = e
		}
		e.keys = append(e.keys, KeyLabel(b.Key))
	}
	es := make([]*entry, 0, len(byCmd))
	for _, e := range byCmd {
		es = append(es, e)
	}
	sort.Slice(es, func(a, b int) bool { return es[a].pos < es[b].pos })
	out := make([]string, 0, len(es)+3)
	for _, e := range es {
		out = append(out, fmt.Sprintf("%-14s %s", strings.Join(e.keys, " "), e.help))
	}
	out = append(out,
		fmt.Sprintf("%-14s %s", "wheel", "zoom at the cursor; drag to pan"),
		fmt.Sprintf("%-14s %s", "click leg", "toggle damage on that leg"),
		fmt.Sprintf("%-14s %s", "click cell", "pin that synapse under the microscope (again: release)"),
		fmt.Sprintf("%-14s %s", "drop file", "load a rule file"),
		fmt.Sprintf("%-14s %s", "*", "the car has one perturbation at a time: a new one replaces the last"),
		fmt.Sprintf("%-14s %s", "W, compare", "wipes both lanes: evolved static weights stay as they are; a frozen random network gets new random weights it can never change"),
	)
	return out
}

// KeyLabel is the short label a key shows in the help.
func KeyLabel(k string) string {
	switch {
	case strings.HasPrefix(k, "Digit"):
		return k[5:]
	}
	switch k {
	case "BracketLeft":
		return "["
	case "BracketRight":
		return "]"
	case "Equal":
		return "+"
	case "Minus":
		return "-"
	case "Period":
		return "."
	case "NumpadAdd":
		return "kp+"
	case "NumpadSubtract":
		return "kp-"
	case "PageUp":
		return "PgUp"
	case "PageDown":
		return "PgDn"
	case "ArrowRight":
		return "→"
	case "ArrowLeft":
		return "←"
	}
	return k
}

// KeyHint is a command's help with its first key, for button hints:
// "brain wipe: fresh random weights now (W)".
func KeyHint(cmd string) string {
	for _, b := range Bindings {
		if b.Cmd == cmd {
			return b.Help + " (" + KeyLabel(b.Key) + ")"
		}
	}
	return ""
}
