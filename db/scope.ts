import type { Role, TerritoryLevel } from "./schema";

/** The Region (ISTAT code), ATS or municipality a territorial access is scoped to (issue 19). */
export type Territory = { level: TerritoryLevel; code: string };

/** Who is asking, as far as the data layer cares: every scoped query takes one. */
export type Viewer = {
  userId: string;
  role: Role;
  gestoreId: string | null;
  orgUnitId: string | null;
  /** Territorial roles only; absent or null for every other role. */
  territory?: Territory | null;
};

export const GESTORE_ROLES = ["gestore_operatore", "gestore_referente"] as const satisfies readonly Role[];
export const OFFICIAL_ROLES = ["funzionario", "dirigente"] as const satisfies readonly Role[];

export const TERRITORIAL_ROLES = ["referente_regionale", "amministratore_ats", "operatore_territoriale"] as const satisfies readonly Role[];

export function isTerritorialRole(role: Role) {
  return (TERRITORIAL_ROLES as readonly Role[]).includes(role);
}

export function isGestoreRole(role: Role) {
  return (GESTORE_ROLES as readonly Role[]).includes(role);
}

/**
 * The gestore a viewer is confined to, or null when the viewer may see every gestore.
 * A gestore user without a gestore would be a data error: fail closed rather than see everything.
 */
export function confinedGestoreId(viewer: Viewer): string | null {
  // An applicant sees no gestore at all: fail closed even if a guard were forgotten.
  if (viewer.role === "richiedente") throw new OutOfScopeError("gestore");
  if (!isGestoreRole(viewer.role)) return null;
  if (!viewer.gestoreId) throw new Error("gestore user without gestore");
  return viewer.gestoreId;
}

/** Thrown by scoped queries when a viewer asks for rows outside their scope. */
export class OutOfScopeError extends Error {
  constructor(readonly objectType: string) {
    super(`${objectType} outside the viewer's scope`);
    this.name = "OutOfScopeError";
  }
}
