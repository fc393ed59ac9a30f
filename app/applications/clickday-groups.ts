import type { clickDays } from "~db/schema";

/**
 * Which applications a click day takes and how its quota is split (issue 16, docs/decisions/0120):
 * pure rules, used when an application is marked ready, again at the send, and by the pages.
 */

type Day = Pick<typeof clickDays.$inferSelect, "groupBy" | "groupField" | "groupQuotas" | "groupLastRanks" | "quota" | "formModelIds" | "assignField" | "assignValues">;

/** A field's answer as text ("" when not given): the forms store answers flat by field key. */
export const answerOf = (data: Record<string, unknown>, field: string | null) => (field ? String(data[field] ?? "").trim() : "");

/** The click day takes this application: its form model is one assigned (or none is named), and so is its category. */
export function assignedTo(day: Day, formModelId: string, data: Record<string, unknown>) {
  if (day.formModelIds.length && !day.formModelIds.includes(formModelId)) return false;
  if (day.assignField && day.assignValues.length && !day.assignValues.includes(answerOf(data, day.assignField))) return false;
  return true;
}

/** The municipality codes whose province a batch needs (a province split only). */
export const municipalitiesOf = (day: Day, data: Record<string, unknown>[]) => (day.groupBy === "province" ? [...new Set(data.map((d) => answerOf(d, day.groupField)).filter(Boolean))] : []);

/** The group an application is ranked in: null without a split; "" when the answer is missing or unknown. */
export function groupOf(day: Day, data: Record<string, unknown>, provinceOf: ReadonlyMap<string, string>) {
  if (day.groupBy === "none") return null;
  const answer = answerOf(data, day.groupField);
  return day.groupBy === "category" ? answer : (provinceOf.get(answer) ?? "");
}

/**
 * The rank in its group and the quota outcome of each application of a batch, in batch order,
 * continuing from the click day's last rank per group (read under its row lock). Without a split
 * the outcome is the overall rank against the quota; with one, the rank in the group against the
 * group's sub-quota (a group without a sub-quota has none: every application in it is "fuori quota").
 */
export function rankInGroups(day: Day, firstRank: number, groups: (string | null)[]) {
  const last = { ...day.groupLastRanks };
  const ranked = groups.map((group, i) => {
    if (group === null) return { groupKey: null, groupRank: null, withinQuota: firstRank + i <= day.quota };
    const groupRank = (last[group] ?? 0) + 1;
    last[group] = groupRank;
    return { groupKey: group, groupRank, withinQuota: groupRank <= (day.groupQuotas[group] ?? 0) };
  });
  return { ranked, groupLastRanks: last };
}

/** How a group is named to people. */
export const groupLabel = (day: Pick<Day, "groupBy">, key: string) => (key ? key : day.groupBy === "province" ? "Provincia non indicata" : "Categoria non indicata");
