-- Billing runs: customers, issued, failed, duration (the cost estimate is added from the counts).
SELECT
  run_id,
  billing_period,
  status,
  started_at,
  finished_at,
  duration_ms,
  customers,
  issued,
  skipped,
  failed,
  not_processed
FROM runs
WHERE :all_periods OR period IN (:periods)
ORDER BY billing_period, started_at, run_id
