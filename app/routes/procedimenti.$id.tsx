import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PageTitle } from "~/components/layout";
import { italianDate, romeDate } from "~/lib/dates";
import { procedurePageData } from "~/public/public-pages.server";
import { Breadcrumb } from "~/components/breadcrumb";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? "Procedimento"} — Monitoraggio pratiche` }];

export async function loader({ params }: LoaderFunctionArgs) {
  return procedurePageData(params.id ?? "");
}

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}/)
        .filter((p) => p.trim())
        .map((p, i) => (
          <p key={i} style={{ whiteSpace: "pre-line" }}>
            {p}
          </p>
        ))}
    </>
  );
}

export default function ProcedurePage() {
  const p = useLoaderData<typeof loader>();
  const sections: [string, string, React.ReactNode][] = [];
  if (p.howToApply) sections.push(["come", "Come presentare la domanda", <Paragraphs text={p.howToApply} />]);
  if (p.requiredDocuments) sections.push(["documenti", "Documenti richiesti", <Paragraphs text={p.requiredDocuments} />]);
  if (p.costs) sections.push(["costi", "Costi", <Paragraphs text={p.costs} />]);
  return (
    <>
      <Breadcrumb trail={[{ to: "/", label: "Home" }, { to: "/procedimenti", label: "Procedimenti" }]} current={p.title} />
      <PageTitle lead={p.category}>{p.title}</PageTitle>
      <Paragraphs text={p.description} />
      {p.applyOnline ? (
        <p>
          <a className="btn btn-primary" href={`/domande/nuova?procedimento=${p.id}`}>Presenta domanda online</a>
        </p>
      ) : null}
      <dl className="row">
        <dt className="col-sm-4">Ufficio competente</dt>
        <dd className="col-sm-8">{p.office ?? "—"}</dd>
        <dt className="col-sm-4">Responsabile</dt>
        <dd className="col-sm-8">
          {p.responsible ? (
            <>
              {p.responsible.title}
              {p.responsible.holder ? `: ${p.responsible.holder}` : ""}
              {p.responsible.email ? (
                <>
                  {" "}
                  (<a href={`mailto:${p.responsible.email}`}>{p.responsible.email}</a>)
                </>
              ) : null}
            </>
          ) : (
            "—"
          )}
        </dd>
        <dt className="col-sm-4">Durata massima</dt>
        <dd className="col-sm-8">{p.maxDurationDays ? `${p.maxDurationDays} giorni` : "—"}</dd>
      </dl>
      {sections.map(([id, title, body]) => (
        <section key={id} aria-labelledby={`sez-${id}`}>
          <h2 id={`sez-${id}`} className="h4">
            {title}
          </h2>
          {body}
        </section>
      ))}
      {p.links.length ? (
        <section aria-labelledby="sez-link">
          <h2 id="sez-link" className="h4">
            Collegamenti
          </h2>
          <ul>
            {p.links.map((l) => (
              <li key={l.url + l.label}>
                <a href={l.url}>{l.label}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p className="small text-muted">Ultimo aggiornamento: {italianDate(romeDate(new Date(p.updatedAt)))}</p>
    </>
  );
}
