/**
 * The import boundaries of docs/architecture.md ("Rooms"), checked by `npm test`
 * (test/import-boundaries.mjs). Type-only imports count: a type loop is still a loop.
 */
module.exports = {
  forbidden: [
    {
      name: "db-imports-no-app",
      comment: "db/ is the floor below everything: it never imports app/ or workflows/.",
      severity: "error",
      from: { path: "^db/" },
      to: { path: "^(app|workflows)/" },
    },
    {
      name: "machines-are-pure",
      comment: "workflows/ holds pure machines and pure helpers: only xstate and each other.",
      severity: "error",
      from: { path: "^workflows/", pathNot: "\\.test\\.ts$" },
      to: { pathNot: ["^workflows/", "^node_modules/xstate/"] },
    },
    {
      name: "routes-import-no-db",
      comment: "Route modules call server modules; no query in a route (and no driver in the browser build).",
      severity: "error",
      from: { path: "^app/routes/" },
      to: { path: "^db/" },
    },
    {
      name: "components-import-no-server",
      comment: "Components run in the browser: no *.server module, no db/.",
      severity: "error",
      from: { path: "^app/components/" },
      to: { path: ["\\.server\\.tsx?$", "^db/"] },
    },
    {
      name: "no-cycles",
      comment: "No import loop, type-only ones included.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["^node_modules/", "^build/", "^public/build/", "^\\.cache/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json", ".d.ts"],
    },
  },
};
