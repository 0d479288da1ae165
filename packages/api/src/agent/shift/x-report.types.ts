import { z } from "zod";
import { ZCashierRef } from "../schemas.ts";
import { ZCashSummary, ZShiftView } from "./shift.types.ts";

export const ZXReportInput = z.object({ cashier: ZCashierRef });
export type TXReportInput = z.infer<typeof ZXReportInput>;

export const ZXReportOutput = z.object({ shift: ZShiftView, cash: ZCashSummary });
export type TXReportOutput = z.infer<typeof ZXReportOutput>;
