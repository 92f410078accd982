-- The EC Sales List (recapitulative statement, VAT Directive Art. 262-264): per buyer VAT id, the
-- services supplied under reverse charge, in the seller's national currency.
SELECT
  buyer_vat_id,
  buyer_country,
  national_currency,
  COUNT(DISTINCT document_number) AS documents,
  SUM(national_taxable_minor) AS taxable_minor,
  SUM(CASE WHEN national_taxable_minor IS NULL THEN 1 ELSE 0 END) AS unconverted
FROM vat
WHERE period IN (:periods) AND scheme = 'reverse_charge'
GROUP BY buyer_vat_id, buyer_country, national_currency
ORDER BY buyer_vat_id
