// The staff who may own a signal (GET /signal-owners: admins and coordinators, for those
// roles only), read once per screen.

import type { components } from "./api-types.gen";
import { get } from "./api";
import type { Page } from "./types";

export type Owner = components["schemas"]["SignalOwnerRead"];

export async function loadOwners(): Promise<Owner[]> {
  return (await get<Page<Owner>>("/signal-owners", { pageSize: 500 })).items;
}
