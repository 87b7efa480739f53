hebb eval --rules racer-static-pixels --suite perturb --at 200 --episodes 100 --json
