// The test IdP posts its signed answer back at once (an inline script would break the CSP).
document.getElementById("saml-post")?.submit();
