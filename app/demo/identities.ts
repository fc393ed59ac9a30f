import type { Role } from "~db/schema";
import type { Territory } from "~db/scope";

export type DemoIdentity = {
  fiscalCode: string;
  name: string;
  familyName: string;
  email: string;
  /** What the person can do in the demo; null for the person who has no access at all. */
  role: Role | null;
  gestore?: string;
  orgUnit?: string;
  /** Territorial roles (issue 19). */
  territory?: Territory;
  description: string;
};

/** Invented people for the demo and the tests; the built-in test IdP offers them at sign-in. */
export const DEMO_IDENTITIES: DemoIdentity[] = [
  { fiscalCode: "BNCGLI85M41A271Q", name: "Giulia", familyName: "Bianchi", email: "giulia.bianchi@confidi-demo.example.it", role: "gestore_operatore", gestore: "01234567897", description: "Operatrice di Confidi Demo Marche" },
  { fiscalCode: "VRDMRC78C12H501I", name: "Marco", familyName: "Verdi", email: "marco.verdi@confidi-demo.example.it", role: "gestore_referente", gestore: "01234567897", description: "Referente di Confidi Demo Marche" },
  { fiscalCode: "FRRGPP88B15A271L", name: "Giuseppe", familyName: "Ferri", email: "giuseppe.ferri@fidi-adriatico.example.it", role: "gestore_operatore", gestore: "02345678904", description: "Operatore di Fidi Adriatico" },
  { fiscalCode: "NRELRA82D45D542F", name: "Laura", familyName: "Neri", email: "laura.neri@regione.example.it", role: "funzionario", orgUnit: "SETT-CREDITO", description: "Funzionaria del Settore Credito" },
  { fiscalCode: "RSSPLA70E10A271T", name: "Paolo", familyName: "Rossi", email: "paolo.rossi@regione.example.it", role: "dirigente", orgUnit: "SETT-CREDITO", description: "Dirigente del Settore Credito" },
  { fiscalCode: "GLLNNA75T60H501W", name: "Anna", familyName: "Gallo", email: "anna.gallo@regione.example.it", role: "amministratore", description: "Amministratrice (Sistemi informativi)" },
  { fiscalCode: "CNTCHR80A41H501I", name: "Chiara", familyName: "Conti", email: "chiara.conti@ministero.example.it", role: "osservatore", description: "Osservatrice del Ministero (solo dati aggregati)" },
  { fiscalCode: "MRTLNE79H52A271T", name: "Elena", familyName: "Martini", email: "elena.martini@regione-marche.example.it", role: "referente_regionale", territory: { level: "regione", code: "11" }, description: "Referente regionale delle Marche" },
  { fiscalCode: "BRNFNC72C03A271D", name: "Franco", familyName: "Bruni", email: "franco.bruni@ats-ancona.example.it", role: "amministratore_ats", territory: { level: "ats", code: "DEMO-ATS-042" }, description: "Amministratore dell'ATS di Ancona (dimostrativo)" },
  { fiscalCode: "CLMSRA86L61A271D", name: "Sara", familyName: "Colombo", email: "sara.colombo@ats-ancona.example.it", role: "operatore_territoriale", territory: { level: "ats", code: "DEMO-ATS-042" }, description: "Operatrice territoriale dell'ATS di Ancona (dimostrativo)" },
  { fiscalCode: "GRCMRT84H50A271E", name: "Marta", familyName: "Greco", email: "marta.greco@regione.example.it", role: "funzionario", orgUnit: "SPORTELLO-IMPRESE", description: "Funzionaria dello Sportello unico per le imprese (pareri sulle domande online)" },
  { fiscalCode: "RCCDVD79L10H501F", name: "Davide", familyName: "Ricci", email: "davide.ricci@regione.example.it", role: "funzionario", orgUnit: "UFF-LAVORO", description: "Funzionario dell'Ufficio territoriale del lavoro (pareri sulle domande online)" },
  { fiscalCode: "RMNSFO88C52H501R", name: "Sofia", familyName: "Romano", email: "sofia.romano@example.it", role: null, description: "Richiedente: domande online (Contributo per nuove assunzioni 2026)" },
  { fiscalCode: "MRCSLV87S62A271O", name: "Silvia", familyName: "Marchetti", email: "silvia.marchetti@regione.example.it", role: "operatore_helpdesk", orgUnit: "SETT-CREDITO", description: "Operatrice dell'help desk (code del Settore Credito)" },
  { fiscalCode: "SPSLCU90A01F839P", name: "Luca", familyName: "Esposito", email: "luca.esposito@example.it", role: null, description: "Persona non abilitata" },
];
