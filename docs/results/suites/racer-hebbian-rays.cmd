hebb eval --rules racer-hebbian-rays --suite perturb --at 200 --episodes 100 --json
