// Package quadruped is hebbsim's planar four-legged walker: Gym's
// BipedalWalker (Brockman et al. 2016, gym/envs/box2d/bipedal_walker.py)
// with a second pair of legs, in ByteArena/box2d v1.0.2.
//
// # Body
//
// Lengths are Gym pixels at SCALE 30 px/m. The hull is a 90×17 px box
// (density 5, 8.5 kg). Each of the two hips (x = ±35 px, 8 px below the
// hull's top-to-bottom centre line, as Gym's LEG_DOWN) carries a pair of
// legs, left and right, in the same plane: front-left (FL), front-right
// (FR), back-left (BL), back-right (BR). Each leg is Gym's: a thigh
// 8×34 px and a shin 6.4×34 px, density 1 (0.302 kg and 0.242 kg), a hip
// joint limited to [−0.8, 1.1] rad and a knee to [−1.6, −0.1] rad. No
// robot part collides with another (one negative collision group, with a
// contact filter set and an explicit filter on every fixture, as v1.0.2
// needs).
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
// # Reward and end
//
// Gym's: the change of 130·x/SCALE − 5·|hull angle| (x the hull's
// position), minus 0.00035·80·Σ|a| for torque. When the hull touches the
// ground the step gives −100 and the episode ends with Reason "fell"; the
// hull behind the start of the terrain gives −100 and "out of bounds";
// reaching the last grass ends it with "end of terrain", and MaxSteps with
// "step limit". StepInfo.Distance is the hull's forward travel (m) since
// Reset.
//
// # Terrain
//
// Gym's terrain generator: "hills" (grass that drifts back to its mean
// height under random velocity kicks), "flat", and "rough" (Gym's
// hardcore stumps, stairs and pits between grass). The ground is solid:
// one convex polygon under each 14 px surface segment, reaching 1.5 m
// below it, all fixtures of one static body.
//
// # Damage
//
// Any leg can be damaged or repaired between any two steps; the
// observation layout never changes and the controller is not told.
// "shorten": the shin is a quarter of its length (the paper's damage,
// Najarro & Risi 2020); "amputate": the shin is gone (it is kept as a
// 2 % mass ghost that touches nothing, folded at the knee; its knee reads
// 0, the thigh's end is the foot); "paralyze": hip and knee motors off;
// "weaken": torque ×¼; "lock": the knee frozen at its angle. The Box2D
// state follows at the start of the next Step, so damage and repair
// between the same two steps leave the trajectory bit-identical.
//
// # Solver
//
// World.Step(1/50, 6, 2) without continuous collision; see the measured
// numbers below.
package quadruped
