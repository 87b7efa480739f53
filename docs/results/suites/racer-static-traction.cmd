hebb eval --rules racer-static-traction --suite perturb --at 200 --episodes 100 --json
