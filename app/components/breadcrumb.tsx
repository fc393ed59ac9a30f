import { Link } from "@remix-run/react";

/** The bootstrap-italia breadcrumb: links to the pages above, then the current page. */
export function Breadcrumb({ trail, current }: { trail: { to: string; label: string }[]; current: string }) {
  return (
    <nav aria-label="Percorso" className="breadcrumb-container">
      <ol className="breadcrumb">
        {trail.map((t) => (
          <li className="breadcrumb-item" key={t.to}>
            <Link to={t.to}>{t.label}</Link>
            <span className="separator">/</span>
          </li>
        ))}
        <li className="breadcrumb-item active" aria-current="page">
          {current}
        </li>
      </ol>
    </nav>
  );
}
