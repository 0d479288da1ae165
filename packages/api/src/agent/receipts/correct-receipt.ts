import { AppError } from "../../errors.ts";
import { posProcedure } from "../trpc.ts";
import { ZCorrectReceiptInput, ZCorrectReceiptOutput } from "./correct-receipt.types.ts";

/**
 * A correction receipt (FFD 1.2, type 31), stored before the register is touched and fiscalized
 * exactly once like a sale (tag 1192 = its id; recovery before any second print). 422 SHIFT_CLOSED
 * without an open shift; 409 IDEMPOTENCY_CONFLICT for a reused key with another body.
 */
export const correctReceipt = posProcedure
  .input(ZCorrectReceiptInput)
  .output(ZCorrectReceiptOutput)
  .mutation(({ ctx, input }) => {
    const correct = ctx.services.receipts.correct;
    if (!correct) {
      throw new AppError("DEVICE_UNAVAILABLE", { message: "This agent cannot make correction receipts." });
    }
    return correct(input);
  });
