import { describe, expect, it } from "vitest";
import { parseIdpMetadata } from "./saml-runtime.server";

const metadata = (slo: string) => `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.it">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>QUJD</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
${slo}
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.it/sso"/>
</md:IDPSSODescriptor></md:EntityDescriptor>`;

describe("IdP metadata", () => {
  it("reads where the IdP takes a LogoutResponse: ResponseLocation first, else Location, HTTP-Redirect only", () => {
    const redirect = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    const post = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
    expect(parseIdpMetadata(metadata(`<md:SingleLogoutService Binding="${redirect}" Location="https://idp.example.it/slo" ResponseLocation="https://idp.example.it/slo-resp"/>`)).logoutUrl).toBe(
      "https://idp.example.it/slo-resp",
    );
    expect(parseIdpMetadata(metadata(`<md:SingleLogoutService Binding="${redirect}" Location="https://idp.example.it/slo"/>`)).logoutUrl).toBe("https://idp.example.it/slo");
    expect(parseIdpMetadata(metadata(`<md:SingleLogoutService Binding="${post}" Location="https://idp.example.it/slo"/>`)).logoutUrl).toBeUndefined();
    expect(parseIdpMetadata(metadata(""))).toMatchObject({ entityId: "https://idp.example.it", ssoUrl: "https://idp.example.it/sso" });
  });
});
