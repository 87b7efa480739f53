hebb eval --rules racer-hebbian-traction --suite perturb --at 200 --episodes 100 --json
