import type { navigationFor } from "~/auth/permissions";
import type { Role } from "~db/schema";

/**
 * What the root loader (app/root.tsx) gives every page; components read it with
 * `useRouteLoaderData("root")`. Declared here rather than inferred from the loader so that
 * components need not import app/root.tsx, which imports the layout that imports them (a loop).
 */
export type RootLoaderData = {
  organizationName: string;
  branding: { logoUrl: string; banner: string; contactEmail: string; accessibilityUrl: string };
  csrfToken: string | null;
  user: { displayName: string; role: Role; roleLabel: string; scopeLabel: string | null } | null;
  nav: ReturnType<typeof navigationFor>;
};
