-- The RUM page's percentiles were window functions over each group's merged histogram: a running
-- sum and a total per group, then the smallest bin whose running count reaches q·total. For a
-- 90-day breakdown of a chain that is two window passes over ~23,000 (till, bin) rows and a sort
-- before them, half the statement. The same nearest rank, walked once over each group's bins in
-- order: `bins` ascending with their `counts`; `qs` ascending quantiles. Returns
-- [total, bin at qs[1], bin at qs[2], …] (only [total] when the group is empty).

CREATE OR REPLACE FUNCTION rum_percentile_bins(bins INTEGER[], counts DOUBLE PRECISION[], qs DOUBLE PRECISION[])
RETURNS DOUBLE PRECISION[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  total DOUBLE PRECISION := 0;
  cum DOUBLE PRECISION := 0;
  k INTEGER := 1;
  result DOUBLE PRECISION[];
BEGIN
  FOR i IN 1 .. coalesce(cardinality(counts), 0) LOOP
    total := total + counts[i];
  END LOOP;
  result := ARRAY[total];
  IF total <= 0 THEN
    RETURN result;
  END IF;
  FOR i IN 1 .. cardinality(counts) LOOP
    cum := cum + counts[i];
    WHILE k <= cardinality(qs) AND cum >= qs[k] * total LOOP
      result := result || bins[i]::double precision;
      k := k + 1;
    END LOOP;
    EXIT WHEN k > cardinality(qs);
  END LOOP;
  RETURN result;
END
$$;
