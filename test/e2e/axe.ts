import type { Page } from "@playwright/test";

export { seriousViolations } from "./helpers";

/**
 * Form fields a person cannot see (WCAG 1.4.11): every visible input, select and textarea needs a
 * border or an outline; a visually hidden file input needs its label to look like a button.
 */
export async function invisibleFields(page: Page) {
  return page.evaluate(() => {
    const drawn = (el: Element) => {
      const s = getComputedStyle(el);
      const sides = ["Top", "Right", "Bottom", "Left"] as const;
      const border = sides.some((side) => parseFloat(s.getPropertyValue(`border-${side.toLowerCase()}-width`)) > 0 && s.getPropertyValue(`border-${side.toLowerCase()}-style`) !== "none" && !/rgba\(.*, 0\)$/.test(s.getPropertyValue(`border-${side.toLowerCase()}-color`)));
      const outline = parseFloat(s.outlineWidth) > 0 && s.outlineStyle !== "none";
      // bootstrap-italia draws outline buttons with an inset box-shadow.
      const shadow = s.boxShadow !== "none" && s.boxShadow !== "";
      return border || outline || shadow;
    };
    const bad: string[] = [];
    for (const el of Array.from(document.querySelectorAll("main input, main select, main textarea, header input"))) {
      const input = el as HTMLInputElement;
      if (input.type === "hidden" || input.type === "checkbox" || input.type === "radio") continue;
      const name = `${el.tagName.toLowerCase()}[name=${input.name || input.id}]`;
      const box = el.getBoundingClientRect();
      if (input.type === "file" && (box.width < 2 || box.height < 2)) {
        const label = input.id ? document.querySelector(`label[for="${input.id}"]`) : null;
        if (!label || !drawn(label)) bad.push(name);
        continue;
      }
      if (box.width < 2 || box.height < 2) continue;
      if (!drawn(el)) bad.push(name);
    }
    return bad;
  });
}
