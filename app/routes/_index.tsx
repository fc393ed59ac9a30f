import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getSignedIn } from "~/auth/guards.server";
import { navigationFor, ROLE_LABELS } from "~/auth/permissions";
import { PageTitle } from "~/components/layout";
import { publicHomeData } from "~/public/public-pages.server";

export const meta: MetaFunction = () => [{ title: "Home — Monitoraggio pratiche" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const signedIn = await getSignedIn(request);
  if (!signedIn) return { user: null, items: [], public: await publicHomeData() };
  const { actor } = signedIn;
  return {
    user: { name: actor.name, roleLabel: ROLE_LABELS[actor.role] },
    items: navigationFor(actor.role),
    public: null,
  };
}

export default function Home() {
  const { user, items, public: home } = useLoaderData<typeof loader>();
  if (!user && home) return <PublicHome home={home} />;
  if (!user) return null;
  return (
    <>
      <PageTitle lead={`Profilo: ${user.roleLabel}`}>Ti diamo il benvenuto, {user.name}</PageTitle>
      <div className="row">
        {items.map((item) => (
          <div className="col-12 col-md-6 col-lg-4 mb-3" key={item.to}>
            <div className="card-wrapper card-space">
              <div className="card card-bg">
                <div className="card-body">
                  <h2 className="card-title h5">
                    <Link to={item.to}>{item.label}</Link>
                  </h2>
                  <p className="card-text">{item.description}</p>
                </div>
              </div>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}

type HomeData = NonNullable<Awaited<ReturnType<typeof loader>>["public"]>;

function PublicHome({ home }: { home: HomeData }) {
  return (
    <>
      <PageTitle lead="Procedimenti, finanziamenti alle imprese e servizi per gli enti gestori.">{home.bodyName}</PageTitle>
      <section aria-labelledby="cerca-titolo" className="mb-5">
        <h2 id="cerca-titolo" className="h4">
          Cerca un procedimento
        </h2>
        <Form method="get" action="/procedimenti" role="search" className="d-flex gap-2 align-items-end pt-4">
          <div className="form-group flex-grow-1 mb-0">
            <label htmlFor="q" className="active">
              Parole da cercare
            </label>
            <input id="q" name="q" type="search" className="form-control" placeholder="es. contributi assunzioni" />
          </div>
          <button type="submit" className="btn btn-primary">
            Cerca
          </button>
        </Form>
      </section>
      {home.quickLinks.length ? (
        <section aria-labelledby="link-titolo" className="mb-5">
          <h2 id="link-titolo" className="h4">
            Accesso rapido
          </h2>
          <ul className="list-inline">
            {home.quickLinks.map((l) => (
              <li key={l.url + l.label} className="list-inline-item mb-2">
                <a className="btn btn-outline-primary" href={l.url}>
                  {l.label}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {home.categories.length ? (
        <section aria-labelledby="catalogo-titolo" className="mb-5">
          <h2 id="catalogo-titolo" className="h4">
            Catalogo dei procedimenti
          </h2>
          <div className="row">
            {home.categories.map((c) => (
              <div className="col-12 col-md-6 col-lg-4 mb-3" key={c.id}>
                <div className="card card-bg">
                  <div className="card-body">
                    <h3 className="card-title h5">
                      <Link to={`/procedimenti#cat-${c.id}`}>{c.title}</Link>
                    </h3>
                    <p className="card-text">{c.description}</p>
                    <p className="card-text small">{c.count === 1 ? "1 procedimento" : `${c.count} procedimenti`}</p>
                  </div>
                </div>
              </div>
            ))}
          </div>
        </section>
      ) : null}
      <section aria-labelledby="area-titolo">
        <h2 id="area-titolo" className="h4">
          Area riservata
        </h2>
        <p>
          Gli enti gestori inviano lo stato delle pratiche; funzionari e dirigenti ne seguono l'andamento. L'accesso è
          riservato alle persone abilitate e avviene con identità digitale SPID, CIE o CNS (
          <Link to="/istruzioni/accesso">come accedere</Link>).
        </p>
        <Link className="btn btn-primary" to="/accedi">
          Accedi con SPID o CIE
        </Link>
      </section>
    </>
  );
}
