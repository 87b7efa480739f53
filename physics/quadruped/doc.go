// Package quadruped is hebbsim's planar four-legged walker: Gym's
// BipedalWalker (Brockman et al. 2016, gym/envs/box2d/bipedal_walker.py)
// with a second pair of legs, in ByteArena/box2d v1.0.2.
//
// # Body
//
// Lengths are Gym pixels at SCALE 30 px/m. The hull is a 110×17 px box
// (Gym's hull density 5: 10.39 kg), spanning 8 px below to 9 px above its
// origin like Gym's hull. Its two hips sit at its ends (x = ±55 px), 8 px
// below the origin (Gym's LEG_DOWN). Each hip carries a pair of legs, left
// and right, in the same plane: front-left (FL), front-right (FR),
// back-left (BL), back-right (BR); the left legs face the viewer. Each
// leg has Gym's shape, speeds, torque and limits: a thigh 8×34 px and a
// shin 6.4×34 px (friction 0.2), a hip limited to [−0.8, 1.1] rad and a
// knee to [−1.6, −0.1] rad, with motors of 4 and 6 rad/s and 80 N·m.
// No robot part collides with another: all share one negative collision
// group, with a contact filter set on the world and an explicit filter on
// every fixture, as v1.0.2 needs (TestNoSelfContact).
//
// Two choices differ from Gym and from the prototype of DESIGN.md §5
// (a 90 px hull with hips at ±35 px, legs of density 1), both measured:
//
//   - Legs have density 2 (thigh 0.604 kg, shin 0.484 kg). At density 1
//     the hull outweighs a shin 43 to 1, and with few solver iterations
//     knees hyperextend, joints pull apart and pushing feet stay 5–7 cm
//     in the ground. At 6/2 iterations, 20 episodes of 300 steps,
//     density 1 → 2 cut the widest joint gap from 5.1 to 2.7–3.7 cm under
//     uniform random actions and from 6.6–7.0 to 5.5–5.9 cm under
//     saturated ones, and the longest run of steps with a foot deeper than
//     5 cm from 8–10 to 3.
//   - The hips sit at the hull's ends, 3.67 m apart. Random networks
//     (34→128→64→8, tanh, weights U[−r, r], 40 episodes of 100 steps,
//     TestStance) threw the prototype body over in 2 of 40 episodes with
//     r = 0.1 and 8 of 40 with r = 1 (the size per-layer normalisation
//     gives weights); this body in 0 and 0. The prototype mostly failed
//     by such early falls (§5).
//
// A hand-written trot (diagonal legs in phase; hip targets 0.5·sin φ,
// knee targets −0.8 + 0.6·sin(φ + 4), period 40 steps, tracked by
// a = tanh(2·error)) walks 32 m in 1,000 steps on hills: the body can
// walk. With the front-left shin shortened the same trot falls after 9 m
// (TestCanWalk): damage matters to an open-loop gait.
//
// Gym places its legs 16 px below their hip anchors and lets the joints
// snap them up; here they hang exactly from their anchors, splayed ±0.05
// rad as in Gym, with the knee at its upper limit, feet 5 cm above the
// ground. Gym's random initial push (±5 N) is kept.
//
// # Actions
//
// Eight values in [−1, 1] (clipped; NaN counts as 0), ordered FL hip, FL
// knee, FR hip, FR knee, BL hip, BL knee, BR hip, BR knee. Each drives its
// joint motor through saturation, as Gym does: motor speed S·sign(a) (S =
// 4 rad/s at the hip, 6 at the knee) with a torque limit 80·|a| N·m.
//
// # Observation
//
// 34 values, scaled as Gym's BipedalWalker scales them:
//
//	0      hull angle (rad)
//	1      hull angular velocity · 2/FPS
//	2      horizontal velocity · 0.3·(600/SCALE)/FPS
//	3      vertical velocity · 0.3·(400/SCALE)/FPS
//	4–8    FL: hip angle, hip speed/4, knee angle + 1, knee speed/6, foot contact (0/1)
//	9–13   FR: the same
//	14–18  BL: the same
//	19–23  BR: the same
//	24–33  lidar: 10 rays from the hull centre at 1.5·i/10 rad from straight
//	       down towards +x, 160 px long, each the fraction of its length to
//	       the ground (1: nothing in range)
//
// FPS is 50. The lidar is cast against the ground polygons directly (the
// same closest hit Box2D's world ray cast gives Gym; that cast made 83 %
// of a step's allocations).
//
// # Reward and end
//
// Gym's: the change of 130·x/SCALE − 5·|hull angle| (x the hull's
// position), minus 0.00035·80·Σ|a| for torque. When the hull touches the
// ground the step gives −100 and the episode ends with Reason "fell"; the
// hull behind the start of the terrain gives −100 and "out of bounds";
// reaching the last grass ends it with "end of terrain", and MaxSteps with
// "step limit". StepInfo.Distance is the hull's forward travel (m) since
// Reset. A Box2D panic (B2Assert) or a non-finite body state never
// escapes Step: the episode ends with Reason "physics: …"; later Steps
// return the same end until Reset.
//
// # Terrain
//
// Gym's generator, from the seed: "hills" (grass that drifts back to its
// mean height under random velocity kicks), "flat", and "rough" (Gym's
// hardcore stumps, stairs and pits between grass). The terrain is long
// enough for 0.15 m a step over MaxSteps (Gym's 200 points would end a
// fast walker's episode early). The ground is solid, all fixtures of one
// static body (DESIGN.md §4): one convex polygon under each 14 px surface
// segment, reaching 1.5 m below it and wider at the bottom, so that
// neighbours overlap under the surface and every face a sunken foot can be
// pushed out of points upwards. With vertical sides Box2D can push a foot
// sideways from one polygon into the next and never up, the "internal
// edge" problem behind the legs that walked underground in §5. A flat pad
// reaches 10 m behind the start so no leg hangs over the world's edge.
//
// # Damage
//
// Any leg can be damaged or repaired between any two steps; the
// observation layout never changes and the controller is not told.
//
//	shorten   the shin is a quarter of its length, hanging from the knee:
//	          the paper's damage (Najarro & Risi 2020); it keeps its mass
//	          (as a quarter-mass stub, 0.12 kg under 80 N·m, it was pressed
//	          up to 7.6 cm into the ground over 40 random-action episodes
//	          per leg; at full mass at most 4.9 cm)
//	amputate  the shin is gone: it is kept as a ghost of 2 % mass that
//	          touches nothing, folded at the knee; the knee reads 0 and the
//	          thigh's end is the foot
//	paralyze  hip and knee motors off: the leg hangs limp within its limits
//	weaken    hip and knee torque ×¼
//	lock      the knee frozen at the angle it had when locked
//
// Each shin carries both a full and a quarter-length fixture; damage
// switches which one has mass and collides, and changes joint limits and
// motors. The Box2D state follows at the start of the next Step and only
// where it differs from the state the last step ran with, so damage and
// repair between the same two steps leave the trajectory bit-identical
// (TestDamageThenRepair), and after Repair every body parameter is the
// healthy one (TestDamageKinds). Drawing shows damage at once.
//
// Over 40 random-action episodes of 300 steps per morphology (hills) the
// deepest foot was 3.5–6.1 cm and the widest joint gap 2.4–5.0 cm, except
// with a locked knee, whose rigid leg can whip its foot from rest to
// 15 m/s within one step, faster than the sub-step prediction foresees:
// feet dipped up to 7 cm there, and 14 cm in TestMorphologyPhysics.
//
// # Solver
//
// World.Step(1/50, 10, 4) without continuous collision, split into up to
// 8 sub-steps when a foot comes down fast. Box2D's continuous collision
// (on by default in v1.0.2, switched off through the exported
// M_continuousPhysics field) stops a foot at its time of impact but lets
// its jointed partners move on, so joints pull apart. Without it, a foot
// moving at 10–18 m/s can overshoot up to 20 cm into the ground before
// Box2D sees the contact (the solid ground then pushes it out within a
// step). So before each step every corner of each leg's lower segment
// that is not already within contact reach (2 cm) of the ground is moved
// on at its present velocity for one step; if one would end more than
// 2 cm inside, the step is split into ⌈depth/2 cm⌉ sub-steps (at most 8).
// This depends only on the state, so trajectories stay deterministic. It
// splits about 8 % of steps under random actions.
//
// BenchmarkSolver, 30 episodes of up to 300 steps, uniform random actions
// and (after the slash) ±1 held for 10 steps, like a saturated evolved
// controller; "sub" marks the sub-steps:
//
//	vel/pos      ccd  steps/cpu-s  joint gap (m)  deepest foot (m)  >5 cm deep: % of foot-steps, longest run
//	6/2          off  45,322       0.054 / 0.058  0.075 / 0.194     0.006 / 0.23 %, 1 / 4 steps
//	6/2          on   20,422       0.140 / 0.280  0     / 0         0
//	10/4         off  40,386       0.033 / 0.046  0.114 / 0.201     0.017 / 0.18 %, 1 / 4 steps
//	30/10        off  28,964       0.019 / 0.026  0.066 / 0.163     0.014 / 0.13 %, 1 / 1 steps
//	180/60       off  11,475       0.005 / 0.009  0.099 / 0.174     0.022 / 0.13 %, 1 / 1 steps
//	180/60       on    9,037       0.110 / 0.254  0     / 0         0
//	6/2 + sub    off  39,032       0.033 / 0.050  0.031 / 0.058     0     / 0.003 %, 0 / 1 steps
//	30/10 + sub  off  25,957       0.022 / 0.016  0.064 / 0.069     0.003 / 0.003 %, 1 / 1 steps
//	10/4 + sub   off  34,938       0.025 / 0.052  0.032 / 0.040     0     / 0 %
//
// More iterations close joints further but do nothing for the overshoot,
// which comes from the time step; sub-steps remove nearly all of it for
// 15 % of the speed. Gym's 180/60 with continuous collision costs 3.9× as
// much as the setting in use and still pulls joints apart by 11–25 cm.
// In a separate run of 150 episodes on all terrains, sub-steps cut the
// foot-steps deeper than 5 cm from 21 to 1 (deepest 12.8 → 5.1 cm) under
// uniform random actions and from 294 to 7 (18.9 → 9.5 cm) under
// saturated ones: the prediction misses feet that the motors accelerate
// within the step (predicting with the motors' target speeds too caught
// those, but split 40–55 % of steps). TestGroundAndJoints checks 100
// random-action episodes on all three terrains: no foot more than 5 cm
// below the surface (deepest 4.8 cm), no joint apart more than 5 cm
// (widest 3.6 cm). Under saturated actions the widest joint gap reaches
// 5.2 cm.
//
// Measured with go test -run XXX -bench Solver -benchtime 10000x -cpu 1
// on the 2-core development machine at load average 6–7 (five programs
// sharing it), so wall-clock steps/s were 30–60 % lower than steps/cpu-s
// and noisy; steps/cpu-s counts the process's CPU time instead.
// BenchmarkEnvStep (-benchtime 20000x -cpu 1, three runs): hills
// 30,991–32,314 steps/cpu-s (18,615–22,028 steps/s wall), flat
// 33,473–34,588 (16,617–23,598), rough 29,032–29,777 (16,140–18,821);
// about 110 allocations a step, all inside Box2D. The target was 15,000
// steps/s on one core (Gym's Python BipedalWalker: about 5,300).
// BenchmarkReset: 0.64–1.2 ms per new world, mostly Box2D's broad-phase
// tree.
package quadruped
