import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "./password.server";
import { recoveryCodeHash, newRecoveryCodes } from "./totp.server";

const person = { email: "sofia.romano@example.it", fiscalCode: "RMNSFO90A41H501X", name: "Sofia", surname: "Romano" };

describe("local passwords", () => {
  it("are stored with scrypt and a salt of their own, and only the right one matches", async () => {
    const a = await hashPassword("una frase lunga e mia");
    const b = await hashPassword("una frase lunga e mia");
    expect(a).not.toBe(b);
    expect(await verifyPassword("una frase lunga e mia", a)).toBe(true);
    expect(await verifyPassword("una frase lunga e mia ", a)).toBe(false);
    expect(await verifyPassword("una frase lunga e mia", "bcrypt$whatever")).toBe(false);
  });

  it.each([
    ["corta", "La password deve avere almeno 12 caratteri"],
    ["x".repeat(129), "La password può avere al massimo 128 caratteri"],
    ["qwertyuiop123", "Questa password è tra le più comuni e si indovina facilmente: sceglierne un'altra"],
    ["!!Ciaociao2026!!", "Questa password è tra le più comuni e si indovina facilmente: sceglierne un'altra"],
    ["aaaaaaaaaaaaaaa", "Questa password è tra le più comuni e si indovina facilmente: sceglierne un'altra"],
    ["io sono sofia.romano", "La password non deve contenere il nome, il cognome, il codice fiscale o l'indirizzo e-mail"],
    ["rmnsfo90a41h501x!", "La password non deve contenere il nome, il cognome, il codice fiscale o l'indirizzo e-mail"],
  ])("refuses %s", (password, message) => {
    expect(passwordProblem(password, person)).toBe(message);
  });

  it("accepts a long phrase of one's own", () => {
    expect(passwordProblem("il treno delle sette e un quarto", person)).toBeNull();
  });
});

describe("recovery codes", () => {
  it("are ten different codes, matched whatever the case or dashes typed", () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(recoveryCodeHash(codes[0]!.toLowerCase().replace(/-/g, " "))).toBe(recoveryCodeHash(codes[0]!));
  });
});
