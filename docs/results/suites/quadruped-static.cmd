hebb eval --rules quadruped-static --suite damage --at 300 --episodes 100 --json
