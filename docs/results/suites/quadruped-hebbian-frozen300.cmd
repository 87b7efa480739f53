hebb eval --rules quadruped-hebbian --suite damage --at 300 --freeze-at 300 --episodes 100 --json
