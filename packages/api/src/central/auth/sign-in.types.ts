import { z } from "zod";

export const ZSignInInput = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter the email address you were invited with.")),
  password: z.string().min(1, "Enter your password.").max(1024),
});
export type TSignInInput = z.infer<typeof ZSignInInput>;
