import { formatDate } from "./labels";

type Reminder = { id: string; measureCode: string; periodStart: string; periodEnd: string; dueOn: string; number: number; daysLate: number; sentOn: string; recipients: string[] };
type Escalation = { id: string; measureCode: string; periodEnd: string; dueOn: string; daysLate: number; remindersSent: number; escalatedOn: string; recipients: string[] };

/** The reminders a gestore received and the escalations about it, for the gestore's page. */
export function RemindersHistory({ reminders, escalations }: { reminders: Reminder[]; escalations: Escalation[] }) {
  return (
    <section aria-labelledby="promemoria">
      <h2 className="h4" id="promemoria">Promemoria e segnalazioni</h2>
      {reminders.length === 0 ? (
        <p>Nessun promemoria inviato all'ente.</p>
      ) : (
        <RemindersTable reminders={reminders} caption="Promemoria inviati all'ente per i flussi in ritardo, dal più recente" />
      )}
      {escalations.length === 0 ? (
        <p>Nessuna segnalazione alla struttura regionale.</p>
      ) : (
        <div className="table-responsive">
          <table className="table table-sm">
            <caption>Segnalazioni del ritardo alla struttura regionale competente</caption>
            <thead>
              <tr>
                <th scope="col">Segnalato il</th>
                <th scope="col">Misura</th>
                <th scope="col">Periodo fino al</th>
                <th scope="col">Scadenza</th>
                <th scope="col">Giorni di ritardo</th>
                <th scope="col">Promemoria già inviati</th>
                <th scope="col">Destinatari</th>
              </tr>
            </thead>
            <tbody>
              {escalations.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.escalatedOn)}</td>
                  <td>{e.measureCode}</td>
                  <td>{formatDate(e.periodEnd)}</td>
                  <td>{formatDate(e.dueOn)}</td>
                  <td>{e.daysLate}</td>
                  <td>{e.remindersSent}</td>
                  <td>{e.recipients.join(", ") || "nessuno"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The reminders a gestore received: on the gestore's page and on its own obligations page. */
export function RemindersTable({ reminders, caption }: { reminders: Reminder[]; caption: string }) {
  return (
    <div className="table-responsive">
      <table className="table table-sm">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Inviato il</th>
            <th scope="col">Misura</th>
            <th scope="col">Periodo</th>
            <th scope="col">Scadenza</th>
            <th scope="col">Giorni di ritardo</th>
            <th scope="col">Promemoria n.</th>
            <th scope="col">Destinatari</th>
          </tr>
        </thead>
        <tbody>
          {reminders.map((r) => (
            <tr key={r.id}>
              <td>{formatDate(r.sentOn)}</td>
              <td>{r.measureCode}</td>
              <td>dal {formatDate(r.periodStart)} al {formatDate(r.periodEnd)}</td>
              <td>{formatDate(r.dueOn)}</td>
              <td>{r.daysLate}</td>
              <td>{r.number}</td>
              <td>{r.recipients.join(", ") || "nessuno"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
