/** What a dry run answered, in one Italian sentence: on the upload page and in the page without JavaScript. */
export function dryRunSummary(o: {
  status: string;
  records: number;
  errorCount: number;
  applied: { created: number; transitioned: number; updated: number; unchanged: number };
  identicalToAccepted: string | null;
}) {
  if (o.identicalToAccepted) return "Il file è identico a un file già accettato: inviandolo non cambierebbe nulla.";
  if (o.status === "accepted") {
    const { created, transitioned, updated, unchanged } = o.applied;
    return `Il file sarebbe accettato: ${o.records} record, ${created} pratiche nuove, ${transitioned} cambi di stato, ${updated} aggiornate, ${unchanged} invariate. Nulla è stato inviato.`;
  }
  return `Il file sarebbe rifiutato: ${o.errorCount} ${o.errorCount === 1 ? "errore" : "errori"}. Nulla è stato inviato.`;
}
