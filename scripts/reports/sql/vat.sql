-- The seller's VAT return figures of the months asked for, in its national currency: taxable
-- base and VAT per scheme (domestic, reverse charge, outside the scope, ...), category, rate and
-- taxing country. Invoices count by date of supply, credit notes by issue date (negative).
SELECT
  scheme,
  category,
  rate,
  tax_country,
  national_currency,
  COUNT(DISTINCT document_number) AS documents,
  SUM(national_taxable_minor) AS taxable_minor,
  SUM(national_tax_minor) AS tax_minor,
  SUM(CASE WHEN national_taxable_minor IS NULL THEN 1 ELSE 0 END) AS unconverted
FROM vat
WHERE period IN (:periods)
GROUP BY scheme, category, rate, tax_country, national_currency
ORDER BY scheme, category, rate, tax_country
