import { allFields, type FormDefinition } from "./definition";

/**
 * The answers typed into the editor's preview (docs/decisions/0118): read back from the query
 * string of its GET buttons, so conditions show and hide fields as the applicant sees them,
 * without JavaScript and without storing anything. Only the form's own fields are read; files
 * and repeatable tables are left out (the preview stores no upload and no rows).
 */
export type PreviewValues = { values: Record<string, string | string[]>; carried: { name: string; value: string }[] };

const MAX_PREVIEW_TEXT = 4000;

export function previewValues(form: FormDefinition, page: string, params: URLSearchParams): PreviewValues {
  const values: Record<string, string | string[]> = {};
  const carried: { name: string; value: string }[] = [];
  for (const f of allFields(form)) {
    if (f.type === "file" || f.type === "datagrid") continue;
    const got = params
      .getAll(f.key)
      .map((v) => v.trim().slice(0, MAX_PREVIEW_TEXT))
      .filter(Boolean);
    if (!got.length) continue;
    values[f.key] = f.type === "selectboxes" ? got : got[0]!;
    // Answers of the other pages travel as hidden fields, so moving between pages keeps them.
    if (f.page !== page) for (const value of f.type === "selectboxes" ? got : [got[0]!]) carried.push({ name: f.key, value });
  }
  return { values, carried };
}
