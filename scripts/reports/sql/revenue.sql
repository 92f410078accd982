-- Revenue of the months asked for: invoices by date of supply, credit notes by issue date (their
-- amounts negative), per currency and per the dimensions asked for (--by; a dimension not asked
-- for is NULL). Portable between Athena (Trino) and DuckDB.
SELECT
  currency,
  CASE WHEN :by_country THEN buyer_country ELSE NULL END AS country,
  CASE WHEN :by_plan THEN plan_id ELSE NULL END AS plan_id,
  CASE WHEN :by_customer THEN customer_id ELSE NULL END AS customer_id,
  MAX(exponent) AS exponent,
  SUM(CASE WHEN document_type = 'invoice' THEN 1 ELSE 0 END) AS invoices,
  SUM(CASE WHEN document_type = 'credit_note' THEN 1 ELSE 0 END) AS credit_notes,
  SUM(net_minor) AS net_minor,
  SUM(tax_minor) AS tax_minor,
  SUM(total_minor) AS total_minor
FROM invoices
WHERE period IN (:periods)
GROUP BY 1, 2, 3, 4
ORDER BY 1, 2, 3, 4
