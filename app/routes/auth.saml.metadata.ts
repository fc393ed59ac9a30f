import { getSaml } from "~/auth/saml-runtime.server";

export async function loader() {
  const { serviceProvider } = await getSaml();
  return new Response(serviceProvider.metadataXml(), {
    headers: { "Content-Type": "application/samlmetadata+xml; charset=utf-8" },
  });
}
