import { router } from "../../trpc.ts";
import { createStoreProcedure } from "./create-store.ts";
import { getSettingsProcedure } from "./get-settings.ts";
import { inviteMemberProcedure } from "./invite-member.ts";
import { listAuditLogProcedure } from "./list-audit-log.ts";
import { listPeopleProcedure } from "./list-people.ts";
import { listStoresProcedure } from "./list-stores.ts";
import { listTillsProcedure } from "./list-tills.ts";
import { provisionTillProcedure } from "./provision-till.ts";
import { removeMemberProcedure } from "./remove-member.ts";
import { retireTillProcedure } from "./retire-till.ts";
import { revokeInvitationProcedure } from "./revoke-invitation.ts";
import { rotateTillKeyProcedure } from "./rotate-till-key.ts";
import { updateMemberProcedure } from "./update-member.ts";
import { updateSettingsProcedure } from "./update-settings.ts";
import { updateStoreProcedure } from "./update-store.ts";

/** The admin area: stores, tills, people, organization settings and the audit log of every change. */
export const adminRouter = router({
  stores: router({ list: listStoresProcedure, create: createStoreProcedure, update: updateStoreProcedure }),
  tills: router({
    list: listTillsProcedure,
    provision: provisionTillProcedure,
    rotateKey: rotateTillKeyProcedure,
    retire: retireTillProcedure,
  }),
  people: router({
    list: listPeopleProcedure,
    invite: inviteMemberProcedure,
    update: updateMemberProcedure,
    remove: removeMemberProcedure,
    revokeInvitation: revokeInvitationProcedure,
  }),
  settings: router({ get: getSettingsProcedure, update: updateSettingsProcedure }),
  audit: router({ list: listAuditLogProcedure }),
});
