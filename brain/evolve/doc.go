// Package evolve is OpenAI-ES (Salimans, Ho, Chen, Sidor & Sutskever 2017,
// "Evolution Strategies as a Scalable Alternative to Reinforcement
// Learning", arXiv 1703.03864) with an ask/tell interface and explicit state
// (DESIGN.md §1, house rule 4), as Najarro & Risi (2020) use it to evolve
// Hebbian coefficients and static weights alike.
//
// One generation:
//
//	εₖ ~ N(0, I), k = 0…N/2−1, drawn from PCG(seed, gen<<32|k)
//	candidates θ + σεₖ and θ − σεₖ (antithetic pairs)
//	Fᵢ ← fitnessᵢ − L2·mean(candidateᵢ²)    (coefficient penalty; reference 0.01)
//	Fᵢ ← shaping(F)ᵢ                         (centred ranks by default)
//	θ  ← θ + η/(N·σ)·Σᵢ Fᵢεᵢ                (or Adam on the same estimate)
//	η ← max(η·lrDecay, lrMin); σ ← max(σ·σDecay, σMin)
//
// Noise depends only on (seed, generation, pair), and every sum runs in a
// fixed order, so the result never depends on how many goroutines drew the
// noise or evaluated the population. Save/Load round-trip the whole state
// (gob, float64 bits exact): a run loaded mid-way continues bit-identically
// (TestSaveLoadContinuesBitIdentically).
//
// Reference defaults (Defaults): pop 200, η 0.2 ×0.995, σ 0.1 ×0.999, L2
// 0.01, coefficients initialised N(0, 1) (Init). DESIGN.md §5 measured that a
// per-generation η decay of 0.995 starves learning on the quadruped; decay
// more slowly (0.999).
//
// Cost: Ask draws Pop/2·dim normals; Tell is Pop/2·dim multiply-adds. For
// the quadruped's 65,280 ABCD_lr coefficients at pop 64 both take a few
// milliseconds, negligible beside 64 episodes of up to 1,000 steps.
package evolve
