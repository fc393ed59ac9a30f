import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guards.server";
import { formatDate, STATE_LABELS } from "~/components/labels";
import { PageTitle } from "~/components/layout";
import { RemindersTable } from "~/components/reminders-history";
import { obligationsCalendar } from "~/timeliness/pages.server";

export const meta: MetaFunction = () => [{ title: "Obblighi di invio — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { actor } = await requirePermission(request, "obligations.view");
  return obligationsCalendar(actor);
}

const STATUS: Record<string, { label: string; badge: string }> = {
  fulfilled: { label: "Adempiuto", badge: "bg-success" },
  fulfilled_late: { label: "Adempiuto in ritardo", badge: "bg-warning text-dark" },
  late: { label: "In ritardo", badge: "bg-danger" },
  pending: { label: "Da inviare", badge: "bg-secondary" },
};

const cadenceText = (cadence: string, day: number) =>
  cadence === "monthly" ? `ogni mese, entro il giorno ${day} del mese successivo` : `ogni ${day} giorni`;

export default function Obligations() {
  const { today, obligations, reminders, overLimit } = useLoaderData<typeof loader>();
  return (
    <>
      <PageTitle lead={`Situazione al ${formatDate(today)}. Un periodo è adempiuto da un flusso accettato con data di riferimento uguale o successiva alla fine del periodo; le scadenze che cadono di sabato, domenica o in un giorno festivo slittano al primo giorno lavorativo.`}>
        Obblighi di invio
      </PageTitle>
      {obligations.length === 0 ? <p>Per le misure dell'ente non sono previsti obblighi di invio periodico.</p> : null}
      {obligations.map((o) => (
        <section key={o.measureCode} className="mb-5" aria-labelledby={`ob-${o.measureCode}`}>
          <h2 className="h4" id={`ob-${o.measureCode}`}>
            {o.measureCode} — {o.measureName}
          </h2>
          <p>
            Invio {cadenceText(o.cadence, o.day)}, dal {formatDate(o.startsOn)}
            {o.endsOn ? ` al ${formatDate(o.endsOn)}` : ""}.{" "}
            {o.lateCount ? <strong className="text-danger">Periodi in ritardo: {o.lateCount}.</strong> : "Nessun periodo in ritardo."}
          </p>
          <div className="table-responsive">
            <table className="table table-sm">
              <caption>Calendario degli invii per {o.measureCode}, dal periodo più recente</caption>
              <thead>
                <tr>
                  <th scope="col">Periodo</th>
                  <th scope="col">Scadenza</th>
                  <th scope="col">Stato</th>
                  <th scope="col">Flusso ricevuto il</th>
                  <th scope="col">Giorni di ritardo</th>
                </tr>
              </thead>
              <tbody>
                {o.periods.map((p) => (
                  <tr key={p.end}>
                    <td>
                      dal {formatDate(p.start)} al {formatDate(p.end)}
                    </td>
                    <td>{formatDate(p.due)}</td>
                    <td>
                      <span className={`badge ${STATUS[p.status]!.badge}`}>{STATUS[p.status]!.label}</span>
                    </td>
                    <td>{formatDate(p.fulfilledOn)}</td>
                    <td>{p.daysLate || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
      <h2 className="h4">Promemoria ricevuti</h2>
      {reminders.length === 0 ? (
        <p>Nessun promemoria.</p>
      ) : (
        <RemindersTable reminders={reminders} caption="Promemoria inviati all'ente, dal più recente" />
      )}
      <h2 className="h4">Pratiche oltre i tempi massimi</h2>
      {overLimit.total === 0 ? (
        <p>Nessuna pratica è ferma oltre i tempi massimi previsti dalle misure.</p>
      ) : (
        <div className="table-responsive">
          <table className="table table-sm">
            <caption>
              {overLimit.total} pratiche ferme in istruttoria o sospese oltre il massimo della misura
              {overLimit.total > overLimit.practices.length ? ` (le prime ${overLimit.practices.length})` : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Pratica</th>
                <th scope="col">Misura</th>
                <th scope="col">Stato</th>
                <th scope="col">Dal</th>
                <th scope="col">Giorni</th>
                <th scope="col">Massimo</th>
              </tr>
            </thead>
            <tbody>
              {overLimit.practices.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/pratiche/${p.id}`}>{p.code}</Link>
                  </td>
                  <td>{p.measureCode}</td>
                  <td>{STATE_LABELS[p.state]}</td>
                  <td>{formatDate(p.stateDate)}</td>
                  <td>{p.days}</td>
                  <td>{p.maxDays}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
