import { z } from "zod";
import { ZCashierRef, ZMoney } from "../schemas.ts";
import { ZShiftView } from "./shift.types.ts";

export const ZOpenShiftInput = z.object({
  cashier: ZCashierRef,
  /** Cash in the drawer at the start, kopecks. */
  openingFloat: ZMoney.default(0),
});
export type TOpenShiftInput = z.infer<typeof ZOpenShiftInput>;

export const ZOpenShiftOutput = ZShiftView;
export type TOpenShiftOutput = z.infer<typeof ZOpenShiftOutput>;
