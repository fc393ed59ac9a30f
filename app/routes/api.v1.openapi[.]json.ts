import { openApiDocument } from "~/uploads/openapi";

export function loader() {
  return Response.json(openApiDocument);
}
