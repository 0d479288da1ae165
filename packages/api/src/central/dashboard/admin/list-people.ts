import { permitted } from "../permissions.ts";
import { actingMembership } from "./admin-scope.ts";
import { listPeople } from "./people.ts";
import { ZListPeopleInput, ZListPeopleOutput } from "./people.types.ts";

export const listPeopleProcedure = permitted("people.view")
  .input(ZListPeopleInput)
  .output(ZListPeopleOutput)
  .query(({ ctx, input }) =>
    listPeople(ctx.db, actingMembership(ctx.scope, input.organizationId), ctx.now()),
  );
