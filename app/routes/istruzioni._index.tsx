import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { INSTRUCTIONS } from "~/components/instructions";
import { PageTitle } from "~/components/layout";

export const meta: MetaFunction = () => [{ title: "Istruzioni — Monitoraggio pratiche" }];

export default function Instructions() {
  return (
    <>
      <PageTitle lead="Guide per cittadini, enti gestori e uffici.">Istruzioni</PageTitle>
      <ul className="list-unstyled">
        {INSTRUCTIONS.map((i) => (
          <li key={i.to} className="mb-3">
            <h2 className="h5 mb-1">
              <Link to={i.to}>{i.title}</Link>
            </h2>
            <p className="mb-0">{i.lead}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
