import { z } from "zod";
import { getBranding, removeLogo, saveBranding, saveLogo } from "~/branding/branding.server";
import {
  createCategory,
  createProcedure,
  deleteCategory,
  flattenTree,
  moveItem,
  updateCategory,
  updateProcedure,
} from "~/catalogue/catalogue.server";
import type { SignedIn } from "~/auth/guards.server";
import type { FormResult } from "~/components/form-fields";
import { InputError } from "~/lib/errors";
import { formValues, runForm } from "~/lib/form-action.server";
import { linksToLines } from "~/lib/form-schema";
import { clientIp } from "~/lib/request.server";
import { previewTemplate, resetTemplate, saveTemplate, sampleData, templateHistory, templateList, templateState } from "~/mail/templates.server";
import { templateTitle } from "~/mail/template-titles";
import {
  addGestore,
  addMeasure,
  addOrgUnit,
  addPosition,
  updateGestore,
  updateMeasure,
  updateOrgUnit,
  updatePosition,
} from "~/registry/registry.server";
import { addExtraHoliday, listExtraHolidays, removeExtraHoliday } from "~/timeliness/settings.server";
import { getDb } from "~db/client";
import { catalogueTree, getCategory, getProcedure } from "~db/queries/catalogue";
import { allGestori, gestoreForEdit, listDirigenti, listMeasures, listOrgUnits, listPositions, measureForEdit } from "~db/queries/registry";

/**
 * Page data and form handling of the configuration pages (amministratore). Route modules call
 * these after `requirePermission(request, "config.manage")` and `requireForm`.
 */

const whoOf = (request: Request, signedIn: SignedIn) => ({ actor: signedIn.actor, ip: clientIp(request) });
const iso = (d: Date | null) => (d ? d.toISOString() : null);


// Catalogue ------------------------------------------------------------------------------------

export async function catalogueAdminData() {
  const tree = await catalogueTree(getDb(), { publishedOnly: false });
  return { tree, categories: flattenTree(tree) };
}

const intentOf = (form: FormData) => String(form.get("intent") ?? "");

export async function handleCatalogueAction(request: Request, signedIn: SignedIn, form: FormData): Promise<FormResult> {
  const values = formValues(form);
  const who = whoOf(request, signedIn);
  return runForm(values, async () => {
    switch (intentOf(form)) {
      case "move":
        return (await moveItem(getDb(), who, values)) ? "Ordine aggiornato." : "L'elemento è già al limite dell'elenco.";
      case "add-category": {
        const c = await createCategory(getDb(), who, values);
        return `Categoria «${c.title}» aggiunta.`;
      }
      default:
        throw new InputError("Operazione non riconosciuta");
    }
  });
}

export async function categoryEditData(id: string) {
  const c = await getCategory(getDb(), id);
  if (!c) throw new Response("Categoria inesistente.", { status: 404 });
  const tree = await catalogueTree(getDb(), { publishedOnly: false });
  return { category: { id: c.id, title: c.title, description: c.description, parentId: c.parentId, version: c.version }, categories: flattenTree(tree).filter((x) => x.id !== c.id) };
}

export async function handleCategoryAction(request: Request, signedIn: SignedIn, id: string, form: FormData): Promise<FormResult | Response> {
  const values = formValues(form);
  const who = whoOf(request, signedIn);
  if (intentOf(form) === "delete") {
    const result = await runForm(values, async () => {
      await deleteCategory(getDb(), who, id, Number(values.version));
      return "Categoria eliminata.";
    });
    return result.ok ? new Response(null, { status: 303, headers: { Location: "/admin/catalogo" } }) : result;
  }
  return runForm(values, async () => {
    await updateCategory(getDb(), who, id, values);
    return "Categoria salvata.";
  });
}

// Procedures -----------------------------------------------------------------------------------

async function procedureOptions() {
  const db = getDb();
  const [tree, units, positions] = await Promise.all([catalogueTree(db, { publishedOnly: false }), listOrgUnits(db), listPositions(db)]);
  return {
    categories: flattenTree(tree).map((c) => ({ value: c.id, label: `${"— ".repeat(c.depth)}${c.title}` })),
    units: units.filter((u) => u.unit.active).map((u) => ({ value: u.unit.id, label: u.unit.name })),
    positions: positions
      .filter((p) => p.position.active)
      .map((p) => ({ value: p.position.id, label: `${p.position.title}${p.position.holder ? ` — ${p.position.holder}` : ""} (${p.orgUnitName})` })),
  };
}

export async function procedureEditData(id: string, url: URL) {
  const options = await procedureOptions();
  if (id === "nuovo") {
    return { procedure: null, options, defaultCategory: url.searchParams.get("categoria") ?? "" };
  }
  const p = await getProcedure(getDb(), id);
  if (!p) throw new Response("Procedimento inesistente.", { status: 404 });
  return {
    procedure: {
      id: p.id,
      title: p.title,
      categoryId: p.categoryId,
      description: p.description,
      orgUnitId: p.orgUnitId,
      responsiblePositionId: p.responsiblePositionId,
      costs: p.costs,
      howToApply: p.howToApply,
      maxDurationDays: p.maxDurationDays,
      requiredDocuments: p.requiredDocuments,
      links: linksToLines(p.links),
      status: p.status,
      version: p.version,
      updatedAt: iso(p.updatedAt),
    },
    options,
    defaultCategory: p.categoryId,
  };
}

export async function handleProcedureAction(request: Request, signedIn: SignedIn, id: string, form: FormData): Promise<FormResult | Response> {
  const values = formValues(form);
  const who = whoOf(request, signedIn);
  if (id === "nuovo") {
    let createdId = "";
    const result = await runForm(values, async () => {
      createdId = (await createProcedure(getDb(), who, values)).id;
      return "Procedimento creato.";
    });
    return result.ok ? new Response(null, { status: 303, headers: { Location: `/admin/procedimenti/${createdId}?salvato=1` } }) : result;
  }
  return runForm(values, async () => {
    const p = await updateProcedure(getDb(), who, id, values);
    return p.status === "published" ? "Procedimento salvato e pubblicato." : "Procedimento salvato come bozza.";
  });
}

// Measures -------------------------------------------------------------------------------------

export async function measuresAdminData() {
  const rows = await listMeasures(getDb());
  return rows.map((r) => ({
    id: r.measure.id,
    code: r.measure.code,
    name: r.measure.name,
    isOpen: r.measure.isOpen,
    opensOn: r.measure.opensOn,
    closesOn: r.measure.closesOn,
    procedureTitle: r.procedureTitle,
  }));
}

export async function measureEditData(id: string) {
  const db = getDb();
  const [gestori, tree, units] = await Promise.all([allGestori(db), catalogueTree(db, { publishedOnly: false }), listOrgUnits(db)]);
  const procedures = (function collect(nodes: typeof tree): { value: string; label: string }[] {
    return nodes.flatMap((n) => [...n.procedures.map((p) => ({ value: p.id, label: `${p.title} (${n.title})` })), ...collect(n.children)]);
  })(tree);
  const options = {
    gestori: gestori.map((g) => ({ value: g.id, label: `${g.name} (${g.fiscalCode})${g.active ? "" : " — disattivato"}` })),
    procedures,
    units: units.map((u) => ({ value: u.unit.id, label: `${u.unit.name}${u.unit.active ? "" : " — non attiva"}` })),
  };
  if (id === "nuova") return { measure: null, options };
  const m = await measureForEdit(db, id);
  if (!m) throw new Response("Misura inesistente.", { status: 404 });
  return {
    measure: {
      id: m.id,
      code: m.code,
      name: m.name,
      description: m.description,
      opensOn: m.opensOn,
      closesOn: m.closesOn,
      isOpen: m.isOpen,
      procedureId: m.procedureId,
      gestoreIds: m.gestoreIds,
      orgUnitId: m.orgUnitId,
      cadence: m.obligationCadence ?? "none",
      day: m.obligationDay,
      startsOn: m.obligationStartsOn,
      endsOn: m.obligationEndsOn,
      reminderEveryDays: m.reminderEveryDays,
      escalateAfterReminders: m.escalateAfterReminders,
      maxDaysIstruttoria: m.maxDaysIstruttoria,
      maxDaysSospesa: m.maxDaysSospesa,
      version: m.version,
    },
    options,
  };
}

export async function handleMeasureAction(request: Request, signedIn: SignedIn, id: string, form: FormData): Promise<FormResult | Response> {
  const values = formValues(form, ["gestori"]);
  const who = whoOf(request, signedIn);
  if (id === "nuova") {
    let createdId = "";
    const result = await runForm(values, async () => {
      const gestori = (await allGestori(getDb())).filter((g) => (values.gestori as string[]).includes(g.id)).map((g) => g.fiscalCode);
      // One transaction: the rest of the form (dates, procedure) is the same edit as on an
      // existing measure, and a refusal there leaves no half-made measure behind.
      createdId = await getDb().transaction(async (tx) => {
        const created = await addMeasure(tx, who, { code: String(values.code ?? ""), name: String(values.name ?? ""), description: String(values.description ?? ""), gestori });
        await updateMeasure(tx, who, created.id, { ...values, version: String(created.version) });
        return created.id;
      });
      return "Misura creata.";
    });
    return result.ok ? new Response(null, { status: 303, headers: { Location: `/admin/misure/${createdId}?salvato=1` } }) : result;
  }
  return runForm(values, async () => {
    await updateMeasure(getDb(), who, id, values);
    return "Misura salvata.";
  });
}

// Gestori --------------------------------------------------------------------------------------

export async function gestoriAdminData() {
  return (await allGestori(getDb())).map((g) => ({ id: g.id, fiscalCode: g.fiscalCode, name: g.name, active: g.active, operatorQuota: g.operatorQuota, email: g.email }));
}

export async function handleGestoriAction(request: Request, signedIn: SignedIn, form: FormData): Promise<FormResult> {
  const values = formValues(form);
  return runForm(values, async () => {
    const g = await addGestore(getDb(), whoOf(request, signedIn), {
      cf: String(values.cf ?? "").trim(),
      name: String(values.name ?? ""),
      email: values.email ? String(values.email) : undefined,
      pec: values.pec ? String(values.pec) : undefined,
    });
    return `Ente gestore «${g.name}» registrato.`;
  });
}

export async function gestoreEditData(id: string) {
  const db = getDb();
  const g = await gestoreForEdit(db, id);
  if (!g) throw new Response("Ente gestore inesistente.", { status: 404 });
  const measures = await listMeasures(db);
  return {
    gestore: {
      id: g.id,
      fiscalCode: g.fiscalCode,
      name: g.name,
      email: g.email,
      pec: g.pec,
      contacts: g.contacts,
      operatorQuota: g.operatorQuota,
      active: g.active,
      measureIds: g.measureIds,
      version: g.version,
    },
    measures: measures.map((m) => ({ value: m.measure.id, label: `${m.measure.code} — ${m.measure.name}` })),
  };
}

export async function handleGestoreAction(request: Request, signedIn: SignedIn, id: string, form: FormData): Promise<FormResult> {
  const values = formValues(form, ["measures"]);
  return runForm(values, async () => {
    const g = await updateGestore(getDb(), whoOf(request, signedIn), id, values);
    return g.active ? "Ente gestore salvato." : "Ente gestore salvato (disattivato).";
  });
}

// Org units and positions ----------------------------------------------------------------------

export async function orgUnitsAdminData() {
  const db = getDb();
  const [units, positions] = await Promise.all([listOrgUnits(db), listPositions(db)]);
  return {
    units: units.map((u) => ({
      id: u.unit.id,
      code: u.unit.code,
      name: u.unit.name,
      active: u.unit.active,
      head: u.headName ? `${u.headName} ${u.headSurname}` : null,
    })),
    positions: positions.map((p) => ({ id: p.position.id, title: p.position.title, holder: p.position.holder, orgUnitName: p.orgUnitName, active: p.position.active })),
    unitOptions: units.map((u) => ({ value: u.unit.id, label: u.unit.name })),
  };
}

export async function handleOrgUnitsAction(request: Request, signedIn: SignedIn, form: FormData): Promise<FormResult> {
  const values = formValues(form);
  const who = whoOf(request, signedIn);
  return runForm(values, async () => {
    if (intentOf(form) === "add-unit") {
      const u = await addOrgUnit(getDb(), who, { code: String(values.code ?? ""), name: String(values.name ?? "") });
      return `Struttura «${u.name}» aggiunta.`;
    }
    if (intentOf(form) === "add-position") {
      const p = await addPosition(getDb(), who, values);
      return `Figura «${p.title}» aggiunta.`;
    }
    throw new InputError("Operazione non riconosciuta");
  });
}

export async function orgUnitEditData(id: string) {
  const db = getDb();
  if (!z.uuid().safeParse(id).success) throw new Response("Struttura inesistente.", { status: 404 });
  const [units, dirigenti, positions] = await Promise.all([listOrgUnits(db), listDirigenti(db), listPositions(db)]);
  const u = units.find((x) => x.unit.id === id);
  if (!u) throw new Response("Struttura inesistente.", { status: 404 });
  return {
    unit: { id: u.unit.id, code: u.unit.code, name: u.unit.name, description: u.unit.description, headUserId: u.unit.headUserId, userQuota: u.unit.userQuota, active: u.unit.active, version: u.unit.version },
    dirigenti: dirigenti.map((d) => ({ value: d.id, label: `${d.surname} ${d.name}` })),
    positions: positions
      .filter((p) => p.position.orgUnitId === id)
      .map((p) => ({ id: p.position.id, title: p.position.title, holder: p.position.holder, email: p.position.email ?? "", active: p.position.active, version: p.position.version })),
  };
}

export async function handleOrgUnitAction(request: Request, signedIn: SignedIn, id: string, form: FormData): Promise<FormResult> {
  const values = formValues(form);
  const who = whoOf(request, signedIn);
  return runForm(values, async () => {
    if (intentOf(form) === "position") {
      await updatePosition(getDb(), who, String(values.positionId ?? ""), { ...values, orgUnitId: id });
      return "Figura salvata.";
    }
    await updateOrgUnit(getDb(), who, id, values);
    return "Struttura salvata.";
  });
}

// Extra holidays -------------------------------------------------------------------------------

const MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"];

export async function holidaysAdminData() {
  return (await listExtraHolidays(getDb())).map((h) => ({
    id: h.id,
    name: h.name,
    when: `${h.day} ${MONTHS[h.month - 1]}${h.year === null ? "" : ` ${h.year}`}`,
    everyYear: h.year === null,
  }));
}

export async function handleHolidaysAction(request: Request, signedIn: SignedIn, form: FormData): Promise<FormResult> {
  const values = formValues(form);
  const who = whoOf(request, signedIn);
  return runForm(values, async () => {
    if (intentOf(form) === "remove") {
      const h = await removeExtraHoliday(getDb(), who, values);
      return `Festività «${h.name}» rimossa.`;
    }
    if (intentOf(form) === "add") {
      const h = await addExtraHoliday(getDb(), who, { date: String(values.date ?? ""), name: String(values.name ?? "") });
      return `Festività «${h.name}» registrata.`;
    }
    throw new InputError("Operazione non riconosciuta");
  });
}

// Mail templates -------------------------------------------------------------------------------

export async function templatesAdminData() {
  return (await templateList(getDb())).map((t) => ({ ...t, updatedAt: iso(t.updatedAt) }));
}

export async function templateEditData(name: string) {
  const db = getDb();
  const state = await templateState(db, name).catch((e: unknown) => {
    if (e instanceof InputError) throw new Response(e.message, { status: 404 });
    throw e;
  });
  const history = await templateHistory(db, name);
  return {
    ...state,
    title: templateTitle(name),
    updatedAt: iso(state.updatedAt),
    sample: JSON.stringify(sampleData(name) ?? {}, null, 2),
    history: history.map((h) => ({ id: h.id, action: h.action, subject: h.subject, changedAt: h.changedAt.toISOString(), by: h.byName ? `${h.byName} ${h.bySurname}` : "—" })),
  };
}

export type TemplateActionResult = FormResult & { preview?: { subject: string; html: string; text: string } };

export async function handleTemplateAction(request: Request, signedIn: SignedIn, name: string, form: FormData): Promise<TemplateActionResult> {
  const values = formValues(form);
  const who = whoOf(request, signedIn);
  if (intentOf(form) === "preview") {
    let preview: TemplateActionResult["preview"];
    const result = await runForm(values, async () => {
      preview = previewTemplate(name, values);
      return "Anteprima con i dati di esempio (non salvata).";
    });
    // The form keeps what was typed: a preview is not a save.
    return result.ok ? { ok: false, error: "", fields: {}, values, preview } : result;
  }
  if (intentOf(form) === "reset") {
    return runForm(values, async () => {
      const reset = await resetTemplate(getDb(), who, name, values.version);
      return reset ? "Ripristinato il modello predefinito." : "Il modello era già quello predefinito.";
    });
  }
  return runForm(values, async () => {
    await saveTemplate(getDb(), who, name, values);
    return "Modello salvato: i prossimi messaggi useranno questa versione.";
  });
}

// Branding -------------------------------------------------------------------------------------

export async function brandingAdminData() {
  const b = await getBranding(getDb());
  return { ...b, quickLinks: linksToLines(b.quickLinks) };
}

export async function handleBrandingAction(request: Request, signedIn: SignedIn, form: FormData): Promise<FormResult> {
  const values = formValues(form);
  const intent = z.enum(["save", "logo", "remove-logo"]).catch("save").parse(form.get("intent"));
  if (intent === "logo")
    return runForm(values, async () => {
      const file = form.get("logo");
      if (!file || typeof file === "string" || file.size === 0) throw new InputError("Scegliere il file del logo.");
      await saveLogo(getDb(), whoOf(request, signedIn), Buffer.from(await file.arrayBuffer()));
      return "Logo caricato: ora compare in testata.";
    });
  if (intent === "remove-logo")
    return runForm(values, async () => {
      await removeLogo(getDb(), whoOf(request, signedIn));
      return "Logo rimosso.";
    });
  return runForm(values, async () => {
    await saveBranding(getDb(), whoOf(request, signedIn), values);
    return "Aspetto del portale salvato.";
  });
}
