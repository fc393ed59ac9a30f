import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export type TreeNodeView = {
  id: string;
  title: string;
  description: string;
  version: number;
  children: TreeNodeView[];
  procedures: { id: string; title: string; status: "draft" | "published"; measureCode: string | null }[];
};

/**
 * The catalogue as nested lists with headings (a screen reader can jump between levels);
 * `renderCategory` / `renderProcedure` add the administration controls where needed.
 */
export function CatalogueTree(props: {
  tree: TreeNodeView[];
  level?: number;
  procedureHref: (id: string) => string;
  categoryExtra?: (n: TreeNodeView, index: number, siblings: number) => ReactNode;
  procedureExtra?: (p: TreeNodeView["procedures"][number], index: number, siblings: number) => ReactNode;
}) {
  const level = props.level ?? 2;
  const H = `h${Math.min(level, 6)}` as "h2";
  return (
    <ul>
      {props.tree.map((n, i) => (
        <li key={n.id} id={`cat-${n.id}`}>
          <H className={level === 2 ? "h4 mt-3" : "h5 mt-2"}>
            {n.title}
            {props.categoryExtra?.(n, i, props.tree.length)}
          </H>
          {n.description ? <p className="mb-1">{n.description}</p> : null}
          {n.procedures.length ? (
            <ul>
              {n.procedures.map((p, j) => (
                <li key={p.id}>
                  <Link to={props.procedureHref(p.id)}>{p.title}</Link>
                  {props.procedureExtra?.(p, j, n.procedures.length)}
                </li>
              ))}
            </ul>
          ) : null}
          {n.children.length ? <CatalogueTree {...props} tree={n.children} level={level + 1} /> : null}
        </li>
      ))}
    </ul>
  );
}
