hebb eval --rules racer-hebbian-pixels-paper --suite perturb --at 200 --episodes 100 --json
