/** OpenAPI description of the upload API of docs/upload-format.md. */
const error = {
  type: "object",
  properties: { error: { type: "object", properties: { code: { type: "string" }, message: { type: "string" } }, required: ["code", "message"] } },
};
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

export const openApiDocument = {
  openapi: "3.0.3",
  info: { title: "Monitoraggio pratiche — API per gli enti gestori", version: "1", description: "Invio dei flussi di alimentazione (tracciato versione 1) e lettura dell'esito." },
  servers: [{ url: "/" }],
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Token API dell'operatore dell'ente gestore" } },
    schemas: {
      Error: error,
      Outcome: {
        type: "object",
        required: ["id", "status", "sha256", "gestore", "receivedAt", "records", "applied", "errorCount", "errors"],
        properties: {
          id: { type: "string", format: "uuid", nullable: true, description: "null in una verifica (dryRun)" },
          dryRun: { type: "boolean", description: "Solo nelle verifiche: true" },
          identicalToAccepted: { type: "string", format: "uuid", nullable: true, description: "Solo nelle verifiche: il file accettato identico a questo" },
          status: { type: "string", enum: ["processing", "accepted", "rejected", "failed"] },
          sha256: { type: "string" },
          gestore: { type: "string", example: "01234567897" },
          submissionId: { type: "string", nullable: true },
          referenceDate: { type: "string", format: "date", nullable: true },
          receivedAt: { type: "string", format: "date-time" },
          completedAt: { type: "string", format: "date-time", nullable: true },
          records: { type: "integer" },
          applied: {
            type: "object",
            properties: { created: { type: "integer" }, transitioned: { type: "integer" }, updated: { type: "integer" }, unchanged: { type: "integer" } },
          },
          errorCount: { type: "integer" },
          errors: {
            type: "array",
            maxItems: 1000,
            items: {
              type: "object",
              properties: { line: { type: "integer" }, field: { type: "string", nullable: true }, code: { type: "string" }, message: { type: "string" } },
            },
          },
          supportReference: {
            type: "string",
            nullable: true,
            example: "E-3F9A1C2B",
            description: "Only for status failed (an internal error, nothing applied): the code to quote to support",
          },
        },
      },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    "/api/v1/uploads": {
      post: {
        summary: "Invia un flusso (o lo verifica senza inviarlo, con dryRun=true)",
        description:
          "Con dryRun=true il file è controllato esattamente come un invio, sulle pratiche già trasmesse dall'ente, ma nulla è registrato e l'invio non conta: la risposta 200 è l'esito che il file avrebbe (dryRun true, id null; identicalToAccepted se è identico a un file già accettato).",
        parameters: [
          { name: "dryRun", in: "query", required: false, schema: { type: "string", enum: ["true", "false"], default: "false" }, description: "true: verifica senza inviare" },
        ],
        requestBody: {
          required: true,
          content: {
            "text/plain": { schema: { type: "string", format: "binary" } },
            "multipart/form-data": { schema: { type: "object", properties: { file: { type: "string", format: "binary" } }, required: ["file"] } },
          },
        },
        responses: {
          "202": { description: "Ricevuto: elaborazione in corso", content: { "application/json": { schema: { $ref: "#/components/schemas/Outcome" } } } },
          "200": {
            description: "Identico a un file già accettato: esito precedente; con dryRun=true: l'esito che il file avrebbe, nulla registrato",
            content: { "application/json": { schema: { $ref: "#/components/schemas/Outcome" } } },
          },
          "400": errorResponse("BAD_QUERY: dryRun diverso da true o false"),
          "401": errorResponse("Token mancante o non valido"),
          "403": errorResponse("Operatore non più abilitato"),
          "413": errorResponse("FILE_TOO_LARGE: oltre 200 MB"),
          "500": errorResponse("DRY_RUN_FAILED: verifica non riuscita per un errore interno"),
          "415": errorResponse("Tipo di contenuto non ammesso"),
        },
      },
    },
    "/api/v1/uploads/{id}": {
      get: {
        summary: "Esito di un invio",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: {
          "200": { description: "Esito", content: { "application/json": { schema: { $ref: "#/components/schemas/Outcome" } } } },
          "401": errorResponse("Token mancante o non valido"),
          "403": errorResponse("Invio di un altro ente gestore"),
          "404": errorResponse("Invio inesistente"),
        },
      },
    },
    "/api/v1/uploads/{id}/errors.csv": {
      get: {
        summary: "Errori in CSV (separatore ;, UTF-8 con BOM)",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: {
          "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } },
          "401": errorResponse("Token mancante o non valido"),
          "403": errorResponse("Invio di un altro ente gestore"),
          "404": errorResponse("Invio inesistente"),
        },
      },
    },
  },
} as const;
