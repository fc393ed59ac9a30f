import type { FormDefinition } from "./definition";

/**
 * The demo model "Contributo per nuove assunzioni 2026": three pages (the business, the hires,
 * the bank details and declarations). Also the fixture of the form tests.
 */
export const HIRING_GRANT_FORM: FormDefinition = {
  display: "wizard",
  title: "Contributo per nuove assunzioni 2026",
  components: [
    {
      type: "panel",
      key: "impresa",
      title: "Impresa richiedente",
      components: [
        { type: "content", key: "introImpresa", html: "Indica i dati dell'impresa per cui chiedi il contributo." },
        { type: "radio", key: "qualita", label: "Presenti la domanda come", validate: { required: true }, values: [
          { label: "Titolare o legale rappresentante", value: "legale_rappresentante" },
          { label: "Delegato", value: "delegato" },
        ] },
        { type: "textfield", key: "ragioneSociale", label: "Ragione sociale", validate: { required: true, maxLength: 200 } },
        { type: "textfield", key: "partitaIva", label: "Partita IVA", validate: { required: true, plugins: ["partitaIva"] } },
        { type: "textfield", key: "codiceFiscaleDelegante", label: "Codice fiscale del legale rappresentante", description: "Il legale rappresentante che ti ha delegato.", validate: { required: true, plugins: ["codiceFiscale"] }, conditional: { show: true, when: "qualita", eq: "delegato" } },
        { type: "columns", key: "sede", columns: [
          { components: [{ type: "textfield", key: "comuneSede", label: "Codice ISTAT del comune della sede", validate: { required: true, plugins: ["comuneIstat"] } }] },
          { components: [{ type: "textfield", key: "capSede", label: "CAP della sede", validate: { required: true, plugins: ["cap"] } }] },
        ] },
        { type: "email", key: "pecImpresa", label: "PEC dell'impresa", validate: { required: true } },
      ],
    },
    {
      type: "panel",
      key: "assunzioni",
      title: "Assunzioni",
      components: [
        { type: "number", key: "numeroAssunti", label: "Persone assunte a tempo indeterminato nel 2026", validate: { required: true, min: 1, max: 50 } },
        { type: "day", key: "dataPrimaAssunzione", label: "Data della prima assunzione", validate: { required: true } },
        { type: "select", key: "settore", label: "Settore di attività", validate: { required: true }, data: { values: [
          { label: "Manifattura", value: "manifattura" },
          { label: "Commercio", value: "commercio" },
          { label: "Servizi", value: "servizi" },
          { label: "Turismo", value: "turismo" },
        ] } },
        { type: "selectboxes", key: "categorie", label: "Categorie delle persone assunte", values: [
          { label: "Giovani under 36", value: "giovani" },
          { label: "Donne", value: "donne" },
          { label: "Disoccupati di lunga durata", value: "disoccupati" },
        ] },
        { type: "currency", key: "importoRichiesto", label: "Contributo richiesto (euro)", validate: { required: true, min: 1000, max: 150000 } },
        { type: "textarea", key: "descrizione", label: "Descrizione del progetto di assunzione", validate: { maxLength: 2000 } },
      ],
    },
    {
      type: "panel",
      key: "pagamento",
      title: "Pagamento e dichiarazioni",
      components: [
        { type: "textfield", key: "iban", label: "IBAN del conto dell'impresa", validate: { required: true, plugins: ["iban"] } },
        { type: "file", key: "visura", label: "Visura camerale (PDF)", filePattern: "application/pdf,.pdf", fileMaxSize: "2MB", validate: { required: true } },
        { type: "checkbox", key: "dichiarazione", label: "Dichiaro che le informazioni fornite sono vere (art. 47 DPR 445/2000)", validate: { required: true } },
      ],
    },
  ],
};
