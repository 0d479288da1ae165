import { z } from "zod";
import { refineDays, ZCashFilter } from "./filter.types.ts";

export const ZExportCashCsvInput = ZCashFilter.superRefine(refineDays);
export type TExportCashCsvInput = z.input<typeof ZExportCashCsvInput>;

export const ZExportCashCsvOutput = z.object({
  filename: z.string(),
  /** UTF-8 CSV, CRLF line ends, one header row; money in roubles with two decimals. */
  csv: z.string(),
  rows: z.number().int(),
  truncated: z.boolean(),
});
export type TExportCashCsvOutput = z.infer<typeof ZExportCashCsvOutput>;
