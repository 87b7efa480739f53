hebb eval --rules racer-hebbian-pixels --suite perturb --at 200 --episodes 100 --json
