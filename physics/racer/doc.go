// Package racer is hebbsim's top-down car racer: the CarRacing task of
// Najarro & Risi (2020), rebuilt on ByteArena/box2d after Gym's CarRacing
// (Oleg Klimov; gymnasium/envs/box2d/car_racing.py and car_dynamics.py).
//
// # Track
//
// Gym's algorithm: 12 checkpoints at jittered angles and radii in
// [R/3, R] (R = 150 m; the first and last at 1.5 R), a centre line that
// steers towards the next checkpoint turning at most 0.31 rad per 3.5 m
// step, for up to five laps; the second full lap is cut out and kept if its
// ends meet within one step. Each step is one road tile of half-width
// 6.67 m (a sensor fixture on the one static road body, identified by its
// index as fixture user data); kerbs (1.33 m, red and white) lie on the
// outside of bends where four steps in a row turn the same way by more than
// 0.062 rad.
//
// # Car
//
// Gym's car: a hull with the mass of Gym's four polygons at density 1
// (7.06 kg; the hull has no fixtures, since it touches nothing, which saves
// four broad-phase proxies per step: −35 % step time, same trajectory) and
// four 0.56×1.08 m wheels (density 0.1) on revolute joints limited to
// ±0.4 rad, whose motors (torque 64.8) steer the front wheels towards the
// command at min(50·|error|, 3) rad/s. Rear-wheel drive. Per wheel and
// step:
//
//	ω += dt·P·gas/(I·(|ω|+5))            P = 40,000, I = 1.6
//	brake ≥ 0.9 locks the wheel; else ω moves 15·brake rad/s towards 0
//	F = 82·(ω·r − v_forward, −v_side)     r = 0.54 m
//	|F| capped at 400 on road, 240 on grass (×friction perturbation)
//	ω −= dt·F_forward·r/I, and F is applied at the wheel's centre.
//
// Gas rises by at most 0.1 per step and drops at once. Actions are steer
// [−1, 1] (+ right), gas [0, 1], brake [0, 1], clamped (NaN reads 0). As in
// Gym, the steering command is the front wheels' target angle in rad, which
// the joint limits cap at 0.4: |steer| ≥ 0.4 is full lock.
//
// # Episode
//
// Reward −0.1 per step and +1000/N for each tile a wheel touches for the
// first time. The episode ends with Reason "lap" (LapTime set) when a wheel
// touches tile 0 with ≥ 95 % of the tiles visited (or when all are), "out
// of bounds" with reward −100 when the hull leaves the ±333 m square, "step
// limit" after Options.MaxSteps (default 1,000), or "physics: …" when Box2D
// panics or the state stops being finite (the panic is recovered).
// StepInfo.Lost is set while the car is more than LostDistance (20 m) from
// the centre line, where the offset observation clamps: a measure of a
// car that has lost the road, not part of the reward.
//
// # Observations
//
// "pixels" (length 84·84·3 = 21,168): float32 in [0,1], HWC, index
// (y·84+x)·3+c, y = 0 the top row, c = 0 red. An egocentric top-down view
// at 1.75 px/m turning with the car, whose origin sits at pixel (42, 62)
// facing up (35 m visible ahead, 6.6 m behind, 48 m across); Gym's colours
// (grass with lighter patches, grey road, red/white kerbs, red hull, black
// wheels); rows 74–83 hold Gym's indicator bar: true speed (white), the
// four wheels' spin (blue, "ABS"), the steering angle (green) and the
// gyroscope (red). "pixels-wide" is the same view drawn across at
// WideScaleX = 1.36 px/m, 61.7 m wide: Gym's field of view once the
// reference resizes its 96×96 state to 84×84 (Gym draws a 1000×800 window
// at 16.2 px/m, the car a quarter up). Along, the scales differ by 3 %,
// so only the width changes. Either is drawn directly at 84×84 with the
// golang.org/x/image/vector rasteriser: one path per colour layer, culled
// to the view and rasterised in its bounding box only.
//
// "rays" (length 12): [0..8] the distance to the first road edge along 9
// rays at −90°, −67.5°, …, +90° from the heading (− left), in road
// half-widths (RayUnit = 6.67 m; a ray that meets no edge within
// RayLength = 50 m reads 7.5); [9] forward speed / 10 m/s (SpeedUnit);
// [10] angular velocity in rad/s (+ counter-clockwise, i.e. turning left);
// [11] the signed offset from the centre line in road half-widths (+
// right), clamped to ±3 — with it a small network can tell which side of
// the road it is on when it is off the road.
//
// "grip" (length 13): the rays observation and [12] the sideways speed
// (slip) / 10 m/s, + to the right. "traction" (length 14): the grip
// observation and [13] the driven wheels' spin (tread speed − ground
// speed) / 10 m/s, clamped to ±3, + under power. "compass" (length 16):
// the traction observation and the road's direction at the nearest centre
// point relative to the car's heading, [14] its sine (+ the road runs to
// the right of the heading) and [15] its cosine (+1 along the road, −1
// facing back): what a driver lost on the grass needs to find the way
// back, where the offset has reached its clamp and the rays see nothing.
//
// Why these units: the networks have no biases, and the racer's action is
// [tanh(o0), sigmoid(o1), sigmoid(o2)], so outputs near 0 mean gas 0.5 and
// brake 0.5. Any brake above about 0.18 takes the front wheels' spin down
// faster (15·brake rad/s per step) than the tyre force can restore it
// (≤ 400·0.54/1.6·dt = 2.7 rad/s per step): the front tyres slide at their
// friction limit, steering does nothing (a sliding wheel's force opposes
// its velocity whatever its angle), and the car settles at 400/82 = 4.9 m/s
// whatever the gas. With the earlier units (distances / 50 m, speed /
// 50 m/s, angular velocity / 4 rad/s) the inputs were so small (hidden rms
// 0.2, output rms 0.3) that none of 32 random Hebbian networks ever got its
// brake below 0.18 in 300 steps: every candidate drove the identical
// trajectory, so evolution saw identical fitness (hebb evolve --env racer
// --obs rays: best = mean every generation, with or without early stop).
// In these units, with sim's 12→128→64→3 rays network, the hidden rms is
// 0.66 and 0.62 (the pixel network's: 0.4–0.7) and 10 of 32 random
// networks leave the plateau at some step, which is what evolution needs to
// start climbing (with 12→64→32→3 in the old units: 0 of 32). Measured over
// 300-step episodes on tracks 7…38, genomes InitGenome(seed 1…32).
//
// # Perturbations (physics.Damageable)
//
// Target "car", one kind at a time: "oil" (tyre friction limit ×1/4 for
// 5 s, then it wears off by itself), "engine" (power ×1/2), "steering" (a
// bent rack: +0.1 added to every steering command, pulling right).
// Morphologies: healthy, engine-damaged, bent-steering.
//
// One training drill (physics.Drills), which evolution may plan and `hebb
// eval --perturb offroad@STEP` may apply, but which the perturbation
// suite and the app do not offer: "offroad" sets the car down at rest
// 30–50 m from the road (OffroadMin, OffroadMax), facing a random way,
// healthy. The spot is drawn from the track's seed and the step, so a
// replay is the same. It puts the car where an oiled car that slid away
// ends up, in every drilled episode instead of now and then.
//
// Differences from Gym, all deliberate: the view is drawn at 84×84 and
// 1.75 px/m in both directions (Gym squashes a 1000×800 render into 96×96),
// without Gym's zoom-in during the first second and without the reward
// counter in the bar; the road has one grey (Gym adds ±2 % by tile); the
// wheels start at their rotated places (Gym places them unrotated and lets
// the joints pull them in); only wheels meet tiles (Gym's hull overlaps
// them too, without effect).
//
// # Solver
//
// Box2D Step(1/50, 8, 3), continuous collision off (nothing collides
// solidly: wheels only overlap tile sensors, through a contact filter).
// Laps of the tests' scripted centre-line driver on 20 tracks with a
// 1,500-step limit (go test ./physics/racer -run SolverSettings -args
// -solver), and the CPU time of one Step (rays mode, no Observe; user time
// of -bench 'Solver/…' -benchtime 20000x -cpu 1, over 20,000):
//
//	Step(1/50, 180, 60)  20/20 laps, mean  971 steps   32 µs
//	Step(1/50,  30, 10)  20/20 laps, mean  971 steps   16 µs
//	Step(1/50,   8,  3)  20/20 laps, mean  971 steps   14 µs   ← used
//	Step(1/50,   6,  2)  19/20 laps, mean  992 steps   14 µs
//	Step(1/50,   4,  1)  17/20 laps, mean 1044 steps
//
// 8/3 drives exactly as Gym's 180/60 here (the four wheel joints on a
// 7 kg hull converge in a few iterations) at less than half the cost.
//
// # Speed
//
// One Observe + Step per op, the car driven round the track by replayed
// driver actions, on the 2-core development machine shared with other
// jobs (load average 7–8 while measuring):
//
//	                         CPU time/op   wall time/op (min of 8)
//	BenchmarkEnvStep/pixels  41 µs         77 µs    ≥ 13,000 steps/s
//	BenchmarkEnvStep/rays    18 µs         30 µs    ≥ 33,000 steps/s
//	BenchmarkRender          17.5 µs       36 µs    (the 84×84 view alone)
//
// CPU time is the process's user time for -benchtime 20000x -cpu 1 over
// 20,000; wall time is go test ./physics/racer -run XXX -bench
// 'EnvStep|Render' -benchtime 5000x -cpu 1 -count 8. The CPU times
// suggest about 24,000 and 55,000 steps/s on an idle core (not measured:
// no idle core was available). Observe
// allocates nothing (TestObserveNoAllocs); Box2D allocates about 112 small
// objects per step.
package racer
