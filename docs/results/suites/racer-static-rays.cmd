hebb eval --rules racer-static-rays --suite perturb --at 200 --episodes 100 --json
