import { getSaml } from "~/auth/saml-runtime.server";

export async function loader() {
  const { testIdp } = await getSaml();
  if (!testIdp) throw new Response("Not found", { status: 404 });
  return new Response(testIdp.metadataXml(), { headers: { "Content-Type": "application/samlmetadata+xml; charset=utf-8" } });
}
