hebb eval --rules racer-static-pixels-paper --suite perturb --at 200 --episodes 100 --json
