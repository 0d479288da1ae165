import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { updateSettings } from "./settings.ts";
import { ZOrganizationSettings, ZUpdateSettingsInput } from "./settings.types.ts";

export const updateSettingsProcedure = permitted("settings.manage")
  .input(ZUpdateSettingsInput)
  .output(ZOrganizationSettings)
  .mutation(({ ctx, input }) => {
    const membership = actingMembership(ctx.scope, input.organizationId);
    const actor = { id: ctx.user.id, email: ctx.user.email, role: membership.role };
    return updateSettings(ctx.db, membership, actor, input, ctx.now());
  });
