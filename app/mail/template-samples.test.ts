import { describe, expect, it } from "vitest";
import { renderMail } from "./render.server";
import { sampleData, templateNames } from "./templates.server";

// Administrators preview and check their edits against these samples (docs/decisions/0019):
// every template needs one, complete enough for strict rendering.
describe("mail template samples", () => {
  it.each(templateNames())("%s has sample data that renders", async (name) => {
    const sample = sampleData(name);
    expect(sample, `templates/mail/${name}/sample.json`).not.toBeNull();
    const m = await renderMail(name, sample!);
    expect(m.subject.length).toBeGreaterThan(0);
    expect(m.text.length).toBeGreaterThan(0);
  });
});
