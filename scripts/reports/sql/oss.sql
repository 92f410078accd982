-- The One-Stop-Shop return of a quarter: VAT charged to consumers in other member states, per
-- member state of consumption, rate and document currency (converted to EUR after the query,
-- at the ECB rate of the quarter's last day: VAT Directive Art. 369h(2)).
SELECT
  tax_country AS member_state,
  rate,
  currency,
  MAX(exponent) AS exponent,
  COUNT(DISTINCT document_number) AS documents,
  SUM(taxable_minor) AS taxable_minor,
  SUM(tax_minor) AS tax_minor
FROM vat
WHERE period IN (:periods) AND scheme = 'oss'
GROUP BY tax_country, rate, currency
ORDER BY tax_country, rate, currency
