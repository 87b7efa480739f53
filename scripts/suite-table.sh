#!/usr/bin/env bash
# suite-table.sh A.json B.json … — a markdown table of robustness suites
# side by side: one row per case, one column per file (score and kept share).
set -euo pipefail
jq -rs '
  def name: if .target == null or .target == "car" then .kind else "\(.target) \(.kind)" end;
  def score: (.after_mean // .return_mean);
  def fmt(x): (x*10|round/10|tostring);
  (map(.rules + (if .freeze_at then ", frozen from step \(.freeze_at)" else "" end)) | "| case | " + join(" | ") + " |"),
  ("|---|" + (map("---|") | join(""))),
  ("| healthy | " + (map(fmt(.healthy_after_mean // .healthy_return_mean)) | join(" | ")) + " |"),
  ( [.[0].cases[] | name] as $names
    | range(0; $names|length) as $i
    | "| \($names[$i]) | " + (map(.cases[$i] | "\(fmt(score)) (\(.kept*100|round) %)") | join(" | ")) + " |"),
  ("| **kept, mean** | " + (map("**\(.kept_mean*100|round) %**") | join(" | ")) + " |"),
  ("| **kept, worst** | " + (map("**\(.kept_min*100|round) %** (\(.worst))") | join(" | ")) + " |")
' "$@"
