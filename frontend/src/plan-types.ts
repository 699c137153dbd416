// The steering screens' API shapes (begroting, reserve, capacity plan), from the
// generated OpenAPI types.

import type { components } from "./api-types.gen";

type Schemas = components["schemas"];
export type BudgetPlanReport = Schemas["BudgetPlanReport"];
export type BudgetVersionSummary = Schemas["BudgetVersionSummary"];
export type BudgetVersion = Schemas["BudgetVersionRead"];
export type BudgetLineWrite = Schemas["BudgetLineWrite"];
export type ReserveMutation = Schemas["ReserveMutationRead"];
export type PlannedChange = Schemas["PlannedChangeRead"];
export type OccupancyAssumption = Schemas["OccupancyAssumptionRead"];
export const PLANNED_KINDS = ["capacity", "opening", "closing"] as const;
