import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { getSettings } from "./settings.ts";
import { ZGetSettingsInput, ZOrganizationSettings } from "./settings.types.ts";

export const getSettingsProcedure = permitted("settings.view")
  .input(ZGetSettingsInput)
  .output(ZOrganizationSettings)
  .query(({ ctx, input }) => getSettings(ctx.db, actingMembership(ctx.scope, input.organizationId)));
