import { getConfig } from "~/config.server";
import { spCertificateProblems, summarizeCertificate } from "./certificates.server";
import { getSaml } from "./saml-runtime.server";

/**
 * The administrators' view of SPID sign-in: the IdP metadata in use with its signing
 * certificates' validity (signatures by a certificate out of validity are refused), and this
 * service provider's own certificate judged against AgID's rules.
 */
export async function identityProviderPageData(now = new Date()) {
  const config = getConfig();
  const { idp, serviceProvider, spCertPem } = await getSaml();
  return {
    idp: {
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      source: idp.source,
      metadataXml: idp.metadataXml ?? null,
      certificates: idp.certs.map((pem) => summarizeCertificate(pem, now)),
    },
    sp: {
      entityId: serviceProvider.entityId,
      ipaCode: config.organization.ipaCode ?? null,
      production: config.production,
      certificate: summarizeCertificate(spCertPem, now),
      agidProblems: spCertificateProblems(spCertPem, { entityId: serviceProvider.entityId, ipaCode: config.organization.ipaCode, now }),
    },
  };
}
