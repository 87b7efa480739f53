// Package brain holds hebbsim's networks: feed-forward networks without
// biases whose weights start random at every episode and change by an
// evolved Hebbian rule, the racer CNN in front of them, rule files and
// traces. It implements the model of Najarro & Risi, "Meta-Learning through
// Hebbian Plasticity in Random Networks" (NeurIPS 2020, arXiv 2007.02686),
// as DESIGN.md §1 sets it out.
//
// # Network
//
// Layer l maps Pre (n_in values) to Post (n_out values): h = W·Pre with W
// of shape (n_out, n_in), row-major (W[j*In+i] is the synapse from input i
// to output j), no biases. Hidden layers apply tanh; the last layer gives
// the action through Arch.Output: OutputTanh (quadruped, the rule sees
// tanh(h)), OutputRacer ([tanh(h0), sigmoid(h1), sigmoid(h2)], the rule
// sees the raw h as in the reference CarRacing code) or OutputLinear.
//
// Within one environment step (sim.Controller): Forward(obs) → the action
// goes to the environment → the environment steps → Update(), which applies
// the rule with the Pre and Post of that Forward and then, if
// Arch.Normalize, divides each layer's weights by their max |w|. The update
// at step t first changes the action at step t+1 (tested). Reset(rng) draws
// every plastic weight fresh (Init: U[-0.1, 0.1] by default, also normal
// and Xavier-uniform); a static network keeps its evolved weights.
//
// # Rules
//
// Per synapse, with pre = Pre[i], post = Post[j] and per-synapse
// coefficients (Rules lists them; RuleByName also accepts "static"):
//
//	A                     Δw = A·pre·post
//	AD                    Δw = A·pre·post + D
//	AD_lr                 Δw = η(A·pre·post + D)
//	ABC                   Δw = A·pre·post + B·pre + C·post
//	ABC_lr                Δw = η(A·pre·post + B·pre + C·post)
//	ABCD                  Δw = A·pre·post + B·pre + C·post + D
//	ABCD_lr               Δw = η(A·pre·post + B·pre + C·post + D)   (default)
//	ABCD_lr_D_out         Δw = η(A·pre·post + B·pre + C·post) + D_out
//	ABCD_lr_D_in_and_out  Δw = η(A·pre·post + B·pre + C·post + D_in) + D_out
//
// The coefficient order (Rule.CoeffNames) follows the reference code's
// heb_coeffs columns: A, B, C, D (or D_in / D_out), eta, then D_out.
// Layer.Coeffs keeps the file layout (n_out, n_in, k); the update reads a
// copy stored plane by plane (one contiguous array per coefficient), with
// the terms that depend only on j hoisted: Δw = η·(pre·(A·post + B) +
// C·post + D).
//
// # Genome
//
// Params/SetParams: for a plastic network every layer's coefficients in
// (n_out, n_in, k) row-major order, layer 0 first; for a static network
// every layer's weights (n_out, n_in); then, with the CNN, conv_0 and
// conv_1. The layout equals the rule file's arrays concatenated
// (docs/rule-file.md).
//
// # Racer CNN
//
// Pixel observations are PixelObsSize float32 in [0, 1], HWC: index
// (y*84+x)*3+c, y = 0 the top row, c = 0 red. The CNN (reference): conv
// 6×3×3 stride 1 → 6×82×82, tanh, max-pool 2 → 6×41×41; conv 8×5×5
// stride 2 → 8×19×19, tanh, max-pool 2 (floor) → 8×9×9 = 648 features
// (CNNFeatures), flattened (channel, row, column) as PyTorch does. No
// biases; 162 + 1,200 = 1,362 weights (CNNParams), evolved, never plastic.
// Weight layouts: conv_0 (6, 3, 3, 3) and conv_1 (8, 6, 5, 5), PyTorch's
// (out channel, in channel, kernel row, kernel column). Pooling runs before
// tanh (tanh is increasing, so max-pool commutes with it) and the second
// conv computes only the 18×18 outputs the floor pool reads.
//
// # Speed
//
// On amd64 with AVX2 the ABCD_lr update with normalisation and the CNN
// run in assembly kernels that use separate multiplies and adds (no FMA),
// in the same order as the Go loops, so they give bit-identical results to
// the portable code (TestAVX2MatchesGo); build with -tags purego to use the
// Go loops only. The other rules' updates and Forward are Go loops.
//
// Two traps found while measuring: (1) a legacy-SSE instruction (Go's
// MOVL to an X register) inside VEX code with dirty upper YMM state cost
// ~100 ns per kernel call here, making the AVX2 kernel slower than plain
// Go — the kernels use VEX forms only and end in VZEROUPPER; (2) W, ΔW and
// the coefficient planes of a layer share one slab, each region at a
// different offset modulo 4 KiB, so that the 7 streams of a 64×128 layer
// do not all map to the same L1 sets.
//
// Measured on the 2-core development machine (Intel Xeon with AVX-512),
// one core, while four other builds shared it (load average 6), so these
// are noisy; each is the best of five:
// go test -count=5 -run '^$' -bench . -benchtime 1000x ./brain/
// (ns per step; ns per synapse in brackets):
//
//	                                  34→128→64→8       648→128→64→3
//	synapses                          13,056            91,328
//	Forward                           4.0 µs  (0.31)    21 µs   (0.23)
//	Update ABCD_lr                    6.4 µs  (0.49)    61 µs   (0.67)
//	Update ABCD_lr + normalise        11 µs   (0.82)    63 µs   (0.69)
//	Update A + normalise (Go loop)    9.4 µs  (0.72)    59 µs   (0.65)
//	Update ABCD_lr_D_in_and_out + n.  31 µs   (2.4)     112 µs  (1.2)
//	CNN forward (84×84×3 → 648)       —                 0.14 ms
//
// An earlier, quieter run (load < 1) measured ABCD_lr + normalise at 0.55
// and 0.68 ns per synapse, the CNN at 0.11 ms, and the same update in the
// pure Go loop (-tags purego) at 1.4 ns per synapse; the CNN in plain
// scalar loops measured 0.56 ms, with the Go fallback of the AVX2 kernel
// 0.75–1.3 ms under load. Targets (issue 3): ABCD_lr update +
// normalisation ≤ 1.0 ns per synapse on one core (met), CNN ≤ 0.5 ms (met,
// amd64 with AVX2). Forward+Update make no heap allocations
// (TestZeroAllocs).
//
// # Files
//
// Rule files and traces are .npz archives numpy opens with
// allow_pickle=False; docs/rule-file.md is the format. Save writes
// atomically; Load and Decode validate version, sizes (before allocating),
// shapes and finiteness and return one-line errors; FuzzDecode fuzzes them
// (seed corpus in testdata/fuzz). The .npy codec is written here, not taken
// from codeberg.org/sbinet/npyio, because npyio v0.14's header parser
// panics on malformed headers and allocates from declared shapes; the
// tests read our files back with npyio and with numpy.
package brain
